// Items out of what a source answered: RSS 2.0, RSS 1.0 (RDF) and Atom with @rowanmanning/feed-parser (lenient
// with the malformed XML real feeds carry), and HTML listing pages with linkedom. Entity declarations are
// refused before any parser sees them, so neither "billion laughs" nor an external entity can expand. And an
// article page's main text, with Mozilla's Readability over linkedom's DOM (jsdom needs Node 22).
// What the parse worker runs (src/feeds/parseWorker.ts): the main thread loads these libraries only to parse
// in-thread (inThreadParser, src/feeds/parser.ts).
import { Readability } from '@mozilla/readability';
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseHTML } from 'linkedom';
import type { Day } from '../core/dates.js';
import type { Feed } from '../core/schema.js';
import { visibleText } from '../core/text.js';
import { isRealDate } from '../core/vocabulary.js';
import { ParseError } from './parseError.js';

/** The little of linkedom's DOM a listing is read with (the project compiles without lib.dom). */
interface Node {
  /** 3 for a text node. */
  nodeType: number;
  textContent: string | null;
  parentElement: Node | null;
  lastChild: Node | null;
  previousSibling: Node | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): Node | null;
  querySelectorAll(selector: string): Iterable<Node>;
}

/** One item as the source lists it: plain text, absolute URL. */
export interface ParsedItem {
  /** What identifies the item within its source: the guid or Atom id, else the URL. */
  key: string;
  title: string;
  url: string;
  /** The feed's description, as plain text. */
  summary?: string;
  /** The full text the feed carries (content:encoded, Atom content), as plain text. */
  content?: string;
  /** The day of publication as the publisher wrote it (its own time zone). */
  published?: Day;
}

/** The items of a source's answer, read as its kind says. */
export function parseSource(feed: Pick<Feed, 'kind' | 'items'>, body: string, url: string): ParsedItem[] {
  return feed.kind === 'html' ? parseListing(body, url, feed.items) : parseFeedXml(body, url);
}

/** Items of an RSS, RDF or Atom document; `base` resolves relative links. Throws ParseError. */
export function parseFeedXml(text: string, base: string): ParsedItem[] {
  const xml = guardXml(text);
  let feed: ReturnType<typeof parseFeed>;
  try {
    feed = parseFeed(xml);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new ParseError(
      code === 'INVALID_FEED'
        ? 'not a feed: no rss, rdf:RDF or feed element'
        : `unreadable XML: ${oneLine((error as Error).message)}`,
    );
  }
  // Each item's link is resolved against the feed's own, a getter that searches the whole document each time it is
  // read: read once, so a feed of many items parses in linear time (20,000 items took minutes, blocking the process).
  Object.defineProperty(feed, 'url', { value: feed.url });
  const items: ParsedItem[] = [];
  for (const item of feed.items) {
    const url = absolute(item.url, base);
    const title = plain(item.title ?? '');
    if (!url || title === '') continue; // an item with no link or no title cannot become a source
    const summary = plain(item.description ?? '');
    const content = plain(item.content ?? '');
    const published = writtenDay(item.element) ?? (item.published ? utcDay(item.published) : undefined);
    items.push({
      key: item.id?.trim() || url,
      title,
      url,
      ...(summary ? { summary } : {}),
      ...(content && content !== summary ? { content } : {}),
      ...(published ? { published } : {}),
    });
  }
  return items;
}

/**
 * The XML with its DOCTYPE removed, or a ParseError when the document declares entities (<!ENTITY …>): a
 * feed never needs them, and they are how "billion laughs" and external-entity attacks are written.
 * An HTML page where a feed was expected is refused with that said.
 */
export function guardXml(text: string): string {
  let start = text.replace(/^\uFEFF/, '').trimStart();
  if (/^<!doctype\s+html|^<html[\s>]/i.test(start)) throw new ParseError('not XML: an HTML page (is the URL a feed?)');
  if (!start.startsWith('<')) {
    // Real feeds sometimes come after a line of junk (a server's PHP notice): skip it, up to the document.
    const at = start.slice(0, 2_000).search(/<\?xml|<rss[\s>]|<feed[\s>]|<rdf:RDF[\s>]/i);
    if (at < 0) throw new ParseError('not XML: the answer does not start with "<"');
    start = start.slice(at);
  }
  // The prolog is read construct by construct (declaration, processing instructions, comments, DOCTYPE), so a
  // "<" inside a comment or an instruction cannot end it early and hide a declaration after it.
  const refused = () =>
    new ParseError('refused: the XML declares entities (<!DOCTYPE … [<!ENTITY …>]), which a feed never needs');
  const kept: string[] = [];
  let at = 0;
  for (;;) {
    const space = /^\s*/.exec(start.slice(at))?.[0].length ?? 0;
    kept.push(start.slice(at, at + space));
    at += space;
    const close = start.startsWith('<?', at) ? '?>' : start.startsWith('<!--', at) ? '-->' : undefined;
    if (close) {
      const end = start.indexOf(close, at + 2);
      if (end < 0) break; // unterminated: the parser says what is wrong
      kept.push(start.slice(at, end + close.length));
      at = end + close.length;
      continue;
    }
    if (/^<!doctype\b/i.test(start.slice(at, at + 10))) {
      const end = start.slice(at).search(/[>[]/);
      if (end < 0 || start[at + end] === '[') throw refused();
      at += end + 1; // a DOCTYPE without a subset names a DTD the parser never reads: dropped
      continue;
    }
    if (start.startsWith('<!', at)) throw refused(); // <!ENTITY …> (or any other declaration) outside a DOCTYPE
    break;
  }
  return kept.join('') + start.slice(at);
}

/** Items of an HTML listing: the links `hints` select (their text is the title), else the page's article links. */
export function parseListing(html: string, base: string, hints?: Feed['items']): ParsedItem[] {
  const document = parseHTML(html).document as unknown as Node;
  const items: ParsedItem[] = [];
  const seen = new Set<string>();
  const add = (link: Node | null, dateText: string | undefined) => {
    if (!link) return;
    const url = absolute(link.getAttribute('href'), base);
    const title = plain(link.textContent ?? '') || plain(link.getAttribute('title') ?? '');
    if (!url || title === '' || seen.has(url)) return;
    seen.add(url);
    const published = dateText === undefined ? undefined : listingDay(dateText);
    items.push({ key: url, title, url, ...(published ? { published } : {}) });
  };
  /** `query` with `selector`, its failure named as the selector's. */
  const css = <T>(selector: string, query: () => T): T => {
    try {
      return query();
    } catch {
      throw new ParseError(`the listing selector "${selector}" is not valid CSS`);
    }
  };
  const select = (root: Node, selector: string) => css(selector, () => [...root.querySelectorAll(selector)]);
  const first = (root: Node, selector: string) => css(selector, () => root.querySelector(selector));
  if (hints?.item) {
    for (const entry of select(document, hints.item)) {
      const date = hints.date ? first(entry, hints.date) : entry;
      add(first(entry, hints.link), date ? textNear(date) : undefined);
    }
  } else if (hints) {
    for (const link of select(document, hints.link)) add(link, textNear(link.parentElement));
  } else {
    // No hints: every link to another page of the same site whose text reads like a headline.
    const host = safeHost(base);
    for (const link of select(document, 'a[href]')) {
      const url = absolute(link.getAttribute('href'), base);
      const title = plain(link.textContent ?? '');
      if (!url || safeHost(url) !== host || url.split('#')[0] === base.split('#')[0]) continue;
      if (title.length < (/[\u4e00-\u9fff]/.test(title) ? 6 : 20)) continue;
      add(link, textNear(link.parentElement));
    }
  }
  if (items.length === 0) throw new ParseError('no items: the listing has no links the selectors match');
  return items;
}

/** How much of the text around a link is read for its date: an item's own text, not a whole page's. */
export const DATE_TEXT_MAX = 2_000;

/**
 * The first DATE_TEXT_MAX characters of `node`'s text, in document order. Reading a parent's whole text made a
 * listing of nested links quadratic: each link's parent held every link after it (20,000 of them took a minute).
 */
function textNear(node: Node | null): string | undefined {
  if (!node) return undefined;
  let text = '';
  const stack: Node[] = [node];
  while (stack.length > 0 && text.length < DATE_TEXT_MAX) {
    const current = stack.pop() as Node;
    if (current.nodeType === 3) text += current.textContent ?? '';
    else for (let child = current.lastChild; child; child = child.previousSibling) stack.push(child);
  }
  return text.slice(0, DATE_TEXT_MAX);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A day written in a listing or a feed date: 2026-06-02, 2026/6/2, 2026年6月2日, 2 June 2026, June 2, 2026. */
export function listingDay(text: string): Day | undefined {
  const iso = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(text);
  if (iso) return day(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dmy = /\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/.exec(text);
  if (dmy) return day(Number(dmy[3]), month(dmy[2] as string), Number(dmy[1]));
  const mdy = /\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b/.exec(text);
  if (mdy) return day(Number(mdy[3]), month(mdy[1] as string), Number(mdy[2]));
  return undefined;
}

function month(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function day(year: number, m: number, d: number): Day | undefined {
  if (m < 1) return undefined;
  const value = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isRealDate(value) ? value : undefined;
}

/** The day of the item's date element as written (dc:date "2026-06-02T21:00:00-04:00" is 2 June, not 3). */
function writtenDay(element: { findElementWithName(name: string): { textContentNormalized: string } | null }) {
  for (const name of ['date', 'pubdate', 'published', 'issued', 'updated']) {
    const text = element.findElementWithName(name)?.textContentNormalized;
    if (text) return listingDay(text);
  }
  return undefined;
}

function utcDay(date: Date): Day | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

/** An http(s) URL resolved against `base`, or undefined. */
function absolute(href: string | null | undefined, base: string): string | undefined {
  if (!href?.trim()) return undefined;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * Text with markup removed, invisible marks dropped (zero-width spaces, bidi overrides, control characters:
 * the schema refuses them, and a draft's source title is not a field editors can change) and white space
 * collapsed (entities are decoded by the parsers).
 */
export function plain(text: string): string {
  return visibleText(text)
    .replace(/<[^>]{0,2000}>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').slice(0, 200);
}

/** The main text of an HTML page (Readability), as plain text; undefined when it finds none. */
export function extractText(html: string, url: string): string | undefined {
  try {
    const { document } = parseHTML(html);
    // linkedom's document stands in for the DOM's (Readability is typed for lib.dom, which this project leaves out).
    // Readability resolves links against the document's URL; linkedom's documents have none of their own.
    const base = document.createElement('base');
    base.setAttribute('href', url);
    document.head?.appendChild(base);
    const article = new Readability(document as never, { charThreshold: 100 }).parse();
    if (!article?.content) return undefined;
    // textContent runs paragraphs together ("…a call.Secretary…"): end each block with a line break first.
    const { document: body } = parseHTML(`<html><body>${article.content}</body></html>`);
    for (const block of body.querySelectorAll('p, h1, h2, h3, h4, h5, h6, li, div, br, td, blockquote')) {
      block.appendChild(body.createTextNode('\n'));
    }
    const text = (body.body.textContent ?? '')
      .replace(/[ \t]+/g, ' ')
      .replace(/\s*\n\s*/g, '\n')
      .trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}
