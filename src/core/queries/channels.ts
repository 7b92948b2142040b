// The state of each dialogue mechanism as of a day, from its dated history and the events through it.
import type { Catalog, CatalogEvent } from '../catalog.js';
import { isContact } from '../contact.js';
import { type Day, dayRange, shiftMonths } from '../dates.js';
import { walkBackwards } from '../filter.js';
import type { Mechanism, MechanismChange } from '../schema.js';
import { CONTACT_KINDS } from '../vocabulary.js';

/** What a board shows for a mechanism. */
export type ChannelState = 'open' | 'agreed' | 'dormant' | 'suspended' | 'cancelled' | 'unrecorded';

/** A mechanism's state on a day, the change that set it, and the last contact held through it. */
export interface MechanismState {
  mechanism: Mechanism;
  state: ChannelState;
  /** The latest history entry on or before the day; absent before anything is on record. */
  change?: MechanismChange;
  /** The entry that began the current state: the first of the latest run of entries in this state. */
  since?: MechanismChange;
  /** The latest contact held through the mechanism on or before the day. */
  lastEvent?: CatalogEvent;
  /**
   * Set when the history says open or agreed but the channel has been silent for more than one and a half
   * times its cadence: the last day anything happened through it (a contact, or the change itself).
   */
  silentSince?: Day;
  /** Whether `silentSince` is the end of the last session held through it, or the day of the change itself. */
  silentAfter?: 'session' | 'change';
  /** The day the state is for. */
  asOf: Day;
  /** How far silence was measured: the day, or the day the record was reviewed to if that is earlier. */
  measuredTo: Day;
}

/** How many cadences of silence make an open or agreed channel dormant. */
export const SILENT_CADENCES = 1.5;

const STATE_OF: Record<MechanismChange['status'], ChannelState> = {
  established: 'open',
  resumed: 'open',
  agreed: 'agreed',
  dormant: 'dormant',
  suspended: 'suspended',
  cancelled: 'cancelled',
};

/** Board order: open channels first, then the ones in trouble. */
export const STATE_ORDER: readonly ChannelState[] = [
  'open',
  'agreed',
  'dormant',
  'suspended',
  'cancelled',
  'unrecorded',
];

/** A mechanism's state as of `day`. */
export function mechanismState(catalog: Catalog, mechanism: Mechanism, day: Day): MechanismState {
  const history = mechanism.history.filter((c) => dayRange(c.date).start <= day);
  const change = history.at(-1);
  let since = change;
  for (let i = history.length - 2; i >= 0 && change; i--) {
    const earlier = history[i] as MechanismChange;
    if (STATE_OF[earlier.status] !== STATE_OF[change.status]) break;
    since = earlier;
  }
  let lastEvent: CatalogEvent | undefined;
  // The last session of any track (a diplomatic dialogue's rounds are sessions too, if not military contacts).
  let lastSession: CatalogEvent | undefined;
  walkBackwards(catalog, { mechanisms: [mechanism] }, day, (event) => {
    if (!lastSession && event.status === 'held' && (CONTACT_KINDS as readonly string[]).includes(event.kind)) {
      lastSession = event;
    }
    if (!isContact(event)) return true;
    lastEvent = event;
    return false;
  });
  let state: ChannelState = change ? STATE_OF[change.status] : 'unrecorded';
  let silentSince: Day | undefined;
  let silentAfter: MechanismState['silentAfter'];
  if ((state === 'open' || state === 'agreed') && since && mechanism.cadenceMonths) {
    const changed = dayRange(since.date).start;
    const latest = [lastEvent?.end, lastSession?.end].filter((d): d is Day => d !== undefined).sort();
    const session = latest.at(-1);
    const last = session !== undefined && session >= changed ? session : changed;
    // Silence is measured only as far as the record was reviewed: past that, a session may be unrecorded.
    const reviewed = day < catalog.coverage.reviewedTo ? day : catalog.coverage.reviewedTo;
    if (shiftMonths(last, Math.round(mechanism.cadenceMonths * SILENT_CADENCES)) < reviewed) {
      state = 'dormant';
      silentSince = last;
      silentAfter = last === session ? 'session' : 'change';
    }
  }
  return {
    mechanism,
    state,
    asOf: day,
    measuredTo: day < catalog.coverage.reviewedTo ? day : catalog.coverage.reviewedTo,
    ...(change ? { change } : {}),
    ...(since ? { since } : {}),
    ...(lastEvent ? { lastEvent } : {}),
    ...(silentSince ? { silentSince, silentAfter } : {}),
  };
}

/** Every mechanism's state as of `day`, grouped by state (open first), then by name. */
export function channelBoard(catalog: Catalog, day: Day): MechanismState[] {
  return [...catalog.mechanisms.values()].map((m) => mechanismState(catalog, m, day)).sort(boardOrder);
}

/** Sorts states as a board shows them: by state (open first), then by name. */
export function boardOrder(a: MechanismState, b: MechanismState): number {
  return (
    STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.mechanism.name.localeCompare(b.mechanism.name)
  );
}

/** The mechanisms relevant to an event: its own, else (for military contacts) the channel of its level. */
export function relevantMechanisms(catalog: Catalog, event: CatalogEvent): Mechanism[] {
  const own = event.mechanisms.map((id) => catalog.mechanisms.get(id)).filter((m) => m !== undefined);
  if (own.length > 0 || event.track !== undefined) return own;
  return [...catalog.mechanisms.values()].filter((m) => m.levels.includes(event.level));
}
