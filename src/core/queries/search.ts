// Full-text search over event summaries and sources, people (every alias, Chinese names), mechanisms and
// topics; Chinese by character pairs, and dates ("2024-04-16", "2024-04", "April 2024") by the events' days.
import { type Catalog, type CatalogEvent, lastPosOnOrBefore } from '../catalog.js';
import { type Day, dayRange, MONTH_NAMES, shiftDays } from '../dates.js';
import type { Mechanism, Person, Topic } from '../schema.js';
import { isLooseDate } from '../vocabulary.js';
import { TextIndex, type TextQuery } from './textIndex.js';

/** One hit, best first. */
export type SearchHit =
  | { type: 'event'; event: CatalogEvent; score: number }
  | { type: 'person'; person: Person; score: number }
  | { type: 'mechanism'; mechanism: Mechanism; score: number }
  | { type: 'topic'; topic: Topic; score: number };

/** What a document of the index stands for. */
interface DocRef {
  type: SearchHit['type'];
  id: string;
}

interface Doc extends DocRef {
  title: string;
  names: string;
  body: string;
  /** An event's sources written in Chinese: their titles and publishers. */
  cited?: string;
}

/** Words are split on spaces and punctuation (as minisearch splits them). */
const SPACE_OR_PUNCTUATION = /[\n\r\p{Z}\p{P}]+/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const HAN = /\p{Script=Han}/u;

/**
 * The terms of a text: its words, and for Chinese (written without spaces) every pair of adjacent
 * characters, so "国防部" is found inside "中美国防部防务磋商" (both of its pairs are there). A single
 * Chinese character is a term of its own.
 */
export function tokenize(text: string): string[] {
  // Most text has no Chinese: its words are the terms (one test here instead of one per word).
  if (!HAN.test(text)) return text.split(SPACE_OR_PUNCTUATION).filter((word) => word !== '');
  const terms: string[] = [];
  for (const word of text.split(SPACE_OR_PUNCTUATION)) {
    if (word === '') continue;
    const runs = word.match(HAN_RUN);
    if (!runs) {
      terms.push(word);
      continue;
    }
    const rest = word.replace(HAN_RUN, ' ').trim();
    if (rest !== '') terms.push(...rest.split(' ').filter(Boolean));
    for (const run of runs) {
      const chars = [...run];
      if (chars.length === 1) terms.push(run);
      for (let i = 0; i + 1 < chars.length; i++) terms.push(`${chars[i]}${chars[i + 1]}`);
    }
  }
  return terms;
}

/**
 * The date a query is written as ("YYYY-MM" or "YYYY-MM-DD"), whether or not that day exists ("Apr 31 2024"
 * gives "2024-04-31"); undefined when it is not written like a date.
 */
function dateShape(query: string): string | undefined {
  const q = query.trim().toLowerCase().replace(/,/g, '').replace(/\s+/g, ' ');
  if (/^\d{4}-\d{1,2}(-\d{1,2})?$/.test(q)) return q;
  const dayFirst = /^(?:(\d{1,2}) )?([a-z]+) (\d{4})$/.exec(q);
  const monthFirst = /^([a-z]+) (\d{1,2}) (\d{4})$/.exec(q);
  const [day, month, year] = dayFirst
    ? [dayFirst[1], dayFirst[2], dayFirst[3]]
    : monthFirst
      ? [monthFirst[2], monthFirst[1], monthFirst[3]]
      : [];
  if (!month || !year || month.length < 3) return undefined;
  const m = MONTH_NAMES.findIndex((name) => name.toLowerCase().startsWith(month));
  if (m < 0) return undefined;
  return `${year}-${String(m + 1).padStart(2, '0')}${day ? `-${day.padStart(2, '0')}` : ''}`;
}

/** Whether a query is written like a date (whether or not that day exists): "Apr 31 2024", "2024-13". */
export function looksLikeDate(query: string): boolean {
  return dateShape(query) !== undefined;
}

/** The days a query names when it is a date: "2024-04-16", "2024-04", "April 2024", "16 April 2024", "April 16, 2024". */
export function queryDays(query: string): { start: Day; end: Day } | undefined {
  const value = dateShape(query);
  if (!value || !isLooseDate(value)) return undefined;
  const range = dayRange(value);
  return { start: range.start, end: range.end };
}

/** Events that overlap the days, oldest first (an event that began over a year before is not looked for). */
function eventsOn(catalog: Catalog, days: { start: Day; end: Day }): CatalogEvent[] {
  const earliest = shiftDays(days.start, -366);
  const found: CatalogEvent[] = [];
  for (let pos = lastPosOnOrBefore(catalog, days.end); pos >= 0; pos--) {
    if ((catalog.starts[pos] as Day) < earliest) break;
    const event = catalog.event(pos);
    if (event.end >= days.start) found.push(event);
  }
  return found.reverse();
}

/**
 * The search index of a catalog: one document per person, mechanism, topic and event, in that order; the
 * documents after `refs` are the events, by position.
 */
export interface SearchIndex {
  text: TextIndex;
  /** The people, mechanisms and topics, in the index's order. */
  refs: DocRef[];
}

const indexes = new WeakMap<Catalog, SearchIndex>();

/**
 * How the hits matched: the events of a date asked for, a query written like a date that is no day on
 * the calendar, every word as written (or as a prefix), with typos allowed, or only some words.
 */
export type SearchMatch = 'date' | 'no-such-date' | 'all-words' | 'close-spelling' | 'some-words';

/** The hits for a query, best first, and how they matched. */
export interface SearchResult {
  hits: SearchHit[];
  match: SearchMatch;
  /** For a date: how many events are dated then (more than `hits` when the limit cut them), and the days. */
  dated?: { total: number; start: Day; end: Day };
}

/** The most words a query is searched for: more add nothing but time (the line may be 1,000 characters). */
const MAX_TERMS = 16;

/** Hits for `query`, at most `limit`, best first; `keep` drops hits (e.g. events after today). */
export function search(
  catalog: Catalog,
  query: string,
  limit: number,
  keep: (hit: SearchHit) => boolean = () => true,
): SearchResult {
  // A date first: the events of that day or month, then whatever else mentions it.
  const days = queryDays(query);
  if (days) {
    // A date is a date: no events then is the answer, not a word search for "March".
    const all = eventsOn(catalog, days)
      .map((event): SearchHit => ({ type: 'event', event, score: Number.POSITIVE_INFINITY }))
      .filter(keep);
    return { hits: all.slice(0, limit), match: 'date', dated: { total: all.length, ...days } };
  }
  // "Apr 31 2024", "2024-13": a date that is not on the calendar is said to be so, not searched as words.
  if (looksLikeDate(query)) return { hits: [], match: 'no-such-date' };
  const index = searchIndex(catalog);
  // Each word once, at most MAX_TERMS of them: a line of 250 repeated words costs what one does.
  const words = [...new Set(tokenize(query).map((t) => t.toLowerCase()))].slice(0, MAX_TERMS);
  // Exact words and prefixes first; only when they find nothing, allow typos, then any one word.
  const prefix = (term: string) => term.length >= 3;
  const fuzzy = (term: string) => (term.length >= 5 ? 0.2 : false);
  const attempts: Omit<TextQuery, 'words'>[] = [
    { combine: 'and', prefix, fuzzy: () => false, maxFuzzy: 0 },
    { combine: 'and', prefix, fuzzy, maxFuzzy: 6 },
    // Any one word: prefixes and typos only for words of three letters or more (a one-letter prefix
    // matches most of the vocabulary).
    { combine: 'or', prefix, fuzzy, maxFuzzy: 2 },
  ];
  const matches: SearchMatch[] = ['all-words', 'close-spelling', 'some-words'];
  const hitOf = ({ doc, score }: { doc: number; score: number }) => toHit(catalog, index.refs, doc, score);
  for (const [i, options] of attempts.entries()) {
    // Close spellings of words too short to have any would find what the exact words did not.
    if (matches[i] === 'close-spelling' && !words.some((word) => fuzzy(word) !== false)) continue;
    const found = index.text.top({ ...options, words }, limit, (hit) => keep(hitOf(hit)));
    if (found.length > 0) return { hits: found.map(hitOf), match: matches[i] as SearchMatch };
  }
  return { hits: [], match: 'all-words' };
}

/**
 * The search index of a catalog: the one stored with it (the catalog cache) when there is one, else built
 * from its documents; made once, then kept with the catalog.
 */
export function searchIndex(catalog: Catalog): SearchIndex {
  const cached = indexes.get(catalog);
  if (cached) return cached;
  const stored = catalog.storedSearch?.();
  const index = {
    text: stored ? new TextIndex(stored.text) : buildText(catalog),
    refs: otherRefs(catalog),
  };
  indexes.set(catalog, index);
  return index;
}

/** Builds the text index of a catalog from its documents (reading every event). */
export function buildText(catalog: Catalog): TextIndex {
  // Field boosts: a word in a title counts three times one in a summary.
  return new TextIndex(
    documents(catalog).map((d) => [d.title, d.names, d.body, d.cited]),
    [3, 2, 1, 0.5],
    tokenize,
  );
}

/** The documents before the events: people, mechanisms and topics, in the order `documents` gives them. */
function otherRefs(catalog: Catalog): DocRef[] {
  return [
    ...[...catalog.people.keys()].map((id): DocRef => ({ type: 'person', id })),
    ...[...catalog.mechanisms.keys()].map((id): DocRef => ({ type: 'mechanism', id })),
    ...[...catalog.topics.keys()].map((id): DocRef => ({ type: 'topic', id })),
  ];
}

function documents(catalog: Catalog): Doc[] {
  const docs: Doc[] = [];
  for (const person of catalog.people.values()) {
    docs.push({
      type: 'person',
      id: person.id,
      title: person.name,
      names: [person.chineseName ?? '', ...person.aliases].join(' '),
      body: person.positions.map((p) => [p.title, ...p.aliases].join(' ')).join(' '),
    });
  }
  for (const m of catalog.mechanisms.values()) {
    docs.push({
      type: 'mechanism',
      id: m.id,
      title: m.name,
      names: [m.shortName ?? '', ...m.aliases].join(' '),
      body: m.description,
    });
  }
  for (const t of catalog.topics.values()) {
    docs.push({
      type: 'topic',
      id: t.id,
      title: t.label,
      names: t.aliases.join(' '),
      body: [t.description ?? '', ...t.keywords].join(' '),
    });
  }
  for (let pos = 0; pos < catalog.count; pos++) {
    const event = catalog.event(pos);
    const people = event.participants.map((p) => {
      const person = p.person ? catalog.people.get(p.person) : undefined;
      return [
        p.name ?? '',
        p.title ?? '',
        person?.name ?? '',
        person?.chineseName ?? '',
        ...(person?.aliases ?? []),
      ].join(' ');
    });
    docs.push({
      type: 'event',
      id: event.id,
      title: [event.location ?? '', ...event.topics.map((t) => catalog.topics.get(t)?.label ?? t)].join(' '),
      names: [...people, ...event.mechanisms.map((m) => catalog.mechanisms.get(m)?.shortName ?? m)].join(' '),
      body: [event.summary, event.emphasis?.US ?? '', event.emphasis?.PRC ?? ''].join(' '),
      // Only sources written in Chinese: their titles name what the English summary may not (国防部);
      // English titles repeat the summary's words and would make common words match far more events.
      cited: event.sources
        .filter((s) => HAN.test(s.title) || HAN.test(s.publisher))
        .map((s) => `${s.title} ${s.publisher}`)
        .join(' '),
    });
  }
  return docs;
}

function toHit(catalog: Catalog, refs: readonly DocRef[], doc: number, score: number): SearchHit {
  if (doc >= refs.length) return { type: 'event', event: catalog.event(doc - refs.length), score };
  const { type, id } = refs[doc] as DocRef;
  if (type === 'person') return { type, person: catalog.people.get(id) as Person, score };
  if (type === 'mechanism') return { type, mechanism: catalog.mechanisms.get(id) as Mechanism, score };
  if (type === 'topic') return { type, topic: catalog.topics.get(id) as Topic, score };
  throw new Error(`search document ${doc} is not a person, mechanism or topic`);
}
