// Checks across records of a built catalog: titles agree with dated positions; likely duplicates; levels
// that no participant held; events cited only from copies.
import type { Catalog } from './catalog.js';
import { dayRange } from './dates.js';
import type { DataError } from './errors.js';
import { titleOn } from './people.js';
import { hasCitableSource, isReservedExample } from './sourceQuality.js';
import { words } from './text.js';
import { LEVELS, type Level } from './vocabulary.js';

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

/** Events from the start of the complete period whose every source is a copy (no official or major source). */
export function copyOnlyWarnings(catalog: Catalog): DataError[] {
  return catalog.events
    .filter(
      (event) =>
        event.start >= catalog.coverage.complete.from &&
        !hasCitableSource(event) &&
        !event.sources.every((s) => isReservedExample(s.url)),
    )
    .map((event) => ({
      file: event.file,
      id: event.id,
      field: 'sources',
      reason:
        'every source is a copy or aggregator; add the official readout or a wire or paper-of-record story (docs/DATA.md, Sources)',
    }));
}

/** Sources without a publication date: an analyst citing one needs it. */
export function undatedWarnings(catalog: Catalog): DataError[] {
  return catalog.events.flatMap((event) =>
    event.sources.flatMap((source, i) =>
      source.date || isReservedExample(source.url)
        ? []
        : [
            {
              file: event.file,
              id: event.id,
              field: `sources.${i}.date`,
              reason: 'missing; give the publication date the page shows (YYYY-MM-DD, or YYYY-MM)',
            },
          ],
    ),
  );
}

/** The level a title puts its holder at, where the title says so plainly; undefined otherwise. */
export function levelOfTitle(title: string): Level | undefined {
  const t = title.toLowerCase();
  const cmcVice = /vice chairman,? (of the )?central military commission|cmc vice chairman/.test(t);
  let level: Level | undefined;
  if (/^president\b|\bpresident of the (united states|people's republic)/.test(t)) level = 'leaders';
  else if (/secretary of (defense|war)|minister of national defense|defense minister/.test(t) || cmcVice)
    level = 'minister';
  else if (/chairman of the joint chiefs|chief of the (pla )?general staff|chief of (the )?(cmc )?joint staff/.test(t))
    level = 'chief-of-defense';
  else if (
    /commander.*((indo-)?pacific command|theater command)|((indo-)?pacific command|theater command).*commander/.test(t)
  )
    level = 'theater-commander';
  if (level === undefined) return undefined;
  // A deputy, vice, assistant or under-secretary of such a post, or a director in its office, is below it.
  if (!cmcVice && /\b(deputy|vice|assistant|under|director|acting)\b/.test(t)) return 'senior-official';
  return level;
}

/**
 * Events filed at a level none of their participants held on the day: e.g. "chief-of-defense" when neither
 * side's participant was a chief of defense. Only where every participant's title says its level plainly.
 */
export function levelWarnings(catalog: Catalog): DataError[] {
  const warnings: DataError[] = [];
  for (const event of catalog.events) {
    if (event.participants.length === 0 || event.level === 'senior-official' || event.level === 'working-level')
      continue;
    const levels = event.participants.map((p) => {
      const title = p.title ?? titleOn(catalog, p, event.start);
      return title === undefined ? undefined : levelOfTitle(title);
    });
    const known = levels.filter((l): l is Level => l !== undefined);
    if (known.length === 0) continue;
    const highest = known.reduce((a, b) => (LEVELS.indexOf(a) <= LEVELS.indexOf(b) ? a : b));
    const unknown = levels.length - known.length;
    if (LEVELS.indexOf(event.level) < LEVELS.indexOf(highest) && unknown === 0) {
      warnings.push({
        file: event.file,
        id: event.id,
        field: 'level',
        reason: `filed as ${event.level}, but no participant held a ${event.level} post on ${event.start} (the highest was ${highest}); check the level`,
      });
    }
  }
  return warnings;
}

function overlaps(a: string, b: string): boolean {
  const wa = new Set(words(a));
  const wb = new Set(words(b));
  return [...wb].every((w) => wa.has(w)) || [...wa].every((w) => wb.has(w));
}
