// The most recent contact matching a filter, the one before it at the same level, and channel state.
import type { Catalog, CatalogEvent } from '../catalog.js';
import { counts } from '../contact.js';
import { type Day, dayRange, daysBetween } from '../dates.js';
import { type Filter, walkBackwards } from '../filter.js';
import { type MechanismState, mechanismState, relevantMechanisms } from './channels.js';

/** Whole days, as a range when the event's day is not known (month precision). */
export interface DaySpan {
  min: number;
  max: number;
}

/** The answer to "when was the last contact …?". */
export interface LastContact {
  event: CatalogEvent;
  /** Days from the event to the reference day. */
  ago: DaySpan;
  /** The contact before it, at the same level and matching the same filter. */
  previous?: CatalogEvent;
  /** Days between the previous contact and this one. */
  gap?: DaySpan;
  /** State, as of the day asked about, of the mechanisms relevant to the event. */
  channels: MechanismState[];
}

/** The latest matching contact that started on or before `asOf`; days are counted to `reference`. */
export function lastContact(
  catalog: Catalog,
  filter: Filter,
  asOf: Day,
  reference: Day = asOf,
): LastContact | undefined {
  let event: CatalogEvent | undefined;
  walkBackwards(catalog, filter, asOf, (e) => {
    if (!counts(e, filter)) return true;
    event = e;
    return false;
  });
  if (!event) return undefined;
  const found = event;
  let previous: CatalogEvent | undefined;
  walkBackwards(catalog, { ...filter, levels: [found.level] }, asOf, (e) => {
    if (e.pos >= found.pos || !counts(e, filter)) return true;
    previous = e;
    return false;
  });
  return {
    event: found,
    ago: spanBetween(found.date, reference),
    ...(previous ? { previous, gap: spanBetween(previous.date, found.date) } : {}),
    channels: relevantMechanisms(catalog, found).map((m) => mechanismState(catalog, m, asOf)),
  };
}

/** Days between two (possibly month-precision) dates: a range when a day is not known. */
export function spanBetween(from: string, to: string): DaySpan {
  const a = dayRange(from);
  const b = dayRange(to);
  return { min: Math.max(0, daysBetween(a.end, b.start)), max: Math.max(0, daysBetween(a.start, b.end)) };
}
