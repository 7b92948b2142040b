// /feed.atom, /events.ics, /events.csv, /events.json: the exports (src/export) of a selection given as a query
// string with /timeline's filters, served with each format's media type.

import { formatLine } from '../core/args.js';
import type { Catalog, CatalogEvent } from '../core/catalog.js';
import type { Day } from '../core/dates.js';
import { UserError } from '../core/errors.js';
import { formatCount } from '../core/text.js';
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

/**
 * The most events one export over HTTP holds. Exports are made synchronously by their libraries (ICS takes a few
 * milliseconds an event), and the same process answers Slack and Discord: a selection larger than this is
 * refused with a way to narrow it, never cut short in silence. `hotline export` has no limit.
 */
export const WEB_EXPORT_LIMIT = 1_000;

/** The refusal of a selection over WEB_EXPORT_LIMIT, with the same filters from a later year as the example. */
function tooMany(count: number, filter: string, asOf: Day): UserError {
  const since = `since:${asOf.slice(0, 4)}-01-01`;
  const narrower = filter.includes('since:') ? filter.replace(/since:\S+/, since) : `${filter} ${since}`.trim();
  return new UserError(
    'too-many',
    `This selection holds ${formatCount(count)} events; the web view exports at most ${formatCount(WEB_EXPORT_LIMIT)} at a time. Narrow it with since:, before:, level:, topic: or another filter, or export it whole with hotline export.`,
    `/export ${narrower}`,
  );
}

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
  if (selection.events.length > WEB_EXPORT_LIMIT)
    throw tooMany(selection.events.length, selection.filter, selection.asOf);
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
