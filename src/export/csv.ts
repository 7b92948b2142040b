// CSV export: one row per event, the columns an analyst filters and cites by, ready for Excel.
import { stringify } from 'csv-stringify/sync';
import type { Catalog } from '../core/catalog.js';
import { headline } from '../core/present.js';
import { clean, mechanismLabels, participantLabels, readout, topicLabels } from './fields.js';
import { currentRevision, type ExportEvent } from './revisions.js';

/** The columns, in order: the header text and how each cell is read from an event. */
const COLUMNS: readonly [string, (catalog: Catalog, item: ExportEvent) => string | number | undefined][] = [
  ['id', (_, { event }) => event.id],
  ['date', (_, { event }) => event.date],
  ['end_date', (_, { event }) => event.endDate],
  ['date_beijing', (_, { event }) => event.dateBeijing],
  ['title', (catalog, { event }) => headline(catalog, event)],
  ['summary', (_, { event }) => event.summary],
  ['kind', (_, { event }) => event.kind],
  ['status', (_, { event }) => event.status],
  ['format', (_, { event }) => event.format],
  ['level', (_, { event }) => event.level],
  ['location', (_, { event }) => event.location],
  ['mechanisms', (catalog, { event }) => mechanismLabels(catalog, event).join('; ')],
  ['participants', (catalog, { event }) => participantLabels(catalog, event).join('; ')],
  ['topics', (catalog, { event }) => topicLabels(catalog, event).join('; ')],
  ['us_readout', (_, { event }) => readout(event, 'US')?.url],
  ['prc_readout', (_, { event }) => readout(event, 'PRC')?.url],
  // URLs hold no spaces or line breaks (the schema), so one per line in the cell is unambiguous.
  ['sources', (_, { event }) => event.sources.map((s) => s.url).join('\n')],
  [
    'uncertain',
    (_, { event }) =>
      Object.entries(event.uncertain ?? {})
        .map(([field, why]) => `${field}: ${why}`)
        .join('; '),
  ],
  ['recorded_at', (_, { event }) => event.recordedAt],
  ['revision', (_, item) => currentRevision(item)],
];

/** The header row's names, for documentation and tests. */
export const CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

/**
 * The events as CSV that Excel opens with Chinese names intact: UTF-8 with a byte-order mark, CRLF line ends,
 * every field that holds a delimiter, quote or line break quoted. A cell starting with = + - @ (or a tab,
 * a carriage return, or their full-width forms) gets a leading ' so a spreadsheet never runs it as a formula.
 */
export function toCsv(catalog: Catalog, events: readonly ExportEvent[]): string {
  const rows = events.map((item) =>
    COLUMNS.map(([, cell]) => {
      const value = cell(catalog, item);
      return typeof value === 'string' ? clean(value) : (value ?? '');
    }),
  );
  return stringify(rows, {
    bom: true,
    header: true,
    columns: CSV_COLUMNS.map(String),
    record_delimiter: 'windows',
    escape_formulas: true,
    // Line breaks of either kind inside a cell are quoted, not only the record delimiter (CRLF).
    quoted_match: /[\r\n]/,
  });
}
