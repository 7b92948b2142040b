// Who took part: people named in the text, and office holders named by role ("the Chinese defense
// minister", "his U.S. counterpart"), resolved to people.yaml ids by the positions held on the day.
import type { Catalog } from '../catalog.js';
import { levelOfTitle } from '../consistency.js';
import { dayRange } from '../dates.js';
import { positionSpans, titleOnDay } from '../people.js';
import type { Person } from '../schema.js';
import { containsWords } from '../text.js';
import { LEVELS, type Level, type Side } from '../vocabulary.js';
import { activeOn, type Hit } from './evidence.js';
import { COUNTERPART_OFFICES, MILITARY_TITLE } from './lexicon.js';

/** A participant found in the text, with what the record knows of them on the day. */
export interface Found {
  person: string;
  side: Side;
  title?: string;
  /** Of the defense establishment on the day (a head of state is not, though they chair the CMC). */
  military: boolean;
  leader: boolean;
  level?: Level;
  /** How they were found: named, or resolved from an office. */
  via: 'name' | 'office';
}

/** The people the hits name (active on `day`) and the single holders of the offices they name. */
export function participantsOf(hits: readonly Hit[], catalog: Catalog, day: string | undefined): Found[] {
  const found = new Map<string, Found>();
  const add = (person: Person, via: Found['via']) => {
    if (found.has(person.id)) return;
    found.set(person.id, describe(person, day, via));
  };
  for (const hit of hits) {
    if (hit.tag.type !== 'person') continue;
    const person = catalog.people.get(hit.tag.id);
    if (person && activeOn(person, day)) add(person, 'name');
  }
  const named = [...found.values()];
  const offices = new Map<string, Side>();
  for (const hit of hits) if (hit.tag.type === 'role' && hit.tag.office) offices.set(hit.tag.office, hit.tag.side);
  // "His Chinese counterpart": the office facing one that a participant of the other side holds, unless the
  // text names who took part on that side ("told his Chinese counterpart … Gates met with Gen. Xu Caihou").
  for (const hit of hits) {
    if (hit.tag.type !== 'counterpart') continue;
    const side = hit.tag.side;
    if (named.some((f) => f.side === side)) continue;
    for (const [usOffice, prcOffice] of COUNTERPART_OFFICES) {
      const [mine, theirs] = side === 'PRC' ? [usOffice, prcOffice] : [prcOffice, usOffice];
      const facing = [...found.values()].some((f) => f.side !== side && f.title && holds(f.title, mine));
      if (facing || offices.has(mine)) offices.set(theirs, side);
    }
  }
  if (day !== undefined) {
    for (const [office, side] of offices) {
      // "U.S. Defense Secretary Jim Mattis": the office is the named person's, not a second participant.
      if (named.some((f) => f.side === side && f.title && holds(f.title, office))) continue;
      const holder = holderOn(
        [...catalog.people.values()].filter((p) => p.side === side),
        office,
        day,
      );
      if (holder) add(holder, 'office');
    }
  }
  return [...found.values()];
}

/**
 * Who took part, as a draft lists them: not a spokesperson who reported it, nor a leader named in passing
 * on a side whose military took part ("since President Trump's return to office").
 */
export function takingPart(found: readonly Found[]): Found[] {
  return found.filter(
    (f) =>
      !/spokes(?:person|man|woman)|press secretary/i.test(f.title ?? '') &&
      !(f.leader && found.some((o) => o.side === f.side && o.military)),
  );
}

function describe(person: Person, day: string | undefined, via: Found['via']): Found {
  const held = day === undefined ? person.positions : person.positions.filter((p) => positionSpans(p, day));
  const titles = held.map((p) => p.title);
  const levels = titles.map(levelOfTitle).filter((l): l is Level => l !== undefined);
  const leader = levels.includes('leaders');
  const title = day === undefined ? undefined : titleOnDay(person, day);
  return {
    person: person.id,
    side: person.side,
    ...(title ? { title } : {}),
    military: !leader && titles.some((t) => MILITARY_TITLE.test(t)),
    leader,
    ...(levels[0] ? { level: highest(levels) } : {}),
    via,
  };
}

/**
 * The holder of an office on a day: of the positions known to have begun by then and not ended, the latest
 * appointment (one person holds such an office at a time, and an end date is often not recorded). Undated
 * positions cannot say who held the office when, so they never decide.
 */
function holderOn(people: readonly Person[], office: string, day: string): Person | undefined {
  let best: { person: Person; start: string } | undefined;
  for (const person of people) {
    for (const p of person.positions) {
      if (!p.start || !positionSpans(p, day) || !holds(p.title, office)) continue;
      const start = dayRange(p.start).start;
      if (!best || start > best.start) best = { person, start };
    }
  }
  if (!best) return undefined;
  // Someone else's tenure that ended on or after the day and whose start is not known may have begun after
  // the latest known appointment (Gates, whose start the record lacks, after Rumsfeld's 2001): then the
  // text does not say who held the office, and no one is better than the wrong one.
  const chosen = best;
  const unsure = people.some(
    (person) =>
      person !== chosen.person &&
      person.positions.some(
        (p) =>
          !p.start &&
          p.end &&
          holds(p.title, office) &&
          dayRange(p.end).end >= day &&
          dayRange(p.end).end > chosen.start,
      ),
  );
  return unsure ? undefined : chosen.person;
}

/** "State Councilor and Minister of National Defense" holds "Minister of National Defense"; a deputy does not. */
function holds(title: string, office: string): boolean {
  return containsWords(title, office) && !/\b(deputy|vice|assistant|under|acting)\b/i.test(title.replace(office, ''));
}

/** The highest of some levels (LEVELS is highest first). */
export function highest(levels: readonly Level[]): Level | undefined {
  return [...levels].sort((a, b) => LEVELS.indexOf(a) - LEVELS.indexOf(b))[0];
}
