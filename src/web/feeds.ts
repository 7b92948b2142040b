// /feed.atom, /events.ics, /events.csv, /events.json: the exports (src/export) of a selection given as a query
// string with /timeline's filters, served with each format's media type.

import { formatLine } from '../core/args.js';
import type { Catalog, CatalogEvent } from '../core/catalog.js';
import type { Day } from '../core/dates.js';
import { type ExportFormat, exportEvents } from '../export/index.js';
import { type ExportEvent, withoutRevisions } from '../export/revisions.js';
import { EXPORT_FILTERS, selectEvents } from '../export/select.js';
import { optionsOfQuery } from './paths.js';

/** The path of each export and what it is. */
export const FEEDS: Readonly<Record<string, { format: ExportFormat; type: string; disposition: string }>> = {
  '/feed.atom': { format: 'atom', type: 'application/atom+xml; charset=utf-8', disposition: 'inline' },
  '/events.ics': {
    format: 'ics',
    type: 'text/calendar; charset=utf-8',
    disposition: 'inline; filename="hotline-events.ics"',
  },
  // Downloaded rather than shown: a spreadsheet opens it (with its byte-order mark, as Excel needs).
  '/events.csv': {
    format: 'csv',
    type: 'text/csv; charset=utf-8',
    disposition: 'attachment; filename="hotline-events.csv"',
  },
  '/events.json': { format: 'json', type: 'application/json; charset=utf-8', disposition: 'inline' },
};

/** What an export served over HTTP is made from, beyond the query. */
export interface FeedContext {
  catalog: Catalog;
  now: Day;
  /** PUBLIC_URL or where the server listens: links in feeds and calendars go to event pages there. */
  baseUrl?: string;
  /** When this version of the record was first served (ISO): JSON's `generated`, stable between requests. */
  generated: string;
  /** The events with their revisions from the event log, where it is read. */
  withRevisions?: (events: readonly CatalogEvent[]) => Promise<ExportEvent[]>;
}

/** The export of the selection `params` names in the format of `path`. Bad filters throw /timeline's UserError. */
export async function feed(path: string, params: URLSearchParams, ctx: FeedContext): Promise<string> {
  const spec = FEEDS[path];
  if (!spec) throw new Error(`no export at ${path}`);
  // The query read as /export's options, then selected exactly as `hotline export` selects.
  const options = optionsOfQuery(EXPORT_FILTERS, params);
  const selection = selectEvents(ctx.catalog, formatLine(EXPORT_FILTERS, options).replace(/^\/export ?/, ''), ctx.now);
  const events = ctx.withRevisions ? await ctx.withRevisions(selection.events) : withoutRevisions(selection.events);
  const query = params.toString();
  return exportEvents(spec.format, {
    catalog: ctx.catalog,
    events,
    filter: selection.filter,
    scope: selection.scope,
    generated: ctx.generated,
    ...(ctx.baseUrl ? { publicUrl: ctx.baseUrl, selfUrl: `${ctx.baseUrl}${path}${query ? `?${query}` : ''}` } : {}),
  });
}
