// Small text helpers: normalizing names for matching, and "did you mean" suggestions.

/** Lowercase, accents and punctuation removed, spaces collapsed: "Lloyd J. Austin III" -> "lloyd j austin iii". */
export function normalize(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`.,()]/g, '')
    .replace(/[\s_\-–—/]+/g, ' ')
    .trim();
}

/** The words of a normalized value. */
export function words(value: string): string[] {
  const n = normalize(value);
  return n === '' ? [] : n.split(' ');
}

/** Whether every word of `query` appears among the words of `value` (in any order). */
export function containsWords(value: string, query: string): boolean {
  const have = new Set(words(value));
  const want = words(query);
  return want.length > 0 && want.every((w) => have.has(w));
}

/** The candidates closest to `input` by edit distance, closest first (at most `limit`). */
export function closest(input: string, candidates: readonly string[], limit = 3): string[] {
  const target = normalize(input);
  const scored = candidates
    .map((c) => ({ c, d: editDistance(target, normalize(c)) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(normalize(c).length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return scored.slice(0, limit).map((s) => s.c);
}

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost));
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/** "a, b or c". */
export function joinOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** "1 event", "3 events", "3,652 days". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/**
 * A whole number as en-US writes it ("3,652"), the same text as `toLocaleString('en-US')` without loading Intl's
 * number formatting, which costs a command-line process about 15 ms of its start. Other numbers go to Intl.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  return (n < 0 ? '-' : '') + String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * What is never shown from outside text: control characters but tab and newline (terminal escapes, bell,
 * NUL), bidirectional overrides and isolates (which reorder what is shown), invisible zero-width marks, and
 * what is no character at all (noncharacters such as U+FFFE, and a surrogate half without its pair), which XML
 * forbids: one of them in an event made the whole Atom feed unreadable to a strict feed reader.
 */
export const INVISIBLE =
  /[^\P{Cc}\t\n]|[\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|\p{Noncharacter_Code_Point}|\p{Cs}/gu;

/** `text` without the characters of INVISIBLE: every renderer applies it to outside text first. */
export function visibleText(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** At most `limit` UTF-16 units (as Slack and Discord count), cut between characters, ending with `…`. */
export function cutToLength(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > limit - 1) break;
    out += ch;
  }
  return `${out}…`;
}
