// The catalog commands answer from: data/ plus what the event log adds or corrects (events ingested at run time).
import { type Catalog, indexCatalog } from '../core/catalog.js';
import type { State } from '../state/index.js';
import { contentHash, type PublishedEvent, readLatest, recordOf } from './log.js';

/**
 * The catalog the bots answer from, read without publishing anything (for one-shot `hotline ask`): data/
 * plus the log's latest revision of each event, except where data/ changed an event since it last
 * published it, or never published it (data/ wins then, as publishCatalog makes it at the next start).
 */
export async function loggedView(state: State, base: Catalog): Promise<Catalog> {
  const latest = new Map<string, PublishedEvent>();
  await readLatest(state, latest, 0);
  if (latest.size === 0) return base;
  const ids = [...latest.keys()].filter((id) => base.byId.has(id));
  const published = (await state.events.getMany(ids.map((id) => `data:${id}`))) as ({ hash: string } | undefined)[];
  const hashes = baseHashes(base);
  ids.forEach((id, i) => {
    if (published[i]?.hash !== hashes.get(id)) latest.delete(id);
  });
  return withLogged(base, latest);
}

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
