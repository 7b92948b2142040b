// Several items about one contact become one draft; a draft about a contact on record becomes a
// suggestion to add its sources to that event.
import { type Catalog, lastPosOnOrBefore } from '../catalog.js';
import { daysBetween, shiftDays } from '../dates.js';
import type { Draft, DraftField, DraftParticipant, RecordMatch } from './types.js';

/** How far apart two reports' dates may be and still be one contact (time zones, late reports). */
export const SAME_CONTACT_DAYS = 2;

/**
 * Joins drafts about the same contact (the same people on each side, or the same mechanism, within
 * SAME_CONTACT_DAYS), keeping each field from the draft most sure of it and every source once.
 * Drafts come back in the order of their first member.
 */
export function groupDrafts(drafts: readonly Draft[]): Draft[] {
  const groups: Draft[][] = [];
  for (const draft of drafts) {
    const group = groups.find((members) => members.some((other) => sameContact(draft, other)));
    if (group) group.push(draft);
    else groups.push([draft]);
  }
  return groups.map(merge);
}

/** The event on record that the draft reports, with the sources it does not cite yet; undefined if none. */
export function matchRecord(draft: Draft, catalog: Catalog): RecordMatch | undefined {
  if (draft.date === undefined) return undefined;
  const day = draft.date;
  let best: { id: string; score: number; distance: number } | undefined;
  // Only the events that start within SAME_CONTACT_DAYS of the day, or early enough to still run on it, found by
  // their start days: reading every event would make each one of a catalog from the cache, per feed item.
  const earliest = shiftDays(day, -Math.max(SAME_CONTACT_DAYS, catalog.longestSpan));
  const last = lastPosOnOrBefore(catalog, shiftDays(day, SAME_CONTACT_DAYS));
  for (let pos = lastPosOnOrBefore(catalog, shiftDays(earliest, -1)) + 1; pos <= last; pos++) {
    const event = catalog.event(pos);
    const distance = event.start <= day && day <= event.end ? 0 : Math.abs(daysBetween(event.start, day));
    if (distance > SAME_CONTACT_DAYS) continue;
    // A draft that names no one the event names can still be about it: same kind, nobody contradicting.
    const named = overlap(draft, { participants: event.participants, mechanisms: event.mechanisms });
    const score = named > 0 ? named : draft.kind === event.kind && !contradicts(draft, event.participants) ? 0.5 : 0;
    if (score > 0 && (!best || score > best.score || (score === best.score && distance < best.distance))) {
      best = { id: event.id, score, distance };
    }
  }
  if (best === undefined) return undefined;
  const cited = new Set(catalog.byId.get(best.id)?.sources.map((s) => s.url));
  return { suggestion: 'add-source', event: best.id, sources: draft.sources.filter((s) => !cited.has(s.url)) };
}

function sameContact(a: Draft, b: Draft): boolean {
  if (a.date === undefined || b.date === undefined) return false;
  if (Math.abs(daysBetween(a.date, b.date)) > SAME_CONTACT_DAYS) return false;
  return overlap(a, b) > 0;
}

/**
 * How strongly two descriptions name the same contact: 2 when they share a person on each side, 1 when
 * they share a mechanism, else 0.
 */
function overlap(a: Pick<Draft, 'participants' | 'mechanisms'>, b: Pick<Draft, 'participants' | 'mechanisms'>): number {
  const people = (list: readonly DraftParticipant[], side: string) =>
    new Set(list.flatMap((p) => (p.side === side && p.person ? [p.person] : [])));
  const sharedOn = (side: string) =>
    [...people(a.participants, side)].some((id) => people(b.participants, side).has(id));
  if (sharedOn('US') && sharedOn('PRC')) return 2;
  return a.mechanisms.some((m) => b.mechanisms.includes(m)) ? 1 : 0;
}

/** Whether the draft names a person on a side where the event names others and not them. */
function contradicts(draft: Draft, participants: readonly DraftParticipant[]): boolean {
  return draft.participants.some(
    (p) =>
      p.person !== undefined &&
      participants.some((e) => e.side === p.side && e.person !== undefined) &&
      !participants.some((e) => e.person === p.person),
  );
}

function merge(members: readonly Draft[]): Draft {
  const first = members[0] as Draft;
  if (members.length === 1) return first;
  const surest = (field: DraftField) =>
    members.reduce((best, d) => (d.confidence[field] > best.confidence[field] ? d : best), first);
  const confidence = { ...first.confidence };
  for (const field of Object.keys(confidence) as DraftField[]) confidence[field] = surest(field).confidence[field];
  const participants = new Map<string, DraftParticipant>();
  for (const d of [surest('participants'), ...members]) {
    for (const p of d.participants) {
      const key = p.person ?? `${p.side}:${p.name}`;
      if (!participants.has(key)) participants.set(key, p);
    }
  }
  const sources = new Map(members.flatMap((d) => d.sources.map((s) => [s.url, s] as const)));
  const pick = <K extends keyof Draft>(field: DraftField, key: K) => surest(field)[key];
  const date = pick('date', 'date');
  const kind = pick('kind', 'kind');
  const format = pick('format', 'format');
  const level = pick('level', 'level');
  return {
    ...(date ? { date } : {}),
    ...(kind ? { kind } : {}),
    ...(format ? { format } : {}),
    ...(level ? { level } : {}),
    participants: [...participants.values()],
    mechanisms: [...new Set(members.flatMap((d) => d.mechanisms))],
    topics: [...new Set(members.flatMap((d) => d.topics))],
    sources: [...sources.values()],
    confidence,
  };
}
