// Exports of a selection of events: chooses the format's module, loading only that one (and its library).
import type { Catalog } from '../core/catalog.js';
import type { ExportEvent } from './revisions.js';

/** The formats `hotline export --format` takes. */
export const EXPORT_FORMATS = ['csv', 'json', 'ics', 'atom'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Everything an export is made from; the caller owns the clock and the configuration. */
export interface ExportInput {
  catalog: Catalog;
  events: readonly ExportEvent[];
  /** The filter words the events were selected by, canonical ("" for all). */
  filter: string;
  /** The selection in words, e.g. ["minister level", "Taiwan"] (describeFilter). */
  scope: readonly string[];
  /** When the export is made (ISO timestamp). */
  generated: string;
  /** The public base URL of Hotline's web view (PUBLIC_URL), if one is configured. */
  publicUrl?: string;
  /** Where the export itself is served (the web view's /feed.atom?…), for Atom's rel="self"; none on stdout. */
  selfUrl?: string;
}

/** The export as text in `format`. */
export async function exportEvents(format: ExportFormat, input: ExportInput): Promise<string> {
  const { catalog, events } = input;
  const publicUrl = input.publicUrl ? { publicUrl: input.publicUrl } : {};
  switch (format) {
    case 'csv':
      return (await import('./csv.js')).toCsv(catalog, events);
    case 'json':
      return (await import('./json.js')).toJson(events, { generated: input.generated, filter: input.filter });
    case 'ics':
      return (await import('./ics.js')).toIcs(catalog, events, publicUrl);
    case 'atom':
      return (await import('./atom.js')).toAtom(catalog, events, {
        scope: input.scope,
        filter: input.filter,
        generated: input.generated,
        ...publicUrl,
        ...(input.selfUrl ? { selfUrl: input.selfUrl } : {}),
      });
  }
}
