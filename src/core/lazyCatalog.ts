// A catalog whose events are made only when first asked for (issue 17): the ids, start days and index
// postings are given whole, each event's record is read and made on its first use. The catalog cache
// (src/catalogCache.ts) gives one; the queries read it through `count` and `event(pos)` like any other.
import { type Catalog, type CatalogEvent, catalogEvent, type StoredSearch } from './catalog.js';
import type { Day } from './dates.js';
import type { Coverage, EventRecord, Mechanism, Person, Topic } from './schema.js';

/** What a lazy catalog is made from. */
export interface LazyCatalogParts {
  /** Event ids in catalog order (by start day, then id), or a function that gives them, called once when first needed. */
  ids: readonly string[] | (() => readonly string[]);
  /** Event start days in the same order. */
  starts: readonly Day[];
  /** The most days any event runs past its start day (Catalog.longestSpan). */
  longestSpan: number;
  index: Catalog['index'];
  people: ReadonlyMap<string, Person>;
  mechanisms: ReadonlyMap<string, Mechanism>;
  topics: ReadonlyMap<string, Topic>;
  coverage: Coverage;
  /** The validated record at a position, with the file it came from; called once per position. */
  record: (pos: number) => EventRecord & { file: string };
  /** The stored search index, if any (made on first search). */
  storedSearch?: () => StoredSearch | undefined;
}

/** A catalog over `parts`; an event is made (and kept) the first time a query reads it. */
export function lazyCatalog(parts: LazyCatalogParts): Catalog {
  const count = parts.starts.length;
  let ids = typeof parts.ids === 'function' ? undefined : parts.ids;
  const allIds = (): readonly string[] => {
    ids ??= (parts.ids as () => readonly string[])();
    if (ids.length !== count) throw new Error(`${ids.length} event ids for ${count} events`);
    return ids;
  };
  const made: (CatalogEvent | undefined)[] = new Array(count);
  let positions: Map<string, number> | undefined;
  let all: readonly CatalogEvent[] | undefined;
  const event = (pos: number): CatalogEvent => {
    const known = made[pos];
    if (known) return known;
    if (!Number.isInteger(pos) || pos < 0 || pos >= count) throw new RangeError(`no event at position ${pos}`);
    const record = parts.record(pos);
    const fresh = catalogEvent(record, record.file); // as indexCatalog makes it, so both give the same object
    fresh.pos = pos;
    made[pos] = fresh;
    return fresh;
  };
  const positionOf = (id: string): number | undefined => {
    positions ??= new Map(allIds().map((eventId, pos) => [eventId, pos]));
    return positions.get(id);
  };
  return {
    count,
    event,
    id: (pos) => allIds()[pos] as string,
    get events() {
      all ??= Array.from({ length: count }, (_, pos) => event(pos));
      return all;
    },
    byId: new LazyById(count, allIds, positionOf, event),
    people: parts.people,
    mechanisms: parts.mechanisms,
    topics: parts.topics,
    coverage: parts.coverage,
    index: parts.index,
    starts: parts.starts,
    longestSpan: parts.longestSpan,
    ...(parts.storedSearch ? { storedSearch: parts.storedSearch } : {}),
  };
}

/** Events by id, made when got: a map over the ids that reads no event it is not asked for. */
class LazyById implements ReadonlyMap<string, CatalogEvent> {
  constructor(
    readonly size: number,
    private readonly ids: () => readonly string[],
    private readonly positionOf: (id: string) => number | undefined,
    private readonly event: (pos: number) => CatalogEvent,
  ) {}

  get(id: string): CatalogEvent | undefined {
    const pos = this.positionOf(id);
    return pos === undefined ? undefined : this.event(pos);
  }

  has(id: string): boolean {
    return this.positionOf(id) !== undefined;
  }

  *entries(): MapIterator<[string, CatalogEvent]> {
    for (const [pos, id] of this.ids().entries()) yield [id, this.event(pos)];
  }

  keys(): MapIterator<string> {
    return this.ids().values();
  }

  *values(): MapIterator<CatalogEvent> {
    for (let pos = 0; pos < this.size; pos++) yield this.event(pos);
  }

  forEach(visit: (value: CatalogEvent, key: string, map: ReadonlyMap<string, CatalogEvent>) => void): void {
    for (const [id, event] of this.entries()) visit(event, id, this);
  }

  [Symbol.iterator](): MapIterator<[string, CatalogEvent]> {
    return this.entries();
  }
}
