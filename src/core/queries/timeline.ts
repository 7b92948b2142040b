// A page of the events matching a filter between two days, newest or oldest first.
import { type Catalog, type CatalogEvent, lastPosOnOrBefore } from '../catalog.js';
import { type Day, shiftDays } from '../dates.js';
import { eventsBetween, exactPostings, type Filter, lowerIndex, upperIndex } from '../filter.js';

/** One page of a timeline. */
export interface TimelinePage {
  events: CatalogEvent[];
  /** Matching events in the whole range. */
  total: number;
  page: number;
  pages: number;
}

/** Options of a timeline: the range (inclusive), the page (from 1) and the order. */
export interface TimelineOptions {
  from: Day;
  to: Day;
  page: number;
  pageSize: number;
  order: 'newest' | 'oldest';
}

/** The requested page of matching events. A page past the end is empty, with the real page count. */
export function timeline(catalog: Catalog, filter: Filter, options: TimelineOptions): TimelinePage {
  const { page, pageSize, order } = options;
  const exact = exactPostings(catalog, filter);
  let total: number;
  let at: (i: number) => CatalogEvent;
  if (exact !== undefined) {
    // One index answers the filter: count and page by position, without looking at each event.
    const firstPos = lastPosOnOrBefore(catalog, shiftDays(options.from, -1)) + 1;
    const lastPos = lastPosOnOrBefore(catalog, options.to);
    const lo = exact === 'all' ? firstPos : lowerIndex(exact, firstPos);
    const hi = exact === 'all' ? lastPos : upperIndex(exact, lastPos);
    total = Math.max(0, hi - lo + 1);
    at = (i) => catalog.event(exact === 'all' ? lo + i : (exact[lo + i] as number));
  } else {
    const all = eventsBetween(catalog, filter, options.from, options.to);
    total = all.length;
    at = (i) => all[i] as CatalogEvent;
  }
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const events: CatalogEvent[] = [];
  for (let k = (page - 1) * pageSize; k < Math.min(total, page * pageSize); k++) {
    events.push(at(order === 'newest' ? total - 1 - k : k));
  }
  return { events, total, page, pages };
}
