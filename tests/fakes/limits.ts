// The platforms' documented limits and escaping rules, checked on rendered messages (render and property tests).
import type { DiscordMessage } from '../../src/adapters/discord/render.js';
import { embedChars } from '../../src/adapters/discord/render.js';
import { SLACK_LIMITS, type SlackBlock, type SlackMessage } from '../../src/adapters/slack/render.js';

/** Every mrkdwn text in a message, with where it is. */
export function mrkdwnTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((b) => {
    if (b.type === 'section') return 'text' in b ? [b.text.text] : b.fields.map((f) => f.text);
    if (b.type === 'context') return b.elements.map((e) => e.text);
    return [];
  });
}

// Our own links; what is left after removing them must hold no < or > at all.
const LINK = /<https?:\/\/[^\s<>|]+\|[^<>]+>/g;
export const BARE_MENTION = /@(here|channel|everyone)\b/i;

/** Every Slack limit and escaping rule a message breaks, as readable lines (none: it is fine). */
export function slackProblems(message: SlackMessage): string[] {
  const out: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) out.push(what);
  };
  check(message.blocks.length >= 1 && message.blocks.length <= SLACK_LIMITS.blocks, `${message.blocks.length} blocks`);
  check(message.text.length >= 1 && message.text.length <= SLACK_LIMITS.fallbackText, `text ${message.text.length}`);
  message.blocks.forEach((b: SlackBlock, i) => {
    if (b.type === 'header') {
      check(i === 0, `header at ${i}`);
      check(b.text.type === 'plain_text', 'header is not plain_text');
      check(b.text.text.length >= 1 && b.text.text.length <= SLACK_LIMITS.headerText, `header ${b.text.text.length}`);
      check(!BARE_MENTION.test(b.text.text), `header mentions: ${b.text.text}`);
    } else if (b.type === 'section' && 'text' in b) {
      const n = b.text.text.length;
      check(n >= 1 && n <= SLACK_LIMITS.sectionText, `section ${i} has ${n} characters`);
    } else if (b.type === 'section') {
      check(
        b.fields.length >= 1 && b.fields.length <= SLACK_LIMITS.fields,
        `section ${i} has ${b.fields.length} fields`,
      );
      for (const f of b.fields) {
        check(f.text.length >= 1 && f.text.length <= SLACK_LIMITS.fieldText, `field of ${f.text.length} in ${i}`);
      }
    } else if (b.type === 'actions') {
      check(b.elements.length >= 1 && b.elements.length <= 25, `actions ${i} has ${b.elements.length} elements`);
      const ids = new Set(b.elements.map((e) => e.action_id));
      check(ids.size === b.elements.length, `actions ${i}: action_ids repeat`);
      for (const e of b.elements) {
        check(e.text.type === 'plain_text' && e.text.text.length >= 1 && e.text.text.length <= 75, `button label ${i}`);
        check(e.value.length <= 2000 && e.action_id.length <= 255, `button value or id too long in ${i}`);
        check(!BARE_MENTION.test(e.text.text), `button mentions: ${e.text.text}`);
      }
    } else {
      check(b.elements.length >= 1 && b.elements.length <= SLACK_LIMITS.contextElements, `context ${i} size`);
      for (const e of b.elements) {
        check(e.text.length >= 1 && e.text.length <= SLACK_LIMITS.contextText, `context text ${e.text.length}`);
      }
    }
  });
  for (const text of [...mrkdwnTexts(message), message.text]) {
    const outside = text.replace(LINK, '');
    check(!/[<>]/.test(outside), `live < or > in: ${text.slice(0, 80)}`);
    check(!BARE_MENTION.test(text), `bare mention in: ${text.slice(0, 80)}`);
    check(!/&(?!amp;|lt;|gt;)/.test(text), `raw or split & in: ${text.slice(0, 80)}`);
  }
  for (const b of message.blocks) {
    if (b.type !== 'header' && b.type !== 'actions') {
      const objects = b.type === 'section' ? ('text' in b ? [b.text] : b.fields) : b.elements;
      for (const o of objects)
        check(o.type === 'mrkdwn' && o.verbatim === true, 'a text object is not verbatim mrkdwn');
    }
  }
  return out;
}

/** Every way a message breaks Discord's documented limits (checked here with Discord's numbers, not ours). */
export function discordProblems(message: DiscordMessage): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  check(message.embeds.length >= 1 && message.embeds.length <= 10, `${message.embeds.length} embeds`);
  check((message.content ?? '').length <= 2000, 'content over 2,000');
  check(embedChars(message.embeds) <= 6000, `${embedChars(message.embeds)} characters in all`);
  for (const [i, e] of message.embeds.entries()) {
    check((e.title ?? '').length <= 256, `embed ${i}: title over 256`);
    check((e.description ?? '').length <= 4096, `embed ${i}: description over 4,096`);
    check((e.footer?.text ?? '').length <= 2048, `embed ${i}: footer over 2,048`);
    check((e.fields ?? []).length <= 25, `embed ${i}: over 25 fields`);
    check(Boolean(e.title || e.description || e.fields?.length), `embed ${i}: empty`);
    for (const f of e.fields ?? []) {
      check(f.name.trim().length >= 1 && f.name.length <= 256, `embed ${i}: field name "${f.name}"`);
      check(f.value.trim().length >= 1 && f.value.length <= 1024, `embed ${i}: field value of "${f.name}"`);
    }
  }
  const rows = message.components ?? [];
  check(rows.length <= 5, `${rows.length} component rows`);
  const ids = rows.flatMap((r) => r.components.map((b) => b.custom_id));
  check(new Set(ids).size === ids.length, 'custom_ids repeat');
  for (const row of rows) {
    check(row.type === 1 && row.components.length >= 1 && row.components.length <= 5, 'a row of 1–5 buttons');
    for (const b of row.components) {
      check(b.label.length >= 1 && b.label.length <= 80, `button label of ${b.label.length}`);
      check(b.custom_id.length >= 1 && b.custom_id.length <= 100, `custom_id of ${b.custom_id.length}`);
    }
  }
  return problems;
}

/** All the text Discord would show, to look for live mentions. */
export function discordText(message: DiscordMessage): string {
  return message.embeds
    .flatMap((e) => [
      e.title ?? '',
      e.description ?? '',
      e.footer?.text ?? '',
      ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    ])
    .join('\n');
}

/**
 * Control characters (but tab and newline) and invisible marks, written out independently of the code
 * under test (not by importing its INVISIBLE): no rendered answer may hold one.
 */
// biome-ignore lint/complexity/useRegexLiterals: written as a string, the pattern's control characters stay escapes
export const HIDDEN_CHARS = new RegExp(
  '[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u200b\\u200e\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff]',
);
