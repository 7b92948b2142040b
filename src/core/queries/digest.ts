// A digest of the events in a window: grouped by level and kind, counted, compared with the window before.
import { type Catalog, type CatalogEvent, levelRank } from '../catalog.js';
import { counts } from '../contact.js';
import { type Day, daysBetween, shiftDays } from '../dates.js';
import { eventsBetween, type Filter } from '../filter.js';
import { CONTACT_KINDS, KINDS, type Kind, type Level } from '../vocabulary.js';
import { boardOrder, type MechanismState, mechanismState } from './channels.js';

/** Events of one kind within a level group, held ones apart from planned, refused, cancelled or other-track ones. */
export interface KindGroup {
  kind: Kind;
  /** Absent for military contacts that took place; else why they are not counted as such. */
  qualifier?: 'scheduled' | 'proposed' | 'refused' | 'cancelled' | 'congressional' | 'diplomatic';
  events: CatalogEvent[];
}

/** Events of one level, by kind. */
export interface LevelGroup {
  level: Level;
  kinds: KindGroup[];
  count: number;
}

/** The digest of a window [from, to] (both days included). */
export interface Digest {
  from: Day;
  to: Day;
  /** The window of equal length just before. */
  previousFrom: Day;
  previousTo: Day;
  events: CatalogEvent[];
  groups: LevelGroup[];
  /** Contacts held (or, with a kind, events of that kind that happened) in the window and the one before. */
  contacts: number;
  previousContacts: number;
  /** Every matching event (contacts, refusals, suspensions …) in each window. */
  total: number;
  previousTotal: number;
  /** State as of `to` of every mechanism that events in either window went through. */
  channels: MechanismState[];
}

/** Builds the digest of the events matching `filter` whose start lies in [from, to]. */
export function digest(catalog: Catalog, filter: Filter, from: Day, to: Day): Digest {
  const length = daysBetween(from, to) + 1;
  const previousTo = shiftDays(from, -1);
  const previousFrom = shiftDays(from, -length);
  const events = eventsBetween(catalog, filter, from, to);
  const previous = eventsBetween(catalog, filter, previousFrom, previousTo);
  const contactCount = (list: CatalogEvent[]) => list.filter((e) => counts(e, filter)).length;
  const mechanismIds = new Set([...previous, ...events].flatMap((e) => e.mechanisms));
  return {
    from,
    to,
    previousFrom,
    previousTo,
    events,
    groups: group(events),
    contacts: contactCount(events),
    previousContacts: contactCount(previous),
    total: events.length,
    previousTotal: previous.length,
    channels: [...mechanismIds]
      .map((id) => catalog.mechanisms.get(id))
      .filter((m) => m !== undefined)
      .map((m) => mechanismState(catalog, m, to))
      .sort(boardOrder),
  };
}

function group(events: readonly CatalogEvent[]): LevelGroup[] {
  // Linear in the window's events: each is pushed once into its (level, kind, qualifier) list.
  const levels = new Map<Level, Map<string, KindGroup>>();
  for (const event of events) {
    const kinds = levels.get(event.level) ?? new Map<string, KindGroup>();
    levels.set(event.level, kinds);
    // Only contact kinds need saying that they did not take place or were not military contacts.
    const contactKind = (CONTACT_KINDS as readonly Kind[]).includes(event.kind);
    const qualifier = contactKind ? (event.track ?? (event.status === 'held' ? undefined : event.status)) : undefined;
    const key = `${event.kind}|${qualifier ?? ''}`;
    const found = kinds.get(key);
    if (found) found.events.push(event);
    else kinds.set(key, { kind: event.kind, ...(qualifier ? { qualifier } : {}), events: [event] });
  }
  return [...levels.entries()]
    .sort(([a], [b]) => levelRank(a) - levelRank(b))
    .map(([level, kinds]) => ({
      level,
      kinds: [...kinds.values()].sort(
        (a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || (a.qualifier ?? '').localeCompare(b.qualifier ?? ''),
      ),
      count: [...kinds.values()].reduce((n, g) => n + g.events.length, 0),
    }));
}
