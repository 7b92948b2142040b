// `hotline ingest`: checks a file of events against the data with buildCatalog, then publishes its events.

import { buildCatalog } from '../core/build.js';
import type { BuildResult, DataFile } from '../core/catalog.js';
import type { DataError } from '../core/errors.js';
import type { State } from '../state/index.js';
import { type PublishCounts, type PublishedEvent, publishAll, recordOf } from './log.js';

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

/** Publishes checked events; see `publish` for what counts as new, revised and unchanged. */
export function ingestEvents(
  state: State,
  events: readonly PublishedEvent[],
  recordedAt: string,
): Promise<PublishCounts> {
  return publishAll(state, events, recordedAt);
}
