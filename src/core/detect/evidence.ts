// Finding what an item's text names: the lexicon's cues and the catalog's people, mechanisms and topics,
// each hit with its place, overlapping hits resolved in favour of the longer ("中美国防部" over "国防部").
import type { Catalog } from '../catalog.js';
import { dayRange } from '../dates.js';
import type { Person } from '../schema.js';
import type { Side } from '../vocabulary.js';
import { type Cue, LEXICON } from './lexicon.js';
import { fold } from './text.js';

/** What a hit stands for: a lexicon cue, or a record in the catalog. */
export type Tag =
  | Cue
  | { type: 'person'; id: string; side: Side }
  | { type: 'mechanism'; id: string }
  | { type: 'topic'; id: string };

/** One thing found in one sentence. */
export interface Hit {
  tag: Tag;
  sentence: number;
  start: number;
  end: number;
  /** The words as written, for the reasons. */
  text: string;
}

/** Letters and digits of any script: a Latin phrase matches only as whole words. */
const WORD_BEFORE = String.raw`(?<![\p{L}\p{N}])`;
const WORD_AFTER = String.raw`(?![\p{L}\p{N}])`;

interface Matcher {
  pattern: RegExp;
  tags: Tag[] | ((matched: string) => Tag[] | undefined);
}

const matchersByCatalog = new WeakMap<Catalog, Matcher[]>();

/** Every hit in the sentences, longest first where two overlap. */
export function findHits(sentences: readonly string[], catalog: Catalog): Hit[] {
  const hits: Hit[] = [];
  const matchers = matchersOf(catalog);
  sentences.forEach((sentence, index) => {
    const found: Hit[] = [];
    for (const matcher of matchers) {
      // Matches may overlap ("President Hu" and "Hu Jintao" in "President Hu Jintao"): the search resumes one
      // character after each match's start, not at its end, and withoutOverlaps chooses among them.
      const pattern = matcher.pattern;
      pattern.lastIndex = 0;
      for (let match = pattern.exec(sentence); match !== null; match = pattern.exec(sentence)) {
        const text = match[0];
        pattern.lastIndex = match.index + 1;
        const tags = typeof matcher.tags === 'function' ? matcher.tags(text) : matcher.tags;
        for (const tag of tags ?? []) {
          found.push({ tag, sentence: index, start: match.index, end: match.index + text.length, text });
        }
      }
    }
    hits.push(...withoutOverlaps(found));
  });
  return hits;
}

/**
 * Keeps the longest of overlapping hits that say who took part (all tags of a kept span stay: a name can be
 * two people's alias), so a phrase inside a longer one is not read twice: "中美国防部" is both militaries,
 * not also the PRC's "国防部". Hits of other families stand beside them: "Defense Policy Coordination
 * Talks" is a mechanism and a contact word.
 */
function withoutOverlaps(found: Hit[]): Hit[] {
  const bySize = [...found].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Hit[] = [];
  for (const hit of bySize) {
    const clash = kept.some(
      (k) =>
        familyOf(k.tag) === familyOf(hit.tag) &&
        hit.start < k.end &&
        k.start < hit.end &&
        !(k.start === hit.start && k.end === hit.end),
    );
    if (!clash) kept.push(hit);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Hits that compete for the same words: who took part, what happened, and the rest by type. */
function familyOf(tag: Tag): string {
  if (tag.type === 'not-a-contact') return 'contact';
  return WHO.has(tag.type) ? 'who' : tag.type;
}

const WHO = new Set<Tag['type']>([
  'role',
  'pair',
  'counterpart',
  'person',
  'mechanism',
  'neutral',
  'country',
  'third-country',
]);

function matchersOf(catalog: Catalog): Matcher[] {
  const cached = matchersByCatalog.get(catalog);
  if (cached) return cached;
  const matchers: Matcher[] = LEXICON.map(([source, cue]) => ({ pattern: wholeWords(source, 'giu'), tags: [cue] }));
  const anyCase = new Map<string, Tag[]>();
  const exactCase = new Map<string, Tag[]>();
  const add = (map: Map<string, Tag[]>, phrase: string, tag: Tag) => {
    const key = map === anyCase ? fold(phrase).toLowerCase() : fold(phrase);
    if (key.length < 2) return;
    const list = map.get(key) ?? [];
    if (!list.some((t) => JSON.stringify(t) === JSON.stringify(tag))) list.push(tag);
    map.set(key, list);
  };
  const surnames = surnameCounts(catalog);
  for (const person of catalog.people.values()) {
    const tag: Tag = { type: 'person', id: person.id, side: person.side };
    for (const name of [person.name, ...person.aliases, ...(person.chineseName ? [person.chineseName] : [])]) {
      // A one-word Latin alias is matched as written ("Hegseth"); longer names in any case.
      if (/\p{Script=Han}/u.test(name) || name.includes(' ')) add(anyCase, name, tag);
      else if (name.length >= 4) add(exactCase, name, tag);
    }
    const surname = surnameOf(person);
    if (surname && surnames.get(surname) === 1) add(exactCase, surname, tag);
  }
  for (const mechanism of catalog.mechanisms.values()) {
    const tag: Tag = { type: 'mechanism', id: mechanism.id };
    for (const name of [mechanism.name, ...mechanism.aliases]) add(anyCase, name, tag);
    // Abbreviations only in capitals: "DSD", not "dsd" inside a word list.
    if (mechanism.shortName) add(exactCase, mechanism.shortName, tag);
  }
  for (const topic of catalog.topics.values()) {
    const tag: Tag = { type: 'topic', id: topic.id };
    for (const word of [topic.label, ...topic.aliases, ...topic.keywords]) {
      if (/^[A-Z]{2,5}$/.test(word)) add(exactCase, word, tag);
      else add(anyCase, word, tag);
    }
  }
  matchers.push(...literalMatchers(anyCase, 'giu'), ...literalMatchers(exactCase, 'gu'));
  matchersByCatalog.set(catalog, matchers);
  return matchers;
}

/** Regular expressions (one for Chinese phrases, one for Latin) for many literal phrases, longest first. */
function literalMatchers(phrases: Map<string, Tag[]>, flags: string): Matcher[] {
  const han = [...phrases.keys()].filter((p) => HAN.test(p));
  const latin = [...phrases.keys()].filter((p) => !HAN.test(p));
  return [literalMatcher(han, phrases, flags), literalMatcher(latin, phrases, flags)];
}

function literalMatcher(keys: readonly string[], phrases: Map<string, Tag[]>, flags: string): Matcher {
  const sorted = [...keys].sort((a, b) => b.length - a.length);
  const source = sorted.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')).join('|');
  const ignoreCase = flags.includes('i');
  return {
    pattern: wholeWords(source === '' ? '(?!)' : source, flags),
    tags: (matched) =>
      phrases.get(ignoreCase ? matched.toLowerCase().replace(/\s+/g, ' ') : matched.replace(/\s+/g, ' ')),
  };
}

/**
 * A pattern whose Latin phrases match whole words only; Chinese, written without spaces, matches anywhere.
 * A pattern is of one script or the other (literalMatcher splits them), so no alternative pays for both.
 */
function wholeWords(source: string, flags: string): RegExp {
  return HAN.test(source) ? new RegExp(source, flags) : new RegExp(`${WORD_BEFORE}(?:${source})${WORD_AFTER}`, flags);
}

const HAN = /\p{Script=Han}/u;

/** The family name of an English name ("Austin" of "Lloyd Austin"); none for Chinese names. */
function surnameOf(person: Person): string | undefined {
  // "Charles Q. Brown Jr.": the family name is before the suffix.
  const parts = person.name.replace(/,?\s+(?:Jr\.?|Sr\.?|II|III|IV)$/, '').split(' ');
  const last = parts.at(-1);
  if (parts.length < 2 || last === undefined || !/^[A-Z][a-z]{3,}$/.test(last)) return undefined;
  // Chinese names are written family name first: their last word is a given name.
  return person.side === 'US' ? last : undefined;
}

function surnameCounts(catalog: Catalog): Map<string, number> {
  const counts = new Map<string, number>();
  for (const person of catalog.people.values()) {
    const surname = surnameOf(person);
    if (surname) counts.set(surname, (counts.get(surname) ?? 0) + 1);
  }
  return counts;
}

/** Whether the person held any position on `day` (true when no position is dated or the day is unknown). */
export function activeOn(person: Person, day: string | undefined): boolean {
  if (day === undefined || person.positions.length === 0) return true;
  return person.positions.some(
    (p) => (!p.start || dayRange(p.start).start <= day) && (!p.end || day <= dayRange(p.end).end),
  );
}
