// The event log as the web view reads it: followed incrementally, so an event page and an export find each
// event's revisions without reading the whole log for every request.
import type { CatalogEvent } from '../core/catalog.js';
import { type LogEntry, readLog } from '../events/log.js';
import { type ExportEvent, withRevisions } from '../export/revisions.js';
import type { State } from '../state/index.js';
import type { RevisionSource } from './pages.js';

/** Revisions read from the event log in `state`; each request first reads what the log gained since the last. */
export function logRevisions(state: State): RevisionSource & {
  withRevisions(events: readonly CatalogEvent[]): Promise<ExportEvent[]>;
} {
  const byId = new Map<string, LogEntry[]>();
  let seq = 0;
  let reading: Promise<void> | undefined;
  const catchUp = () => {
    // One reader at a time: concurrent requests wait for the same read.
    reading ??= (async () => {
      try {
        for (;;) {
          const page = await readLog(state, seq, 500);
          if (page.length === 0) return;
          for (const entry of page) {
            const list = byId.get(entry.id);
            if (list) list.push(entry);
            else byId.set(entry.id, [entry]);
            seq = entry.seq;
          }
        }
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  };
  const paired = async (events: readonly CatalogEvent[]) => {
    await catchUp();
    return withRevisions(
      events,
      events.flatMap((e) => byId.get(e.id) ?? []),
    );
  };
  return {
    of: async (event) => (await paired([event]))[0]?.revisions ?? [],
    withRevisions: paired,
  };
}
