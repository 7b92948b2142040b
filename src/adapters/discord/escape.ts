// Escaping for Discord: text from a Reply can neither format, mention anyone, nor break a link.
import { visibleText } from '../../core/text.js';

/** Zero-width space: splits a mention so Discord no longer reads it, and fills a field that must not be empty. */
export const ZWSP = '\u200b';

// Characters that format anywhere on a line (emphasis, strike, code, spoiler, links, mentions and
// timestamps). Brackets are enough to stop a masked link, so parentheses are left alone.
const INLINE = /[\\*_~`|[\]<]/g;
// Characters that format only at the start of a line: quote, heading, subtext, bullet, numbered item.
const LINE_START = /^([ \t]*)([>#+-])/gm;
const NUMBERED = /^([ \t]*)(\d+)\./gm;

/** Makes "@everyone" and "@here" plain text by putting a zero-width space after the "@". */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(?=everyone|here)/gi, `@${ZWSP}`);
}

/** Escapes what would format at the start of a line; idempotent, so it can be re-applied after a split. */
export function escapeLineStarts(markdown: string): string {
  return markdown.replace(LINE_START, '$1\\$2').replace(NUMBERED, '$1$2\\.');
}

/**
 * Text that Discord shows literally where it renders markdown (embed title, description, field
 * names and values): markdown characters are backslash-escaped, and mentions are neutralized.
 */
export function escapeMarkdown(text: string): string {
  return neutralizeMentions(escapeLineStarts(visibleText(text).replace(INLINE, '\\$&')));
}

/**
 * Text for a line that holds a masked link (`[label](url)`). Discord finds a link's end by looking
 * for "](" and ignores backslashes while doing so, so square brackets in such a line become round ones.
 */
export function escapeLinkText(text: string): string {
  return escapeMarkdown(text.replace(/\[/g, '(').replace(/]/g, ')'));
}

/** Text for places Discord shows without markdown (the embed footer): only mentions are neutralized. */
export function plainText(text: string): string {
  return neutralizeMentions(visibleText(text)).replace(/</g, `<${ZWSP}`);
}

/**
 * An http(s) URL that cannot end a masked link early: whitespace, brackets, parentheses, quotes,
 * backslashes and angle brackets after the host are percent-encoded. Anything else gives undefined.
 */
export function safeUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const rest = `${url.pathname}${url.search}${url.hash}`.replace(
    /[\s()[\]<>\\"'`]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `${url.protocol}//${url.host}${rest}`;
}

/** Cuts escaped text to at most `max` characters, at a word where it can, ending with "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const space = cut.search(/\s\S*$/);
  if (space > max * 0.6) cut = cut.slice(0, space);
  return `${intact(cut.trimEnd())}…`;
}

/**
 * Splits escaped text into pieces of at most `max` characters, at line breaks or spaces where it
 * can. Each piece starts a new paragraph or field, so what would format at its start is escaped.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  // One character of room for the escape a piece may need at its start.
  const room = max - 1;
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, room + 1);
    let at = window.lastIndexOf('\n');
    if (at < room * 0.5) at = window.lastIndexOf(' ');
    const piece = at >= room * 0.5 ? rest.slice(0, at) : intact(rest.slice(0, room));
    pieces.push(piece);
    rest = escapeLineStarts(rest.slice(piece.length).replace(/^\s+/, ''));
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/** Drops a dangling escape backslash or half of a surrogate pair left at the end of a cut. */
function intact(cut: string): string {
  let out = cut;
  const last = out.charCodeAt(out.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  const slashes = /\\*$/.exec(out)?.[0].length ?? 0;
  return slashes % 2 === 1 ? out.slice(0, -1) : out;
}
