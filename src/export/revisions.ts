// The revisions of exported events: what the event log says of each, matched with the record exported.
import type { CatalogEvent } from '../core/catalog.js';
import type { EventRecord } from '../core/schema.js';
import { contentHash, type LogEntry, readLog, recordOf } from '../events/log.js';
import type { State } from '../state/index.js';

/** One revision of an event: its number, when it was published (if it was), and the record. */
export interface Revision {
  /** 1 for the first publication of the id, one more per correction (the log's numbering). */
  number: number;
  /** When the log published it (ISO timestamp); undefined for a revision data/ holds but has not published yet. */
  publishedAt?: string;
  record: EventRecord;
}

/** An event as exported: the record the catalog holds, and its revisions when the event log is read. */
export interface ExportEvent {
  event: CatalogEvent;
  /**
   * Its revisions, oldest first; the last is the record exported. Empty when no event log was read
   * (`--data-only`, or no state): the revision is then not known.
   */
  revisions: readonly Revision[];
}

/** Events without revisions (no event log read). */
export function withoutRevisions(events: readonly CatalogEvent[]): ExportEvent[] {
  return events.map((event) => ({ event, revisions: [] }));
}

/**
 * The revisions of each event from the whole event log (`entries`, in log order). A record that differs from
 * the latest logged revision (data/ changed it since it last published it, or never published it) is the
 * next revision, unpublished: that is the number publish() gives it at the bots' next start.
 */
export function withRevisions(events: readonly CatalogEvent[], entries: readonly LogEntry[]): ExportEvent[] {
  const byId = new Map<string, LogEntry[]>();
  for (const entry of entries) {
    const list = byId.get(entry.id);
    if (list) list.push(entry);
    else byId.set(entry.id, [entry]);
  }
  return events.map((event) => {
    const logged = (byId.get(event.id) ?? []).sort((a, b) => a.revision - b.revision);
    const revisions: Revision[] = logged.map((e) => ({
      number: e.revision,
      publishedAt: e.recordedAt,
      record: e.event,
    }));
    const record = recordOf(event);
    const latest = logged.at(-1);
    if (latest?.hash !== contentHash(record)) revisions.push({ number: (latest?.revision ?? 0) + 1, record });
    return { event, revisions };
  });
}

/** Every entry of the event log, in log order. */
export async function readWholeLog(state: State): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for (;;) {
    const page = await readLog(state, entries.at(-1)?.seq ?? 0, 500);
    if (page.length === 0) return entries;
    entries.push(...page);
  }
}

/** The revision number of the record exported, or undefined when no event log was read. */
export function currentRevision(item: ExportEvent): number | undefined {
  return item.revisions.at(-1)?.number;
}
