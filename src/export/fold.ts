// Line folding for iCalendar (RFC 5545 §3.1) by octets, in one pass over each line: the fold ical-generator 10
// does (its `foldLines`) but without encoding each character with a new TextEncoder, which cost ~4 ms an event.

/** The octets a content line may hold before a fold, as ical-generator counts them (the first line 74, then " " + 74). */
const MAX_OCTETS = 74;

/**
 * `text` (lines ending in CRLF, or not) with every line longer than 75 octets of UTF-8 folded: CRLF and a
 * space before the character that would pass the limit, never inside a character (a surrogate pair counts as
 * one 4-octet character; a lone surrogate as the 3 octets of U+FFFD, which is what UTF-8 encoding writes).
 * Byte for byte what ical-generator's `foldLines` writes for the same text (tests/export.test.ts checks it).
 */
export function foldLines(text: string): string {
  let out = '';
  let lineStart = 0;
  for (;;) {
    const end = text.indexOf('\r\n', lineStart);
    out += foldLine(text.slice(lineStart, end === -1 ? undefined : end));
    if (end === -1) return out;
    out += '\r\n';
    lineStart = end + 2;
  }
}

/** One line (no CRLF inside) folded as `foldLines` says. */
export function foldLine(line: string): string {
  // At most 3 octets a UTF-16 unit (a pair is 4 octets for 2 units): a line this short never folds.
  if (line.length * 3 <= MAX_OCTETS) return line;
  let out = '';
  let from = 0; // where the current physical line starts in `line`
  let octets = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    let size: number;
    let units = 1;
    if (code < 0x80) size = 1;
    else if (code < 0x800) size = 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < line.length) {
      const next = line.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        size = 4;
        units = 2;
      } else size = 3;
    } else size = 3;
    octets += size;
    if (octets > MAX_OCTETS) {
      out += `${line.slice(from, i)}\r\n `;
      from = i;
      octets = size;
    }
    i += units - 1;
  }
  return out + line.slice(from);
}
