// The Catalog: validated events, people, mechanisms and topics with the indices queries need. Building one
// from data files (parsing and validating them) is src/core/build.ts, loaded only when that is needed.
import { type Day, dayRange, daysBetween } from './dates.js';
import type { DataError } from './errors.js';
import type { TextIndexParts } from './queries/textIndex.js';
import type { Coverage, EventRecord, Mechanism, Person, Topic } from './schema.js';
import type { Level } from './vocabulary.js';

/** A data file's path (relative to the data directory, with "/" separators) and its text. */
export interface DataFile {
  path: string;
  text: string;
  /**
   * 'ingest': a file of events (`hotline ingest`) under any name and of any year, given after the data files;
   * its events replace data events with the same id (revisions) instead of being duplicates.
   */
  role?: 'ingest';
}

/** An event as the catalog holds it: the record plus the days it spans. */
export interface CatalogEvent extends EventRecord {
  /** First day the date can stand for ("2023-11-01" for "2023-11"). Events sort by it. */
  start: Day;
  /** Last day of the event (end date if any, else the last day its date can stand for). */
  end: Day;
  /** Whether the day is known. */
  precision: 'day' | 'month';
  /** Position in `Catalog.events`. */
  pos: number;
  /** The file the event came from. */
  file: string;
}

/** Positions in `Catalog.events`, ascending (oldest first). */
export type Postings = readonly number[];

/** Everything the queries read. Built once; never changed afterwards. */
export interface Catalog {
  /** How many events there are. */
  readonly count: number;
  /**
   * The event at position `pos` (0 ≤ pos < count), the same object every time. Queries read events through
   * this: a catalog from the cache (src/core/lazyCatalog.ts) makes an event only when it is first asked for.
   */
  event(pos: number): CatalogEvent;
  /** The id of the event at position `pos`, without making the event. */
  id(pos: number): string;
  /**
   * Events sorted by start day, then id. On a catalog from the cache, reading this makes every event: for
   * whole-record work (checks, exports, stats), not for answering a query.
   */
  readonly events: readonly CatalogEvent[];
  /** Events by id (on a catalog from the cache, an event is made when it is got). */
  byId: ReadonlyMap<string, CatalogEvent>;
  people: ReadonlyMap<string, Person>;
  mechanisms: ReadonlyMap<string, Mechanism>;
  topics: ReadonlyMap<string, Topic>;
  /** What the record claims: the period it is complete for, and the day it was reviewed to. */
  coverage: Coverage;
  /** Postings by level, kind, person id, mechanism id, topic id and readout side. */
  index: {
    level: ReadonlyMap<string, Postings>;
    kind: ReadonlyMap<string, Postings>;
    person: ReadonlyMap<string, Postings>;
    mechanism: ReadonlyMap<string, Postings>;
    topic: ReadonlyMap<string, Postings>;
    readout: ReadonlyMap<string, Postings>;
    format: ReadonlyMap<string, Postings>;
  };
  /** Event start days in the order of `events`, for binary search by date. */
  starts: readonly Day[];
  /**
   * The most days any event runs past its start day (0 when none lasts more than a day): a search by start day
   * that also looks this far back reaches every event that covers a day.
   */
  longestSpan: number;
  /**
   * The search index kept with the catalog (in the cache), made on first search; undefined when the
   * search index is to be built from the events (src/core/queries/search.ts).
   */
  storedSearch?: () => StoredSearch | undefined;
  /**
   * A digest of the data files and of the code that read them (the catalog cache's key), when the catalog
   * was loaded through the cache: two catalogs with the same fingerprint hold the same events. Lets the bot
   * see at start that data/ is as it last published it, without making every event (publishCatalog).
   */
  fingerprint?: string;
}

/** A search index's parts as the catalog cache keeps them (src/core/queries/search.ts reads them). */
export interface StoredSearch {
  /** The text index's parts (TextIndex.fromParts). */
  text: TextIndexParts;
}

/** The outcome of building a catalog: the catalog, or every problem found. */
export type BuildResult = { ok: true; catalog: Catalog; warnings: DataError[] } | { ok: false; errors: DataError[] };

/** A validated record as the catalog holds it, with the days it spans (position -1 until indexed). */
export function catalogEvent(record: EventRecord, file: string): CatalogEvent {
  const range = dayRange(record.date);
  const end = record.endDate ? dayRange(record.endDate).end : range.end;
  return { ...record, start: range.start, end, precision: range.precision as 'day' | 'month', pos: -1, file };
}

/** The catalog's order: by start day, then id. */
export function compareEvents(a: CatalogEvent, b: CatalogEvent): number {
  return a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Builds the catalog from records already validated (used by buildCatalog and the benchmark). */
export function indexCatalog(
  records: readonly (EventRecord & { file: string })[],
  people: ReadonlyMap<string, Person>,
  mechanisms: ReadonlyMap<string, Mechanism>,
  topics: ReadonlyMap<string, Topic>,
  coverage: Coverage,
): Catalog {
  const events = records.map((record) => catalogEvent(record, record.file)).sort(compareEvents);
  const index = {
    level: new Map<string, number[]>(),
    kind: new Map<string, number[]>(),
    person: new Map<string, number[]>(),
    mechanism: new Map<string, number[]>(),
    topic: new Map<string, number[]>(),
    readout: new Map<string, number[]>(),
    format: new Map<string, number[]>(),
  };
  const byId = new Map<string, CatalogEvent>();
  events.forEach((event, pos) => {
    event.pos = pos;
    byId.set(event.id, event);
    post(index.level, event.level, pos);
    post(index.kind, event.kind, pos);
    if (event.format) post(index.format, event.format, pos);
    for (const p of new Set(event.participants.map((x) => x.person))) if (p) post(index.person, p, pos);
    for (const m of new Set(event.mechanisms)) post(index.mechanism, m, pos);
    for (const t of new Set(event.topics)) post(index.topic, t, pos);
    for (const s of new Set(event.sources.map((x) => x.readout))) if (s) post(index.readout, s, pos);
  });
  return {
    count: events.length,
    event: (pos) => events[pos] as CatalogEvent,
    id: (pos) => (events[pos] as CatalogEvent).id,
    events,
    byId,
    people,
    mechanisms,
    topics,
    coverage,
    index,
    starts: events.map((e) => e.start),
    longestSpan: longestSpan(events),
  };
}

/** The most days any of `events` runs past its start day. */
export function longestSpan(events: Iterable<CatalogEvent>): number {
  let longest = 0;
  for (const { start, end } of events) if (end !== start) longest = Math.max(longest, daysBetween(start, end));
  return longest;
}

/** The position of the last event starting on or before `day`, or -1. */
export function lastPosOnOrBefore(catalog: Catalog, day: Day): number {
  let lo = 0;
  let hi = catalog.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((catalog.starts[mid] as Day) <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The highest level first; used to order groups. */
export function levelRank(level: Level): number {
  return ['leaders', 'minister', 'chief-of-defense', 'theater-commander', 'senior-official', 'working-level'].indexOf(
    level,
  );
}

function post(map: Map<string, number[]>, key: string, pos: number): void {
  const list = map.get(key);
  if (list) list.push(pos);
  else map.set(key, [pos]);
}
