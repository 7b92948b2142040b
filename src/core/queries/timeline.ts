// A page of the events matching a filter between two days, newest or oldest first.
import type { Catalog, CatalogEvent } from '../catalog.js';
import type { Day } from '../dates.js';
import { eventsBetween, type Filter } from '../filter.js';

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
  const all = eventsBetween(catalog, filter, options.from, options.to);
  if (options.order === 'newest') all.reverse();
  const pages = Math.max(1, Math.ceil(all.length / options.pageSize));
  const start = (options.page - 1) * options.pageSize;
  return { events: all.slice(start, start + options.pageSize), total: all.length, page: options.page, pages };
}
