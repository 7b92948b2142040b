// Contacts per month by level over the months ending on a day, with a window's contacts picked out: the data
// behind a digest's chart (issue 14). Counts with the digest's rule (contact.ts `counts`), so the chart and the
// digest's numbers never disagree.
import type { Catalog, CatalogEvent } from '../catalog.js';
import { counts } from '../contact.js';
import { type Day, dayRange, earlier, later, shiftMonths } from '../dates.js';
import { eventsBetween, type Filter } from '../filter.js';
import { LEVELS, type Level } from '../vocabulary.js';

/** Months a chart covers unless told otherwise: a year, so a season's rhythm shows. */
export const DEFAULT_MONTHS = 12;

/** One calendar month of the series. */
export interface MonthCounts {
  /** "2026-04". */
  month: string;
  /** Counted events per level; every level is present (0 when none). */
  byLevel: Record<Level, number>;
  total: number;
  /** How many of this month's counted events lie in the window (they are marked on the chart). */
  marked: number;
}

/** The series a contacts chart draws. */
export interface ContactSeries {
  /** First day of the first month. */
  from: Day;
  /** The end day asked for; the last month is counted up to it (a partial month when it is not the month's last day). */
  to: Day;
  /** Oldest first, one per calendar month, none skipped. */
  months: MonthCounts[];
  /** Levels with at least one counted event in the series, highest first: the chart's stacks and legend. */
  levels: Level[];
  total: number;
  /** The filter the events matched, for titles ("Taiwan"); with kinds, it also changes what is counted. */
  filter: Filter;
  /** The window asked for, cut to [from, to]; absent when none was given or it lies outside the series. */
  window?: { from: Day; to: Day };
  /** Counted events whose start lies in the window, oldest first. */
  marked: CatalogEvent[];
}

/** What to count: the months ending with the month of `to`, and the window whose contacts are marked. */
export interface SeriesOptions {
  to: Day;
  /** Whole calendar months, the month of `to` included (default 12). */
  months?: number;
  /** A digest's window [from, to], both days included. */
  window?: { from: Day; to: Day };
}

/**
 * Counts the events matching `filter` that count as contacts (held contacts; with a kind filter, events of
 * those kinds that happened, as the digest counts them) per month and level. An event is placed in the month
 * of its start day, as the digest places it in a window. Throws a RangeError for a number of months below 1.
 */
export function contactsByMonth(catalog: Catalog, filter: Filter, options: SeriesOptions): ContactSeries {
  const monthCount = options.months ?? DEFAULT_MONTHS;
  if (!Number.isInteger(monthCount) || monthCount < 1) {
    throw new RangeError(`months must be a whole number from 1 up, not ${monthCount}`);
  }
  const { to } = options;
  const from = shiftMonths(`${to.slice(0, 7)}-01`, -(monthCount - 1));
  const months: MonthCounts[] = [];
  const byMonth = new Map<string, MonthCounts>();
  for (let i = 0; i < monthCount; i++) {
    const month = shiftMonths(from, i).slice(0, 7);
    const entry: MonthCounts = { month, byLevel: zeroPerLevel(), total: 0, marked: 0 };
    months.push(entry);
    byMonth.set(month, entry);
  }
  const window = clip(options.window, from, to);
  const marked: CatalogEvent[] = [];
  const levelsSeen = new Set<Level>();
  for (const event of eventsBetween(catalog, filter, from, to)) {
    if (!counts(event, filter)) continue;
    // eventsBetween keeps starts within [from, to], so every event's month is one of the series'.
    const entry = byMonth.get(event.start.slice(0, 7)) as MonthCounts;
    entry.byLevel[event.level] += 1;
    entry.total += 1;
    levelsSeen.add(event.level);
    if (window && event.start >= window.from && event.start <= window.to) {
      entry.marked += 1;
      marked.push(event);
    }
  }
  return {
    from,
    to,
    months,
    levels: LEVELS.filter((level) => levelsSeen.has(level)),
    total: months.reduce((n, m) => n + m.total, 0),
    filter,
    ...(window ? { window } : {}),
    marked,
  };
}

/** Whether `to` is the last day of its month, so the series' last month is whole. */
export function endsWithWholeMonth(series: Pick<ContactSeries, 'to'>): boolean {
  return dayRange(series.to.slice(0, 7)).end === series.to;
}

function zeroPerLevel(): Record<Level, number> {
  return Object.fromEntries(LEVELS.map((level) => [level, 0])) as Record<Level, number>;
}

/** The part of a window inside [from, to], or undefined when they do not overlap. */
function clip(window: SeriesOptions['window'], from: Day, to: Day): ContactSeries['window'] {
  if (!window) return undefined;
  const start = later(window.from, from);
  const end = earlier(window.to, to);
  return start <= end ? { from: start, to: end } : undefined;
}
