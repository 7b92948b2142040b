// Filters over events: what a person types (names, titles, labels) resolved to ids, then matched.
import { type Catalog, type CatalogEvent, lastPosOnOrBefore, type Postings } from './catalog.js';
import { type Day, later } from './dates.js';
import { UserError } from './errors.js';
import { type PersonMatch, participantMatches, resolvePerson } from './people.js';
import type { Format, Kind, Level, Mechanism, Side, Topic } from './schema.js';
import { closest, containsWords, normalize } from './text.js';

/**
 * A filter as a person states it; values not yet resolved against the data. Level, kind, mechanism and
 * topic may name several values separated by commas ("taiwan,nuclear"): any of them matches.
 */
export interface FilterInput {
  level?: string;
  person?: string;
  side?: Side;
  mechanism?: string;
  format?: Format;
  topic?: string;
  kind?: string;
}

/** A filter resolved against the catalog: ids and date-bounded person matches. Lists match any of their values. */
export interface Filter {
  levels?: Level[];
  people?: PersonMatch[];
  /** The person as the asker named them, for titles. */
  personQuery?: string;
  side?: Side;
  mechanisms?: Mechanism[];
  format?: Format;
  topics?: Topic[];
  kinds?: Kind[];
}

/** "taiwan,nuclear" -> ["taiwan", "nuclear"]: the values of a filter that takes several, each once. */
export const anyOf = (value: string): string[] => [
  ...new Set(
    value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ),
];

/** Resolves names, titles and labels to ids. Throws a UserError naming what did not match. */
export function resolveFilter(catalog: Catalog, input: FilterInput): Filter {
  return {
    ...(input.level ? { levels: anyOf(input.level) as Level[] } : {}),
    ...(input.side ? { side: input.side } : {}),
    ...(input.format ? { format: input.format } : {}),
    ...(input.kind ? { kinds: anyOf(input.kind) as Kind[] } : {}),
    ...(input.person ? { people: resolvePerson(catalog, input.person), personQuery: input.person } : {}),
    ...(input.mechanism
      ? { mechanisms: uniqueIds(anyOf(input.mechanism).map((m) => resolveMechanism(catalog, m))) }
      : {}),
    ...(input.topic ? { topics: uniqueIds(anyOf(input.topic).map((t) => resolveTopic(catalog, t))) } : {}),
  };
}

const uniqueIds = <T extends { id: string }>(items: T[]): T[] =>
  items.filter((item, i) => items.findIndex((other) => other.id === item.id) === i);

/** The only value of a list of one, for wording that names it ("Last call"); undefined for none or several. */
export function single<T>(list: readonly T[] | undefined): T | undefined {
  return list?.length === 1 ? list[0] : undefined;
}

/** Whether an event passes every part of the filter. */
export function matches(event: CatalogEvent, filter: Filter): boolean {
  if (filter.levels && !filter.levels.includes(event.level)) return false;
  if (filter.kinds && !filter.kinds.includes(event.kind)) return false;
  if (filter.format && event.format !== filter.format) return false;
  if (filter.mechanisms && !filter.mechanisms.some((m) => event.mechanisms.includes(m.id))) return false;
  if (filter.topics && !filter.topics.some((t) => event.topics.includes(t.id))) return false;
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
 * `visit` until it returns false. Walks the shortest index lists the filter allows (for a person,
 * one list per matching person, merged on the fly), never the whole catalog unless unfiltered.
 */
export function walkBackwards(catalog: Catalog, filter: Filter, day: Day, visit: (e: CatalogEvent) => boolean): void {
  const candidates = candidateLists(catalog, filter);
  const last = lastPosOnOrBefore(catalog, day);
  const lists = candidates?.lists;
  const bounds = candidates?.until;
  if (lists === undefined) {
    for (let pos = last; pos >= 0; pos--) {
      const event = catalog.event(pos);
      if (matches(event, filter) && !visit(event)) return;
    }
    return;
  }
  // A person matched by title can only match while in office: start each list at its end of term.
  const heads = lists.map((list, j) => {
    const until = bounds?.[j];
    return upperIndex(list, until === undefined || until >= day ? last : lastPosOnOrBefore(catalog, until));
  });
  for (;;) {
    let best = -1;
    for (let j = 0; j < lists.length; j++) {
      const head = heads[j] as number;
      if (head >= 0) best = Math.max(best, (lists[j] as Postings)[head] as number);
    }
    if (best < 0) return;
    for (let j = 0; j < lists.length; j++) {
      const head = heads[j] as number;
      if (head >= 0 && (lists[j] as Postings)[head] === best) heads[j] = head - 1;
    }
    const event = catalog.event(best);
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
  const lists = candidateLists(catalog, filter)?.lists;
  return lists?.length === 1 ? lists[0] : undefined;
}

/**
 * The index lists whose union holds every match, choosing the criterion with the fewest postings:
 * one list for most criteria, one per matching person for a person. Undefined when unfiltered.
 */
function candidateLists(
  catalog: Catalog,
  filter: Filter,
): { lists: Postings[]; until?: (Day | undefined)[] } | undefined {
  const { index } = catalog;
  const options: { lists: Postings[]; until?: (Day | undefined)[] }[] = [];
  const one = (list: Postings | undefined) => options.push({ lists: [list ?? []] });
  // Several values: their lists together (walkBackwards merges them).
  const any = (lists: (Postings | undefined)[]) => options.push({ lists: lists.map((l) => l ?? []) });
  if (filter.levels) any(filter.levels.map((l) => index.level.get(l)));
  if (filter.kinds) any(filter.kinds.map((k) => index.kind.get(k)));
  if (filter.format) one(index.format.get(filter.format));
  if (filter.mechanisms) any(filter.mechanisms.map((m) => index.mechanism.get(m.id)));
  if (filter.topics) any(filter.topics.map((t) => index.topic.get(t.id)));
  if (filter.side) one(index.readout.get(filter.side));
  if (filter.people) {
    // One list per person; with the latest day any of their matches allows (undefined: no limit).
    const until = new Map<string, Day | undefined>();
    for (const m of filter.people) {
      const previous = until.get(m.personId);
      const open = m.to === undefined || (until.has(m.personId) && previous === undefined);
      until.set(m.personId, open ? undefined : later(previous ?? (m.to as Day), m.to as Day));
    }
    const ids = [...until.keys()];
    options.push({ lists: ids.map((id) => index.person.get(id) ?? []), until: ids.map((id) => until.get(id)) });
  }
  const size = (o: { lists: Postings[] }) => o.lists.reduce((n, l) => n + l.length, 0);
  return options.sort((a, b) => size(a) - size(b))[0];
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
