// Filters over events: what a person types (names, titles, labels) resolved to ids, then matched.
import { type Catalog, type CatalogEvent, lastPosOnOrBefore, type Postings } from './catalog.js';
import type { Day } from './dates.js';
import { UserError } from './errors.js';
import { type PersonMatch, participantMatches, resolvePerson } from './people.js';
import type { Format, Kind, Level, Mechanism, Side, Topic } from './schema.js';
import { closest, containsWords, normalize } from './text.js';

/** A filter as a person states it; values not yet resolved against the data. */
export interface FilterInput {
  level?: Level;
  person?: string;
  side?: Side;
  mechanism?: string;
  format?: Format;
  topic?: string;
  kind?: Kind;
}

/** A filter resolved against the catalog: ids and date-bounded person matches. */
export interface Filter {
  level?: Level;
  people?: PersonMatch[];
  side?: Side;
  mechanism?: Mechanism;
  format?: Format;
  topic?: Topic;
  kind?: Kind;
}

/** Resolves names, titles and labels to ids. Throws a UserError naming what did not match. */
export function resolveFilter(catalog: Catalog, input: FilterInput): Filter {
  return {
    ...(input.level ? { level: input.level } : {}),
    ...(input.side ? { side: input.side } : {}),
    ...(input.format ? { format: input.format } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    ...(input.person ? { people: resolvePerson(catalog, input.person) } : {}),
    ...(input.mechanism ? { mechanism: resolveMechanism(catalog, input.mechanism) } : {}),
    ...(input.topic ? { topic: resolveTopic(catalog, input.topic) } : {}),
  };
}

/** Whether an event passes every part of the filter. */
export function matches(event: CatalogEvent, filter: Filter): boolean {
  if (filter.level && event.level !== filter.level) return false;
  if (filter.kind && event.kind !== filter.kind) return false;
  if (filter.format && event.format !== filter.format) return false;
  if (filter.mechanism && !event.mechanisms.includes(filter.mechanism.id)) return false;
  if (filter.topic && !event.topics.includes(filter.topic.id)) return false;
  if (filter.side && !event.sources.some((s) => s.readout === filter.side)) return false;
  if (filter.people) {
    const people = filter.people;
    if (!event.participants.some((p) => participantMatches(p, people, event.start))) return false;
  }
  return true;
}

/** Is the filter empty? */
export function isEmptyFilter(filter: Filter): boolean {
  return Object.keys(filter).length === 0;
}

/**
 * Walks the events that pass the filter from the newest on or before `day` backwards, calling
 * `visit` until it returns false. Starts from the shortest index list the filter allows.
 */
export function walkBackwards(catalog: Catalog, filter: Filter, day: Day, visit: (e: CatalogEvent) => boolean): void {
  const postings = narrowest(catalog, filter);
  const last = lastPosOnOrBefore(catalog, day);
  if (postings === undefined) {
    for (let pos = last; pos >= 0; pos--) {
      const event = catalog.events[pos] as CatalogEvent;
      if (matches(event, filter) && !visit(event)) return;
    }
    return;
  }
  for (let i = upperIndex(postings, last); i >= 0; i--) {
    const event = catalog.events[postings[i] as number] as CatalogEvent;
    if (matches(event, filter) && !visit(event)) return;
  }
}

/** Events passing the filter whose start lies in [from, to], oldest first. */
export function eventsBetween(catalog: Catalog, filter: Filter, from: Day, to: Day): CatalogEvent[] {
  const found: CatalogEvent[] = [];
  walkBackwards(catalog, filter, to, (event) => {
    if (event.start < from) return false;
    found.push(event);
    return true;
  });
  return found.reverse();
}

/**
 * The postings that answer the filter exactly, when one index does (a single criterion other than a
 * person, whose titles depend on dates): then counts and pages need no scan. "all" for no filter.
 */
export function exactPostings(catalog: Catalog, filter: Filter): Postings | 'all' | undefined {
  const keys = Object.keys(filter) as (keyof Filter)[];
  if (keys.length === 0) return 'all';
  if (keys.length > 1 || keys[0] === 'people') return undefined;
  return narrowest(catalog, filter);
}

/** Index of the first posting >= pos. */
export function lowerIndex(postings: Postings, pos: number): number {
  return upperIndex(postings, pos - 1) + 1;
}

/** The shortest postings list among the filter's indexed parts, or undefined to scan everything. */
function narrowest(catalog: Catalog, filter: Filter): Postings | undefined {
  const lists: Postings[] = [];
  const { index } = catalog;
  if (filter.level) lists.push(index.level.get(filter.level) ?? []);
  if (filter.kind) lists.push(index.kind.get(filter.kind) ?? []);
  if (filter.format) lists.push(index.format.get(filter.format) ?? []);
  if (filter.mechanism) lists.push(index.mechanism.get(filter.mechanism.id) ?? []);
  if (filter.topic) lists.push(index.topic.get(filter.topic.id) ?? []);
  if (filter.side) lists.push(index.readout.get(filter.side) ?? []);
  if (filter.people) {
    const merged = new Set<number>();
    for (const m of filter.people) for (const pos of index.person.get(m.personId) ?? []) merged.add(pos);
    lists.push([...merged].sort((a, b) => a - b));
  }
  return lists.sort((a, b) => a.length - b.length)[0];
}

/** Index of the last posting <= pos, or -1. */
export function upperIndex(postings: Postings, pos: number): number {
  let lo = 0;
  let hi = postings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((postings[mid] as number) <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** A mechanism by id, short name, name or alias ("MMCA", "defense telephone link"). */
export function resolveMechanism(catalog: Catalog, query: string): Mechanism {
  return resolveNamed(
    [...catalog.mechanisms.values()],
    query,
    (m) => [m.id, m.name, ...(m.shortName ? [m.shortName] : []), ...m.aliases],
    'mechanism',
    '/channels',
  );
}

/** A topic by id, label or alias ("taiwan", "South China Sea", "SCS"). */
export function resolveTopic(catalog: Catalog, query: string): Topic {
  return resolveNamed(
    [...catalog.topics.values()],
    query,
    (t) => [t.id, t.label, ...t.aliases],
    'topic',
    '/help topics',
  );
}

function resolveNamed<T extends { id: string }>(
  items: readonly T[],
  query: string,
  names: (item: T) => string[],
  what: 'mechanism' | 'topic',
  seeAlso: string,
): T {
  const q = normalize(query);
  const exact = items.filter((item) => names(item).some((n) => normalize(n) === q));
  if (exact.length === 1) return exact[0] as T;
  const partial = items.filter((item) => names(item).some((n) => containsWords(n, query)));
  if (exact.length === 0 && partial.length === 1) return partial[0] as T;
  const pool = exact.length > 1 ? exact : partial;
  if (pool.length > 1) {
    throw new UserError(
      `ambiguous-${what}`,
      `"${query}" could be the ${what} ${pool.map((i) => i.id).join(', ')}. Use one of those ids.`,
      `${what}:${pool[0]?.id}`,
    );
  }
  const near = closest(
    query,
    items.map((i) => i.id),
    3,
  );
  throw new UserError(
    `unknown-${what}`,
    `No ${what} is called "${query}".${near.length > 0 ? ` Did you mean ${near.join(', ')}?` : ''} Known ${what}s: ${items
      .map((i) => i.id)
      .sort()
      .join(', ')}. See ${seeAlso}.`,
    `${what}:${near[0] ?? items[0]?.id ?? ''}`,
  );
}
