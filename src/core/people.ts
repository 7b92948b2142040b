// Resolving a person by name, alias, Chinese name or title-as-of-date, and a person's title on a day.
import type { Catalog } from './catalog.js';
import { type Day, dayRange } from './dates.js';
import { UserError } from './errors.js';
import type { Participant, Person, Position } from './schema.js';
import { closest, normalize } from './text.js';

/** One way a query identifies a person: always (a name) or only while they held an office (a title). */
export interface PersonMatch {
  personId: string;
  /** Set when matched by title: the span during which the person held it. */
  from?: Day;
  to?: Day;
  /** What matched, for explaining the answer: a name, or the title. */
  via: string;
}

/** A person's names and titles, normalized once per catalog for matching. */
interface PersonEntry {
  person: Person;
  names: string[];
  nameWords: Set<string>[];
  positions: { title: string; span: { from?: Day; to?: Day }; titles: string[]; titleWords: Set<string>[] }[];
}

const entriesByCatalog = new WeakMap<Catalog, PersonEntry[]>();

function entries(catalog: Catalog): PersonEntry[] {
  const cached = entriesByCatalog.get(catalog);
  if (cached) return cached;
  const built = [...catalog.people.values()].map((person) => {
    const names = personNames(person).map(normalize);
    return {
      person,
      names,
      nameWords: names.map((n) => new Set(n.split(' '))),
      positions: person.positions.map((position) => {
        const titles = [position.title, ...position.aliases].map(normalize);
        return {
          title: position.title,
          span: positionSpan(position),
          titles,
          titleWords: titles.map((t) => new Set(t.split(' '))),
        };
      }),
    };
  });
  entriesByCatalog.set(catalog, built);
  return built;
}

/** Every person (or office holder) that `query` names. Throws a UserError when nothing or too much matches. */
export function resolvePerson(catalog: Catalog, query: string): PersonMatch[] {
  const q = normalize(query);
  const want = q === '' ? [] : q.split(' ');
  const hasAll = (set: Set<string>) => want.length > 0 && want.every((w) => set.has(w));
  const byName: PersonMatch[] = [];
  const byTitle: PersonMatch[] = [];
  const partialName: PersonMatch[] = [];
  const partialTitle: PersonMatch[] = [];
  for (const entry of entries(catalog)) {
    const { person } = entry;
    if (entry.names.includes(q)) byName.push({ personId: person.id, via: person.name });
    else if (entry.nameWords.some(hasAll)) partialName.push({ personId: person.id, via: person.name });
    for (const position of entry.positions) {
      if (position.titles.includes(q)) byTitle.push({ personId: person.id, ...position.span, via: position.title });
      else if (position.titleWords.some(hasAll))
        partialTitle.push({ personId: person.id, ...position.span, via: position.title });
    }
  }
  const exact = [...byName, ...byTitle];
  if (exact.length > 0) return exact;
  const distinct = new Set(partialName.map((m) => m.personId));
  if (distinct.size === 1) return partialName;
  if (distinct.size > 1) {
    const names = [...distinct].map((id) => catalog.people.get(id)?.name ?? id).sort();
    throw new UserError(
      'ambiguous-person',
      `"${query}" could be ${names.join(', ')}. Give the full name.`,
      `person:"${names[0]}"`,
    );
  }
  if (partialTitle.length > 0) return partialTitle;
  const all = [...catalog.people.values()].flatMap((p) => [p.name, ...p.aliases]);
  const near = closest(query, all);
  throw new UserError(
    'unknown-person',
    `No person or title matches "${query}".${near.length > 0 ? ` Did you mean ${near.map((n) => `"${n}"`).join(', ')}?` : ''} A person can be named in English or Chinese, or by title, such as "PRC defense minister".`,
    `person:"${near[0] ?? 'Dong Jun'}"`,
  );
}

/** Whether a participant is one of the matches on `day`. */
export function participantMatches(participant: Participant, matches: readonly PersonMatch[], day: Day): boolean {
  if (participant.person === undefined) return false;
  return matches.some(
    (m) =>
      m.personId === participant.person &&
      (m.from === undefined || m.from <= day) &&
      (m.to === undefined || day <= m.to),
  );
}

/** The title a participant held on `day`: as recorded on the event, else the post they held that day (titleOnDay). */
export function titleOn(catalog: Catalog, participant: Participant, day: Day): string | undefined {
  if (participant.title !== undefined) return participant.title;
  if (participant.person === undefined) return undefined;
  const person = catalog.people.get(participant.person);
  return person && titleOnDay(person, day);
}

/**
 * The title a person held on a day: of the positions spanning it, the one appointed latest among those whose
 * start is known (Fang Fenghui in 2013 was Chief of the General Staff, appointed 2012-10, not yet Chief of the
 * Joint Staff Department, a post whose start the record lacks); with no dated one, the last listed.
 */
export function titleOnDay(person: Person, day: Day): string | undefined {
  const spanning = person.positions.filter((p) => positionSpans(p, day));
  const dated = spanning.filter((p) => p.start !== undefined);
  const latest = [...dated].sort((a, b) =>
    dayRange(b.start as string).start.localeCompare(dayRange(a.start as string).start),
  )[0];
  return (latest ?? spanning.at(-1))?.title;
}

/** Whether a position was held on `day` (a missing start or end leaves that side open). */
export function positionSpans(position: Position, day: Day): boolean {
  const span = positionSpan(position);
  return (span.from === undefined || span.from <= day) && (span.to === undefined || day <= span.to);
}

/** A participant's display name. */
export function participantName(catalog: Catalog, participant: Participant): string {
  if (participant.person === undefined) return participant.name ?? '';
  return catalog.people.get(participant.person)?.name ?? participant.person;
}

/** All the names a person goes by. */
export function personNames(person: Person): string[] {
  return [person.id, person.name, ...(person.chineseName ? [person.chineseName] : []), ...person.aliases];
}

function positionSpan(position: Position): { from?: Day; to?: Day } {
  return {
    ...(position.start ? { from: dayRange(position.start).start } : {}),
    ...(position.end ? { to: dayRange(position.end).end } : {}),
  };
}
