// Buttons under answers: what each carries (a command line and a mode), and how a pressed one is read back.
// A button holds all its state, so it works after a restart; what comes back from a platform is outside
// input like any typed line: it is parsed and run by the same command, with the same permission checks.
import { formatLine } from './args.js';
import type { Command, Options } from './command.js';
import { type Action, errorReply, type Reply } from './reply.js';

/** The version mark every button's value starts with: a value without it was not made by this Hotline. */
const VERSION = 'h1';

const MODE_CODES: Record<Action['mode'], string> = { reply: 'r', replace: 'p', share: 's', run: 'c', form: 'f' };
const MODES: Record<string, Action['mode']> = { r: 'reply', p: 'replace', s: 'share', c: 'run', f: 'form' };

/** A button's value as sent to the platform: "h1:p:/timeline page:2". */
export function encodeAction(action: Pick<Action, 'mode' | 'line'>): string {
  return `${VERSION}:${MODE_CODES[action.mode]}:${action.line}`;
}

/** A pressed button's value read back, or undefined when it is not one Hotline made (stale or forged). */
export function decodeAction(value: unknown): Pick<Action, 'mode' | 'line'> | undefined {
  // Slack carries at most 2,000 characters in a button; anything longer was not made by Hotline.
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  const found = /^h1:([rpscf]):(\/[^\n]*)$/.exec(value);
  const mode = found?.[1] ? MODES[found[1]] : undefined;
  const line = found?.[2];
  if (!mode || !line) return undefined;
  return { mode, line };
}

/** The answer to a button Hotline cannot read: made by an older version, or not by Hotline at all. */
export const UNREADABLE_BUTTON = errorReply(
  'That button is from an answer this version of Hotline can no longer read. Ask again to get a fresh one.',
  '/help',
);

/** The answer to "Share in channel" on an answer that is not for sharing. */
export const NOT_SHAREABLE = errorReply(
  'Only answers shown just to you can be shared; this one is posted in the channel already, or is about the channel’s setup.',
  '/help',
);

/** Whether a command's answers may be shared in the channel: private answers anyone may ask for. */
export function shareable(command: Command): boolean {
  return command.visibility === 'private' && command.permission === 'anyone' && command.shareable !== false;
}

/** The "Share in channel" button for an answer to `command` asked with `options`. */
export function shareAction(command: Command, options: Options): Action {
  return { label: 'Share in channel', line: formatLine(command, options), mode: 'share' };
}

/** A button that runs `line` and answers whoever pressed it privately. */
export function replyAction(label: string, line: string): Action {
  return { label, line, mode: 'reply' };
}

/** A button that runs `line` as if typed: its answer goes where the command's answers go. */
export function runAction(label: string, line: string): Action {
  return { label, line, mode: 'run' };
}

/** A button that opens a form asking for the rest of `line`, then runs it in place of the message it is on. */
export function formAction(label: string, line: string): Action {
  return { label, line, mode: 'form' };
}

/** "Full record" of one event. */
export function fullRecordAction(eventId: string): Action {
  return replyAction('Full record', `/event ${eventId}`);
}

/**
 * Page buttons for a paged answer: "Previous page" and "Next page", each the same line on another page,
 * taking the place of the answer they are on.
 */
export function pageActions(command: Command, options: Options, page: number, pages: number): Action[] {
  const to = (label: string, n: number): Action => ({
    label,
    line: formatLine(command, { ...options, page: n === 1 ? undefined : n }),
    mode: 'replace',
  });
  return [...(page > 1 ? [to('Previous page', page - 1)] : []), ...(page < pages ? [to('Next page', page + 1)] : [])];
}

/**
 * The reply as it is posted in the channel for everyone: no "Share" button (it is shared), and buttons that
 * would replace the message answer privately instead (one person's paging must not change everyone's view).
 */
export function asShared(reply: Reply): Reply {
  const actions = (reply.actions ?? [])
    .filter((a) => a.mode !== 'share')
    .map((a) => (a.mode === 'replace' ? { ...a, mode: 'reply' as const } : a));
  const { actions: _dropped, ...rest } = reply;
  return actions.length > 0 ? { ...rest, actions } : rest;
}
