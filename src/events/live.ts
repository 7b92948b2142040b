// The catalog commands answer from: data/ plus what the event log adds or corrects (events ingested at run time).
import { type Catalog, indexCatalog } from '../core/catalog.js';
import { contentHash, type PublishedEvent, recordOf } from './log.js';

/**
 * The base catalog with the log's latest revision of each event in place of data/'s (new ids added).
 * Returns `base` itself when the log holds nothing that differs from it.
 */
export function withLogged(base: Catalog, latest: ReadonlyMap<string, PublishedEvent>): Catalog {
  const hashes = baseHashes(base);
  const changed = [...latest.values()].filter((event) => hashes.get(event.id) !== contentHash(event));
  if (changed.length === 0) return base;
  const replaced = new Set(changed.map((e) => e.id));
  const records = [
    ...base.events.filter((e) => !replaced.has(e.id)).map((e) => ({ ...recordOf(e), file: e.file })),
    ...changed.map((e) => ({ ...e, file: 'event log' })),
  ];
  return indexCatalog(records, base.people, base.mechanisms, base.topics, base.coverage);
}

/** The content hash of each data/ event, computed once per catalog (the log is compared with it every time it grows). */
const hashesOf = new WeakMap<Catalog, ReadonlyMap<string, string>>();
function baseHashes(base: Catalog): ReadonlyMap<string, string> {
  let hashes = hashesOf.get(base);
  if (!hashes) {
    hashes = new Map(base.events.map((e) => [e.id, contentHash(recordOf(e))]));
    hashesOf.set(base, hashes);
  }
  return hashes;
}
