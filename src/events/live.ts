// The catalog commands answer from: data/ plus what the event log adds or corrects (events ingested at run time).
import { type Catalog, indexCatalog } from '../core/catalog.js';
import type { JsonValue, State } from '../state/index.js';
import {
  catalogHash,
  type LogEntry,
  lastSeq,
  latestEntry,
  logEntries,
  publishedHashes,
  readLog,
  recordOf,
} from './log.js';

/**
 * What the log changes in data/, as of entry `seen`: the latest revision of each event whose content differs
 * from data/'s (or whose id data/ does not have). Events the log holds as data/ has them are not kept: at
 * 100,000 events the log is mostly data/'s own publication, and neither kept nor compared again.
 */
export interface LogView {
  /** The last log entry read (0: none). */
  seen: number;
  /** `id#revision` of entry `seen` ('' for none): a log that went backwards no longer has it there. */
  at: string;
  /** By id, the latest revision where it differs from data/. */
  changed: Map<string, LogEntry>;
}

/**
 * The `view` key of the events namespace: a view as a start with the same data/ (fingerprint) left it, so the
 * next start reads only the entries after it (docs/DECISIONS.md, "The event log").
 */
interface Checkpoint {
  fingerprint: string;
  seen: number;
  at: string;
  /** The changed events' log entries. */
  changed: [id: string, seq: number][];
}

const CHECKPOINT = 'view';

/** What identifies a log entry when the log is read again. */
export function entryKey(entry: Pick<LogEntry, 'id' | 'revision'> | undefined): string {
  return entry ? `${entry.id}#${entry.revision}` : '';
}

/** An empty view: nothing read yet. */
export function emptyView(): LogView {
  return { seen: 0, at: '', changed: new Map() };
}

/** The content hash of data/'s event `id`, or undefined when data/ has no such event. */
function baseHash(base: Catalog, id: string): string | undefined {
  const event = base.byId.get(id);
  return event && catalogHash(event);
}

/** Reads the log after `view.seen` into `view`; true if there was anything to read. */
export async function readView(state: State, base: Catalog, view: LogView): Promise<boolean> {
  let grew = false;
  for (;;) {
    const entries = await readLog(state, view.seen, 500);
    if (entries.length === 0) return grew;
    grew = true;
    for (const entry of entries) {
      if (entry.hash === baseHash(base, entry.id)) view.changed.delete(entry.id);
      else view.changed.set(entry.id, entry);
      view.seen = entry.seq;
      view.at = entryKey(entry);
    }
  }
}

/**
 * The view of the whole log: from the checkpoint a start with the same data/ left, if the log still holds it
 * (not flushed or restored from an older backup since), else from the log's first entry; then every entry after.
 */
export async function openView(state: State, base: Catalog): Promise<LogView> {
  const view = (await fromCheckpoint(state, base)) ?? emptyView();
  await readView(state, base, view);
  return view;
}

/**
 * The view right after a start published data/ into an empty log (`published` new events, nothing else), without
 * reading the log: when the log holds exactly those entries, they are data/'s own content and change nothing.
 * Undefined when anything else was logged meanwhile (`hotline ingest`, another instance): read it then.
 */
export async function viewOfPublished(state: State, published: number): Promise<LogView | undefined> {
  if (published === 0 || (await lastSeq(state)) !== published) return undefined;
  const [last] = await logEntries(state, [published]);
  return last ? { seen: published, at: entryKey(last), changed: new Map() } : undefined;
}

async function fromCheckpoint(state: State, base: Catalog): Promise<LogView | undefined> {
  if (base.fingerprint === undefined) return undefined;
  const saved = (await state.events.get(CHECKPOINT)) as Checkpoint | undefined;
  if (saved?.fingerprint !== base.fingerprint || !(saved.seen > 0)) return undefined;
  const [last, ...entries] = await logEntries(state, [saved.seen, ...saved.changed.map(([, seq]) => seq)]);
  if (entryKey(last) !== saved.at) return undefined;
  const changed = new Map<string, LogEntry>();
  for (const [i, entry] of entries.entries()) {
    if (!entry || entry.id !== saved.changed[i]?.[0]) return undefined;
    changed.set(entry.id, entry);
  }
  return { seen: saved.seen, at: saved.at, changed };
}

/**
 * Whether data/ was never published whole into this store, as a bot's first start publishes it: 'empty' when the
 * log is, 'half-way' when a publication of data/ stopped before the end (a first start or `hotline ingest` killed)
 * left entries but neither the fingerprint of data/ published whole nor the view of a start (as does one still under
 * way: nothing tells them apart); else undefined.
 */
export async function dataUnpublished(state: State): Promise<'empty' | 'half-way' | undefined> {
  if ((await lastSeq(state)) === 0) return 'empty';
  const [whole, started] = await state.events.getMany(['data', CHECKPOINT]);
  return whole === undefined && started === undefined ? 'half-way' : undefined;
}

/** Keeps `view` as the checkpoint the next start with this data/ reads from (nothing without a fingerprint). */
export async function saveView(state: State, base: Catalog, view: LogView): Promise<void> {
  if (base.fingerprint === undefined || view.seen === 0) return;
  const saved: Checkpoint = {
    fingerprint: base.fingerprint,
    seen: view.seen,
    at: view.at,
    changed: [...view.changed.values()].map((entry) => [entry.id, entry.seq]),
  };
  await state.events.set(CHECKPOINT, saved as unknown as JsonValue);
}

/**
 * The catalog the bots answer from, read without publishing anything (for one-shot `hotline ask`): data/
 * plus the log's changes (see liveCatalog).
 */
export async function loggedView(state: State, base: Catalog): Promise<Catalog> {
  return liveCatalog(state, base, (await openView(state, base)).changed);
}

/**
 * data/ with the log's changed events, except where data/ has the newer word on an event:
 * - an event data/ has, but has changed since it last published it, or never published (data/ wins then, as
 *   publishCatalog makes it at a bot's next start);
 * - an event data/ does not have, whose latest revision is the content data/ itself last published (`data:<id>`):
 *   taken out of data/ (a wrong event removed), or published by other data/ into the same store (the invented test
 *   fixture, say). An event data/ never had, or a correction ingested since data/ published it, is the log's own
 *   and is answered.
 */
export async function liveCatalog(
  state: State,
  base: Catalog,
  changed: ReadonlyMap<string, LogEntry>,
): Promise<Catalog> {
  const ids = [...changed.keys()];
  const published = await publishedHashes(state, ids);
  const kept = new Map(changed);
  ids.forEach((id, i) => {
    const dataWins = base.byId.has(id)
      ? published[i] !== baseHash(base, id)
      : publishedByData(published[i], changed.get(id)?.hash);
    if (dataWins) kept.delete(id);
  });
  return withLogged(base, kept);
}

/**
 * Whether an event data/ does not have is data/'s own word, not the log's (liveCatalog leaves it out): its latest
 * revision (`latest`, a content hash) is what data/ last published of it (`published`).
 */
function publishedByData(published: string | undefined, latest: string | undefined): boolean {
  return published !== undefined && published === latest;
}

/**
 * Whether `id`, an event data/ does not have, is left out of answers as taken out of data/ (see liveCatalog), read
 * from the log itself rather than from a catalog made a moment ago.
 */
export async function takenOutOfData(state: State, id: string): Promise<boolean> {
  const latest = await latestEntry(state, id);
  const [published] = await publishedHashes(state, [id]);
  return publishedByData(published, latest?.hash);
}

/**
 * The base catalog with the log's changed events in place of data/'s (new ids added).
 * Returns `base` itself when the log changes nothing.
 */
function withLogged(base: Catalog, changed: ReadonlyMap<string, LogEntry>): Catalog {
  if (changed.size === 0) return base;
  const records = [
    ...base.events.filter((e) => !changed.has(e.id)).map((e) => ({ ...recordOf(e), file: e.file })),
    ...[...changed.values()].map(({ event }) => ({ ...event, file: 'event log' })),
  ];
  return indexCatalog(records, base.people, base.mechanisms, base.topics, base.coverage);
}
