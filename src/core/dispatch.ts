// Runs one command line ("/lastcontact level:minister") against the catalog and returns a Reply.
import { asShared, decodeAction, NOT_SHAREABLE, shareAction, shareable, UNREADABLE_BUTTON } from './actions.js';
import { coerceOptions, parseLine } from './args.js';
import type { Catalog } from './catalog.js';
import type { Command, Options } from './command.js';
import type { Day } from './dates.js';
import { STORE_UNAVAILABLE_ANSWER, StoreUnavailable, UserError } from './errors.js';
import { type Action, errorReply, type Form, type Reply } from './reply.js';
import type { ScheduleBook } from './schedule.js';
import type { SubscriptionBook } from './subscription.js';
import { closest, formatCount, joinOr, visibleText } from './text.js';

/** What a caller supplies besides the line: the data, the commands and today. */
export interface AskContext {
  catalog: Catalog;
  commands: readonly Command[];
  now: Day;
  user?: string;
  channel?: string;
  /** The subscriptions of the channel asked in (see CommandContext). */
  subscriptions?: SubscriptionBook;
  /** The digest schedules of the channel asked in (see CommandContext). */
  schedules?: ScheduleBook;
  /** Why the bot could not post in the channel asked in (see CommandContext). */
  cannotPost?: string;
}

/** The command that answered (if one was found) and its reply. */
export interface Answer {
  command?: Command;
  reply: Reply;
}

/** Splits "/hotline lastcontact x" or "/lastcontact x" or "lastcontact x" into name and the rest. */
export function splitLine(line: string): { name: string; rest: string } {
  // Without invisible marks, as ask() reads it: "unsub\u200bscribe" names /unsubscribe for every check too.
  let text = visibleText(line).trim().replace(/^\//, '');
  const first = /^(\S+)\s*/.exec(text);
  let name = (first?.[1] ?? '').toLowerCase();
  text = text.slice(first?.[0].length ?? 0);
  if (name === 'hotline') {
    const second = /^\/?(\S+)\s*/.exec(text);
    name = (second?.[1] ?? 'help').toLowerCase();
    text = text.slice(second?.[0].length ?? 0);
  }
  // "/digest schedule weekly" is the command digest-schedule: one habit with /digest (and one Discord name).
  const sub = /^(\S+)\s*/.exec(text);
  const compound = `${name}-${(sub?.[1] ?? '').toLowerCase()}`;
  if (SUBCOMMANDS.has(compound)) {
    name = compound;
    text = text.slice(sub?.[0].length ?? 0);
  }
  return { name, rest: text };
}

/** Commands written as a command and a word: "/digest schedule …" runs digest-schedule. */
const SUBCOMMANDS: ReadonlySet<string> = new Set(['digest-schedule']);

/** The longest line answered; Slack allows 4,000 characters, and no real question needs more than this. */
export const MAX_LINE = 1000;

/** The answer to a question longer than MAX_LINE characters, or undefined. */
function lengthError(length: number): Reply | undefined {
  if (length <= MAX_LINE) return undefined;
  return errorReply(
    `That is ${formatCount(length)} characters long; Hotline answers questions of up to ${MAX_LINE} characters.`,
    '/search hotline',
  );
}

/** Answers a whole command line. Bad input becomes an error reply; other errors propagate. */
export async function ask(asked: string, ctx: AskContext): Promise<Answer> {
  // Invisible marks and controls are not part of a question: "Dong\u200bJun" is asked as "DongJun".
  const line = visibleText(asked);
  // Characters as a person counts them (code points), after the command name (so /hotline costs nothing).
  const tooLong = lengthError([...splitLine(line).rest].length);
  if (tooLong) return { reply: tooLong };
  const { name, rest } = splitLine(line);
  if (name === '') {
    return { reply: errorReply('Type a command after the slash, with no space between them.', '/help') };
  }
  const command = ctx.commands.find((c) => c.name === name);
  if (!command) {
    const near = closest(
      name,
      ctx.commands.map((c) => c.name),
      1,
    );
    return {
      reply: errorReply(
        `There is no command /${name}.${near.length > 0 ? ` Did you mean /${near[0]}?` : ''} Commands: ${joinOr(
          ctx.commands.map((c) => `/${c.name}`),
        )}.`,
        near.length > 0 ? `/${near[0]}` : '/help',
      ),
    };
  }
  return { command, reply: await answered(command, ctx, () => parseLine(command, rest)) };
}

/**
 * Runs a command with values a platform already typed (Discord's options): they are checked by
 * the same parser as text, and bad ones get the same error reply.
 */
export function run(
  command: Command,
  values: Readonly<Record<string, string | number | undefined>>,
  ctx: AskContext,
): Promise<Reply> {
  // The same limits as a typed line: at most MAX_LINE characters in all, without invisible marks.
  const cleaned = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? visibleText(v) : v]),
  );
  const tooLong = lengthError(
    Object.values(cleaned).reduce<number>((n, v) => n + (v === undefined ? 0 : [...String(v)].length), 0),
  );
  if (tooLong) return Promise.resolve(tooLong);
  return answered(command, ctx, () => coerceOptions(command, cleaned));
}

/** Parses the options and runs the command; a UserError anywhere becomes the error reply. */
async function answered(command: Command, ctx: AskContext, options: () => Options): Promise<Reply> {
  try {
    const parsed = options();
    const reply = await command.run({ ...ctx, options: parsed });
    if (reply.tone !== 'answer' || !shareable(command)) return reply;
    return { ...reply, actions: [...(reply.actions ?? []), shareAction(command, parsed)] };
  } catch (error) {
    if (error instanceof UserError) return errorReply(error.message, fullExample(command, error.example));
    if (error instanceof StoreUnavailable) return errorReply(STORE_UNAVAILABLE_ANSWER);
    throw error;
  }
}

/** Whether an answer is posted for the channel to see: shared answers yes; errors and private answers never. */
export function postsInChannel(command: Command | undefined, reply: Reply): boolean {
  return reply.tone !== 'error' && command?.visibility === 'channel';
}

/** Examples from deeper layers may be a bare option ("topic:taiwan"); show a line a person can paste. */
function fullExample(command: Command, example: string | undefined): string | undefined {
  if (example === undefined || example.startsWith('/')) return example;
  return `/${command.name} ${example}`;
}

/** What a pressed button answers, and how the platform delivers it (see Action's mode). */
export interface Pressed {
  mode: Action['mode'];
  command?: Command;
  reply: Reply;
}

/**
 * Answers a pressed button from the value it carried: the line is run as if typed. `gate` is the platform's
 * permission check for the command named (a refusal, or undefined to go on), as for a typed command. A
 * value Hotline cannot read gets a polite refusal; an error never replaces the answer a button was on.
 */
export async function pressed(
  value: unknown,
  ctx: AskContext,
  gate: (command: Command) => Promise<Reply | undefined> = async () => undefined,
): Promise<Pressed> {
  const action = decodeAction(value);
  if (!action) return { mode: 'reply', reply: UNREADABLE_BUTTON };
  const named = ctx.commands.find((c) => c.name === splitLine(action.line).name);
  if (action.mode === 'share' && named && !shareable(named))
    return { mode: 'reply', command: named, reply: NOT_SHAREABLE };
  const refused = named ? await gate(named) : undefined;
  if (refused) return { mode: 'reply', command: named, reply: refused };
  const { command, reply } = await ask(action.line, ctx);
  if (reply.tone === 'error') return { mode: 'reply', ...(command ? { command } : {}), reply };
  if (action.mode === 'share') return { mode: 'share', ...(command ? { command } : {}), reply: asShared(reply) };
  return { mode: action.mode, ...(command ? { command } : {}), reply };
}

/** What a "form" button opens: the form, and the value the submitted form carries back (the button's own). */
export type FormOpened = { command: Command; form: Form; value: string } | { command?: Command; reply: Reply };

/**
 * The command a "form" button's value names, and the rest of its line, after the checks every form step makes: a
 * value Hotline cannot read, or a command without a form, or a refusal by `gate`, is a reply.
 */
async function formCommand(
  value: unknown,
  ctx: AskContext,
  gate: (command: Command) => Promise<Reply | undefined>,
): Promise<{ command: Command & Required<Pick<Command, 'form'>>; rest: string } | { command?: Command; reply: Reply }> {
  const action = decodeAction(value);
  if (action?.mode !== 'form') return { reply: UNREADABLE_BUTTON };
  const { name, rest } = splitLine(action.line);
  const command = ctx.commands.find((c) => c.name === name);
  if (!command?.form) return { reply: UNREADABLE_BUTTON };
  const refused = await gate(command);
  if (refused) return { command, reply: refused };
  return { command: command as Command & Required<Pick<Command, 'form'>>, rest }; // form checked above
}

/**
 * The form a pressed "form" button opens (Command.form, with the line's options), after the same checks as any
 * button: a value Hotline cannot read, or a refusal by `gate`, or a question the form cannot ask, is a reply.
 */
export async function formFor(
  value: unknown,
  ctx: AskContext,
  gate: (command: Command) => Promise<Reply | undefined> = async () => undefined,
): Promise<FormOpened> {
  const opened = await formCommand(value, ctx, gate);
  if ('reply' in opened) return opened;
  const { command, rest } = opened;
  try {
    const form = await command.form({ ...ctx, options: parseLine(command, rest) });
    return { command, form, value: value as string };
  } catch (error) {
    if (error instanceof UserError) return { command, reply: errorReply(error.message) };
    if (error instanceof StoreUnavailable) return { command, reply: errorReply(STORE_UNAVAILABLE_ANSWER) };
    throw error;
  }
}

/**
 * Runs the line a submitted form carries (its button's value) with the fields filled in as options, checked
 * by the same parser and the same `gate` as a typed command.
 */
export async function submitForm(
  value: unknown,
  fields: Readonly<Record<string, string>>,
  ctx: AskContext,
  gate: (command: Command) => Promise<Reply | undefined> = async () => undefined,
): Promise<Answer> {
  const opened = await formCommand(value, ctx, gate);
  if ('reply' in opened) return opened;
  const { command, rest } = opened;
  return {
    command,
    reply: await answered(command, ctx, () => {
      const own = parseLine(command, rest) as Record<string, string | number | undefined>;
      // A field left empty is an option not given: the command says what it needs, in its own words.
      const filled = Object.fromEntries(
        Object.entries(fields)
          .map(([k, v]) => [k, visibleText(v)] as const)
          .filter(([, v]) => v.trim() !== ''),
      );
      // The line's own options win: a field can only fill what the line left open (a forged field named
      // "action" cannot turn a Reject form into an Approve).
      return coerceOptions(command, { ...filled, ...own });
    }),
  };
}
