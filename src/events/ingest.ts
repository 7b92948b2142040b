// `hotline ingest`: checks a file of events against the data with buildCatalog, then publishes its events.

import { buildCatalog } from '../core/build.js';
import type { BuildResult, DataFile } from '../core/catalog.js';
import { type DataError, UserError } from '../core/errors.js';
import type { State } from '../state/index.js';
import { underLease } from '../state/lease.js';
import { type PublishCounts, type PublishedEvent, publish, recordOf } from './log.js';

/** The outcome of checking an ingest file: its events (in date order), or every problem found. */
export type IngestCheck = { ok: true; events: PublishedEvent[] } | { ok: false; errors: DataError[] };

/**
 * Checks `file` (events in the data/events/YYYY.yaml format, any name, any years) with the same schema and
 * cross-checks as the data: buildCatalog over the data files plus `file`, whose events replace data events
 * with the same id (corrections). Pure: the caller reads the files.
 */
export function checkIngest(dataFiles: Iterable<DataFile>, file: DataFile): IngestCheck {
  const result: BuildResult = buildCatalog(
    (function* () {
      yield* dataFiles;
      yield { ...file, role: 'ingest' as const };
    })(),
  );
  if (!result.ok) return { ok: false, errors: result.errors };
  return { ok: true, events: result.catalog.events.filter((event) => event.file === file.path).map(recordOf) };
}

/**
 * Publishes checked events, in order, each under its `event:<id>` lease, as a drafts merge or approve publishes:
 * a merge between reading an event and logging its revision would otherwise log what it read over a correction
 * published meanwhile. See `publish` for what counts as new, revised and unchanged. When another keeps an event
 * past the lease's wait, the events before it are published and that one and the rest are not: the UserError
 * says so (ingesting the same file again publishes the rest; what is on record counts as unchanged). `leaseMs`:
 * each lease's lifetime (underLease's default; the wait for one another keeps is twice that).
 */
export async function ingestEvents(
  state: State,
  events: readonly PublishedEvent[],
  recordedAt: string,
  leaseMs?: number,
): Promise<PublishCounts> {
  const counts: PublishCounts = { new: 0, revised: 0, unchanged: 0 };
  for (const [i, event] of events.entries()) {
    try {
      const { status } = await underLease(
        state,
        `event:${event.id}`,
        event.id,
        () => publish(state, event, recordedAt),
        leaseMs,
      );
      counts[status] += 1;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      throw new UserError(
        error.code,
        `${event.id} is being changed elsewhere (a draft approved or merged into it, or another ingest): ${i} of ${events.length} events were ingested before it, and it and the rest were not. Ingest the same file again in a moment.`,
      );
    }
  }
  return counts;
}
