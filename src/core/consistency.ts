// Checks across records of a built catalog: titles agree with dated positions; likely duplicates.
import type { Catalog } from './catalog.js';
import { dayRange } from './dates.js';
import type { DataError } from './errors.js';
import { words } from './text.js';

/**
 * A participant's recorded title must agree with a position the person held on the event's day:
 * one of the two contains the other's words (so "Adm., Minister of National Defense" agrees with
 * "Minister of National Defense"). People with no positions are not checked.
 */
export function titleErrors(catalog: Catalog): DataError[] {
  const errors: DataError[] = [];
  for (const event of catalog.events) {
    event.participants.forEach((participant, i) => {
      if (participant.person === undefined || participant.title === undefined) return;
      const person = catalog.people.get(participant.person);
      if (!person || person.positions.length === 0) return;
      const held = person.positions.filter(
        (p) => (!p.start || dayRange(p.start).start <= event.start) && (!p.end || event.start <= dayRange(p.end).end),
      );
      const title = participant.title;
      if (held.some((p) => [p.title, ...p.aliases].some((t) => overlaps(title, t)))) return;
      errors.push({
        file: event.file,
        id: event.id,
        field: `participants.${i}.title`,
        reason: `"${title}" does not agree with ${person.name}'s positions on ${event.start} (${
          held.length > 0 ? held.map((p) => p.title).join('; ') : 'none held that day'
        }); fix the title or the dates in people.yaml, or add the title as a position alias`,
      });
    });
  }
  return errors;
}

/** Events on the same day with the same people: likely one event recorded twice. */
export function likelyDuplicates(catalog: Catalog): DataError[] {
  const warnings: DataError[] = [];
  const byKey = new Map<string, string>();
  for (const event of catalog.events) {
    const people = [...new Set(event.participants.flatMap((p) => (p.person ? [p.person] : [])))].sort();
    if (people.length < 2) continue;
    const key = `${event.start}|${people.join(',')}`;
    const earlier = byKey.get(key);
    if (earlier) {
      warnings.push({
        file: event.file,
        id: event.id,
        reason: `likely the same event as ${earlier} (same day, same people)`,
      });
    } else byKey.set(key, event.id);
  }
  return warnings;
}

function overlaps(a: string, b: string): boolean {
  const wa = new Set(words(a));
  const wb = new Set(words(b));
  return [...wb].every((w) => wa.has(w)) || [...wa].every((w) => wb.has(w));
}
