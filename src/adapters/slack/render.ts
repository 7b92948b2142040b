// Renders a Reply as Slack Block Kit within Slack's limits, with every piece of Reply text escaped (pure).

import { encodeAction } from '../../core/actions.js';
import { formatDate } from '../../core/dates.js';
import { morePointer } from '../../core/present.js';
import {
  type Action,
  type Block,
  type Field,
  type Form,
  type Reply,
  type SourceRef,
  visibleReply,
} from '../../core/reply.js';
import { INVISIBLE } from '../../core/text.js';
import { ENTRY_POINT, RESERVED } from './manifest.js';

/** Slack's limits that a rendered message keeps (docs/SLACK.md). */
export const SLACK_LIMITS = {
  /** Blocks in one message. */
  blocks: 50,
  /** A header block's plain_text. */
  headerText: 150,
  /** A section's text. */
  sectionText: 3000,
  /** Fields in one section. */
  fields: 10,
  /** One field's text. */
  fieldText: 2000,
  /** Elements in one context block. */
  contextElements: 10,
  /** One context element's text (a text object's own limit). */
  contextText: 3000,
  /** The top-level `text`: the fallback shown in notifications. */
  fallbackText: 3000,
  /** A button's label (plain_text). */
  buttonText: 75,
  /** A button's value: what it carries back when pressed. */
  buttonValue: 2000,
  /** Elements in one actions block. */
  actionElements: 25,
} as const;

/** The prefix of every button's action_id; the app's action listener answers these. */
export const ACTION_ID_PREFIX = 'hotline:';

/** Sections kept for the sources however long the body is; they take more when the body leaves room. */
export const MIN_SOURCE_SECTIONS = 5;

/** Items one list shows before "…and N more": a message is read at a glance (docs/messages.md). */
export const MAX_LIST_ITEMS = 50;

/** A plain_text object: shown as typed, never parsed for mentions or markup. */
export interface SlackPlainText {
  type: 'plain_text';
  text: string;
  emoji: boolean;
}

/** A mrkdwn object; `verbatim` stops Slack from linking bare URLs, channel names and mentions itself. */
export interface SlackMrkdwn {
  type: 'mrkdwn';
  text: string;
  verbatim: true;
}

/** The Block Kit blocks Hotline posts. */
export type SlackBlock =
  | { type: 'header'; text: SlackPlainText }
  | { type: 'section'; text: SlackMrkdwn }
  | { type: 'section'; fields: SlackMrkdwn[] }
  | { type: 'context'; elements: SlackMrkdwn[] }
  | { type: 'actions'; elements: SlackButton[] };

/** A button: its value is the encoded action (core/actions.ts), read back when it is pressed. */
export interface SlackButton {
  type: 'button';
  text: SlackPlainText;
  action_id: string;
  value: string;
}

/** A message ready for chat.postMessage or response_url: blocks, and `text` for notifications. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** The end of a text cut to fit. */
export const CUT_POINTER = ' … (cut to fit Slack; ask /timeline or /event for the rest)';

// Lookalikes for mrkdwn's formatting characters, as jsx-slack uses: no pattern can form from them.
const LOOKALIKES: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02CD', // ˍ modifier letter low macron
  '~': '\u223C', // ∼ tilde operator
  '`': '\u02CB', // ˋ modifier letter grave accent
};
const WORD_JOINER = '\u2060';
const SOFT_HYPHEN = '\u00AD';

/**
 * Escapes outside text for mrkdwn so it shows as written and can do nothing else:
 * &, <, > become entities (so no <!channel>, <@U…>, <#C…> or <url|…> can form); *, _, ~ and `
 * become lookalikes; an @ before a letter or digit gets a word joiner (no @here, @channel,
 * @everyone); a line starting with > gets a soft hyphen first (no block quote).
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*_~`]/g, (c) => LOOKALIKES[c] ?? c)
    .replace(/@(?=[\p{L}\p{N}])/gu, `@${WORD_JOINER}`)
    .replace(/:(?=[a-z0-9+-]+:)/g, `:${WORD_JOINER}`) // no :emoji: shortcodes from outside text
    .replace(/^([ \t]*)&gt;/gm, `$1${SOFT_HYPHEN}&gt;`);
}

/** Outside text for a plain_text object: one line, no controls, and @ mentions broken as in mrkdwn. */
export function escapePlainText(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/@(?=[\p{L}\p{N}])/gu, `@${WORD_JOINER}`)
    .replace(/<(?=[!@#])/g, `<${WORD_JOINER}`); // plain text never pings, but no "<!channel>" is ever shown either
}

/**
 * A URL made safe inside `<url|label>`: characters that would end the link or the URL (|, <, >,
 * whitespace, ") are percent-encoded, and & becomes &amp; as Slack asks.
 */
export function escapeUrl(url: string): string {
  return url.replace(/[\s|<>"]/gu, (c) => encodeURIComponent(c)).replace(/&/g, '&amp;');
}

/** A link `<url|label>` with the label escaped; a URL that is not http(s) is shown as text, not linked. */
export function mrkdwnLink(url: string, label: string): string {
  const text = escapeMrkdwn(oneLine(label) || url);
  if (!/^https?:\/\//i.test(url)) return `${text} (${escapeMrkdwn(url)})`;
  return `<${escapeUrl(url)}|${text}>`;
}

/**
 * Cuts escaped text to `max` characters, ending with `suffix`. It never splits an entity (&amp;)
 * or a surrogate pair, and prefers to end at a space.
 */
export function cutEscaped(text: string, max: number, suffix = '…'): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - suffix.length);
  const amp = text.lastIndexOf('&', end - 1);
  if (amp !== -1 && amp >= end - 4 && text.indexOf(';', amp) >= end) end = amp;
  const code = text.charCodeAt(end - 1);
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end -= 1;
  const space = text.lastIndexOf(' ', end);
  if (space > 0 && space > end - 30) end = space;
  return `${text.slice(0, end).trimEnd()}${suffix}`;
}

/** One rendered block and how many of the Reply's items (list items, fields, texts) it carries. */
interface Unit {
  block: SlackBlock;
  items: number;
}

const mrkdwn = (text: string): SlackMrkdwn => ({ type: 'mrkdwn', text, verbatim: true });
const section = (text: string): SlackBlock => ({ type: 'section', text: mrkdwn(text) });
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const bold = (text: string): string => `*${cutEscaped(escapeMrkdwn(oneLine(text)), 300)}*`;

// A list line is kept well under a section's limit so a heading and the line always fit together.
const MAX_LINE = 2500;

/**
 * Hotline's texts name commands as they are typed elsewhere (`/search hotline`); on Slack, a command whose
 * name Slack keeps for itself is reached through the entry point, so every mention says `/hotline search`.
 * Hotline's own texts never mention Slack's commands, so every such name can be rewritten.
 */
const RESERVED_MENTION = new RegExp(`(^|[\\s(\\[\`'"“])/(${[...RESERVED].join('|')})(?![\\w-])`, 'g');

function viaEntryPoint(reply: Reply): Reply {
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(RESERVED_MENTION, `$1/${ENTRY_POINT} $2`);
    if (Array.isArray(value)) return value.map(rewrite);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'url' ? v : rewrite(v)]));
    }
    return value;
  };
  return rewrite(reply) as Reply;
}

/** The Reply as a Slack message: header, body, sources, footer; within every limit, never throwing. */
export function renderSlack(asked: Reply): SlackMessage {
  const reply = viaEntryPoint(visibleReply(asked));
  const header: SlackBlock = {
    type: 'header',
    text: {
      type: 'plain_text',
      text: cutPlain(escapePlainText(reply.title) || 'Hotline', SLACK_LIMITS.headerText),
      emoji: false,
    },
  };
  const footerText = reply.footer ? escapeMrkdwn(reply.footer.trim()) : '';
  const footer: SlackBlock[] =
    footerText.length > 0
      ? [{ type: 'context', elements: [mrkdwn(cutEscaped(footerText, SLACK_LIMITS.contextText))] }]
      : [];
  const buttons = actionBlocks(reply.actions ?? []);
  // Every answer carries its sources: the body may not crowd them below MIN_SOURCE_SECTIONS.
  const room = SLACK_LIMITS.blocks - 1 - footer.length - buttons.length;
  const bodyUnits = reply.blocks.flatMap(blockUnits);
  const sourceList = sourceUnits(reply.sources, reply.moreSources);
  const sources = limitUnits(sourceList, Math.max(MIN_SOURCE_SECTIONS, room - bodyUnits.length));
  const body = limitUnits(bodyUnits, room - sources.length);
  const fallback = escapeMrkdwn(reply.fallbackText.trim() || reply.title.trim() || 'Hotline');
  return {
    text: cutEscaped(fallback, SLACK_LIMITS.fallbackText),
    blocks: [header, ...body.map((u) => u.block), ...sources.map((u) => u.block), ...buttons, ...footer],
  };
}

/** The buttons in one actions block; one whose value would not fit is left out (its line can be typed). */
function actionBlocks(actions: readonly Action[]): SlackBlock[] {
  const elements = actions
    .map(
      (action, i): SlackButton => ({
        type: 'button',
        text: {
          type: 'plain_text',
          text: cutPlain(escapePlainText(action.label), SLACK_LIMITS.buttonText),
          emoji: false,
        },
        action_id: `${ACTION_ID_PREFIX}${i}`,
        value: encodeAction(action),
      }),
    )
    .filter((b) => b.value.length <= SLACK_LIMITS.buttonValue && b.text.text.length > 0)
    .slice(0, SLACK_LIMITS.actionElements);
  return elements.length > 0 ? [{ type: 'actions', elements }] : [];
}

/** Keeps at most `max` units; when some must go, the last kept one is a pointer counting what went. */
function limitUnits(units: Unit[], max: number): Unit[] {
  if (units.length <= max) return units;
  const kept = units.slice(0, Math.max(0, max - 1));
  const dropped = units.slice(kept.length).reduce((n, u) => n + u.items, 0);
  return [...kept, { block: section(morePointer(dropped)), items: 0 }];
}

function blockUnits(block: Block): Unit[] {
  switch (block.type) {
    case 'text': {
      const text = escapeMrkdwn(block.text.trim());
      return text.length > 0
        ? [{ block: section(cutEscaped(text, SLACK_LIMITS.sectionText, CUT_POINTER)), items: 1 }]
        : [];
    }
    case 'fields':
    case 'columns':
      return fieldUnits(block.type === 'fields' ? block.fields : block.columns);
    case 'list': {
      const shown = block.items.slice(0, MAX_LIST_ITEMS).map((item) => line(`• ${escapeMrkdwn(item.trim())}`));
      const more = block.items.length - shown.length;
      return listUnits(block.heading, more > 0 ? [...shown, { text: morePointer(more), items: more }] : shown);
    }
  }
}

/** Label/value pairs as section fields: *label* on one line, the value below; ten to a section. */
function fieldUnits(fields: readonly Field[]): Unit[] {
  const texts = fields.flatMap((f) => {
    const label = oneLine(f.label);
    const value = escapeMrkdwn(f.value.trim());
    const text = [label ? bold(label) : '', value].filter((s) => s.length > 0).join('\n');
    return text.length > 0 ? [cutEscaped(text, SLACK_LIMITS.fieldText)] : [];
  });
  const units: Unit[] = [];
  for (let i = 0; i < texts.length; i += SLACK_LIMITS.fields) {
    const group = texts.slice(i, i + SLACK_LIMITS.fields);
    units.push({ block: { type: 'section', fields: group.map(mrkdwn) }, items: group.length });
  }
  return units;
}

/** One escaped line of a list, and how many items it stands for (a pointer stands for those it counts). */
interface Line {
  text: string;
  items: number;
}

const line = (text: string): Line => ({ text, items: 1 });

/** A bold heading and escaped lines, packed into as few sections as the text limit allows. */
function listUnits(heading: string | undefined, lines: readonly Line[]): Unit[] {
  const units: Unit[] = [];
  let text = heading && oneLine(heading) ? bold(heading) : '';
  let items = 0;
  for (const entry of lines) {
    const next = cutEscaped(entry.text, MAX_LINE);
    if (text.length > 0 && text.length + 1 + next.length > SLACK_LIMITS.sectionText) {
      units.push({ block: section(text), items });
      text = '';
      items = 0;
    }
    text = text.length > 0 ? `${text}\n${next}` : next;
    items += entry.items;
  }
  if (text.length > 0) units.push({ block: section(text), items });
  return units;
}

/** Numbered sources: [1] <url|title> — publisher, date, US/PRC official readout. */
function sourceUnits(sources: readonly SourceRef[], more?: string): Unit[] {
  const lines = sources.map((s, i) => {
    const meta = [
      s.publisher.trim(),
      s.date ? safeDate(s.date) : undefined,
      s.readout ? `${s.readout} official readout` : undefined,
    ].filter((part): part is string => Boolean(part));
    const after = meta.length > 0 ? ` — ${escapeMrkdwn(oneLine(meta.join(', ')))}` : '';
    const linked = `[${i + 1}] ${mrkdwnLink(s.url, s.title)}${after}`;
    if (linked.length <= MAX_LINE) return line(linked);
    // Too long to keep whole: the link would be cut in half, so show the title as text instead.
    return line(cutEscaped(`[${i + 1}] ${escapeMrkdwn(oneLine(s.title))}${after}`, MAX_LINE));
  });
  if (more && sources.length > 0) lines.push(line(cutEscaped(escapeMrkdwn(oneLine(more)), MAX_LINE)));
  return listUnits(sources.length > 0 ? 'Sources' : undefined, lines);
}

/** A date as people read it; a value that is not a date is shown as given. */
function safeDate(value: string): string {
  try {
    return formatDate(value);
  } catch {
    return value;
  }
}

function cutPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** The callback id of every Hotline modal (a form a button opened). */
export const FORM_CALLBACK_ID = 'hotline:form';

/** What a form's modal carries back to the submission: the button's value and the message it was on. */
export interface FormOrigin {
  /** The button's value (core/actions.ts): the line to run. */
  value: string;
  channel?: string;
  /** The message the button was on, when it can be updated (not an ephemeral one). */
  ts?: string;
}

/** A core Form as a Slack modal (views.open): one input block per field, its block_id the option's name. */
export function renderForm(form: Form, origin: FormOrigin): Record<string, unknown> {
  const plain = (text: string, max: number) => ({
    type: 'plain_text',
    text: cutPlain(escapePlainText(text), max) || 'Hotline',
    emoji: false,
  });
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    private_metadata: JSON.stringify(origin),
    title: plain(form.title, 24),
    submit: plain(form.submit, 24),
    close: plain('Cancel', 24),
    blocks: form.fields.slice(0, 5).map((field) => ({
      type: 'input',
      block_id: field.name,
      label: plain(field.label, 2000),
      optional: field.optional ?? false,
      element: {
        type: 'plain_text_input',
        action_id: 'value',
        multiline: field.multiline ?? false,
        max_length: field.maxLength,
        ...(field.value ? { initial_value: field.value.slice(0, field.maxLength) } : {}),
      },
    })),
  };
}

/** The origin a submitted modal carries, or undefined when it is not one Hotline made. */
export function readFormOrigin(metadata: unknown): FormOrigin | undefined {
  if (typeof metadata !== 'string' || metadata.length > 3000) return undefined;
  try {
    const origin = JSON.parse(metadata) as Partial<FormOrigin>;
    if (typeof origin.value !== 'string') return undefined;
    return {
      value: origin.value,
      ...(typeof origin.channel === 'string' ? { channel: origin.channel } : {}),
      ...(typeof origin.ts === 'string' ? { ts: origin.ts } : {}),
    };
  } catch {
    return undefined;
  }
}
