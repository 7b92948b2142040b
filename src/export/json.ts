// JSON export: the events exactly as the schema defines them (data/events/*.yaml), in a versioned envelope.
import type { EventRecord } from '../core/schema.js';
import { recordOf } from '../events/log.js';
import { cleanDeep } from './fields.js';
import { currentRevision, type ExportEvent } from './revisions.js';

/** The version of the envelope below; raised when a field of it changes meaning or goes away. */
export const JSON_EXPORT_VERSION = 1;

/** What `--format json` writes. */
export interface JsonExport {
  version: typeof JSON_EXPORT_VERSION;
  /** When the export was made (ISO timestamp, from the caller's clock). */
  generated: string;
  /** The filter words the events were selected by, as given ("" for all). */
  filter: string;
  /** Each event as in the schema: valid against EventSchema, with nothing Hotline derives added. */
  events: EventRecord[];
  /** The revision of each event by id, where the event log was read (absent with `--data-only`). */
  revisions?: Record<string, number>;
}

/** The export document, pretty-printed with a final newline. */
export function toJson(events: readonly ExportEvent[], meta: { generated: string; filter: string }): string {
  const revisions = Object.fromEntries(
    events.flatMap((item) => {
      const revision = currentRevision(item);
      return revision === undefined ? [] : [[item.event.id, revision]];
    }),
  );
  const document: JsonExport = {
    version: JSON_EXPORT_VERSION,
    generated: meta.generated,
    filter: meta.filter,
    events: events.map(({ event }) => cleanDeep(recordOf(event))),
    ...(Object.keys(revisions).length > 0 ? { revisions } : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
