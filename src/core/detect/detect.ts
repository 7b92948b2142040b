// Candidate detection (issue 15): whether a feed item reads as a US–China military contact, and the draft
// event it proposes. Pure: the item and the catalog in, a verdict out; the publication day is the only "now".
//
// The rule. An item is a contact when (1) one side's defense establishment (DoD and the services; MND, the
// CMC and the PLA) and the other side (its military, or a named official or office: a Secretary of State,
// a House delegation, a counterpart) take part, or both militaries are named together ("中美两军", "China-
// U.S. defense chiefs"), or a US–China mechanism of mechanisms.yaml is named, or both leaders are and the
// headline is about military contacts; and (2) a contact word (met, talks, call, 会见, 通话 …) stands in a
// sentence that does not say the contact failed or is only hoped for (declined, rejected, expected to, 拒绝).
// Near misses fall out of (1): diplomats and envoys (Blinken–Wang Yi) have no defense side; a defense
// secretary's call with a third country has no PRC side (a Chinese text is no clue to a Chinese party, and a
// bare 国防部长 is not China's beside a US minister or in a Taiwanese text); drills and transits have no
// contact word with two sides; commentary on "US-China military communication" names no party.
import type { Catalog } from '../catalog.js';
import type { Day } from '../dates.js';
import { isReservedExample, sourceClass } from '../sourceQuality.js';
import type { Format, Kind, Level, Side } from '../vocabulary.js';
import { contactDate } from './contactDate.js';
import { findHits, type Hit } from './evidence.js';
import type { CueKind } from './lexicon.js';
import { type Found, highest, participantsOf, takingPart } from './participants.js';
import { prepare } from './text.js';
import type { Detection, Draft, DraftField, DraftSource, FeedItem } from './types.js';

const SIDES: readonly Side[] = ['US', 'PRC'];

/** Reads one item: the verdict, the draft when it is a contact, and why. */
export function detectContact(item: FeedItem, catalog: Catalog): Detection {
  const text = prepare(item);
  const hits = withoutOthersMinistry(findHits(text.sentences, catalog));
  const sentencesWith = (type: Hit['tag']['type']) =>
    new Set(hits.filter((h) => h.tag.type === type).map((h) => h.sentence));
  const negated = sentencesWith('negation');
  const held = hits.filter((h) => h.tag.type === 'contact' && !negated.has(h.sentence));
  const date = contactDate(
    text.sentences,
    item.published,
    new Set(held.map((h) => h.sentence)),
    sentencesWith('future'),
  );
  const day = date?.day ?? item.published;
  const people = participantsOf(hits, catalog, day);
  const mechanisms = unique(
    hits.flatMap((h) => (h.tag.type === 'mechanism' && !negated.has(h.sentence) ? [h.tag.id] : [])),
  );
  const sides = sidesOf(hits, people, mechanisms.length > 0);
  const reasons = describeSides(sides, people, hits);

  // A leaders' meeting counts when military contacts are what the headline is about ("US-China agree to resume
  // military communications"), not when the body mentions them in passing.
  const militaryTopic = hits.some((h) => h.tag.type === 'military-topic' && h.sentence === 0 && !negated.has(0));
  const twoSides =
    (sides.US.military && sides.PRC.present) ||
    (sides.PRC.military && sides.US.present) ||
    (sides.US.leader && sides.PRC.leader && militaryTopic);
  const refused = hits.filter((h) => h.tag.type === 'negation');
  if (held.length === 0) {
    reasons.push(
      refused.length > 0
        ? `not held: ${quoteList(refused)}`
        : `no contact word${hits.some((h) => h.tag.type === 'contact') ? ' outside a refusal' : ''}`,
    );
    return { verdict: 'not-contact', reasons };
  }
  reasons.push(`contact: ${quoteList(held)}`);
  if (!twoSides) {
    reasons.push(
      sides.US.leader && sides.PRC.leader
        ? 'leaders only, not about military contacts'
        : 'not a US–China military pair',
    );
    return { verdict: 'not-contact', reasons };
  }
  return { verdict: 'contact', draft: draftOf(item, catalog, { hits, held, people, mechanisms, date }), reasons };
}

/**
 * Without a bare "国防部(长)" that is not China's: when the writer is Taiwanese ("中国大陆", "陆方", "国军"),
 * Taiwan's press calling China's ministry "大陆国防部" and its own "国防部"; when a US person's name follows it
 * ("国防部长劳埃德·J·奥斯丁三世", a translated DoD release), the title is that person's; and a bare "国防部长"
 * with no Chinese name after it in a text about a US defense secretary ("美国国防部长卡特…就任国防部长以来")
 * is his, not China's. Chinese writes a title before the name ("国防部长董军"), so a name after it decides.
 */
function withoutOthersMinistry(hits: Hit[]): Hit[] {
  const taiwanese = hits.some((h) => h.tag.type === 'taiwan-voice');
  const usMinister = hits.some(
    (h) => h.tag.type === 'role' && h.tag.side === 'US' && h.tag.office !== undefined && !h.tag.unqualified,
  );
  const nameAfter = (h: Hit, side: Side) =>
    hits.some(
      (p) =>
        p.tag.type === 'person' &&
        p.tag.side === side &&
        p.sentence === h.sentence &&
        p.start >= h.end &&
        p.start - h.end <= 10,
    );
  return hits.filter((h) => {
    if (h.tag.type !== 'role' || !h.tag.unqualified) return true;
    if (taiwanese || nameAfter(h, 'US')) return false;
    return h.tag.office === undefined || nameAfter(h, 'PRC') || !usMinister;
  });
}

interface SideEvidence {
  /** Its defense establishment takes part. */
  military: boolean;
  /** Someone of this side takes part (military, official, office or counterpart). */
  present: boolean;
  leader: boolean;
}

function sidesOf(hits: readonly Hit[], people: readonly Found[], mechanism: boolean): Record<Side, SideEvidence> {
  const pair = mechanism || hits.some((h) => h.tag.type === 'pair');
  // "China says meeting with U.S. Defense Secretary …": the country stands for the other party, unless a
  // third country is named (then the contact may well be with it).
  const thirdCountry = hits.some((h) => h.tag.type === 'third-country');
  const of = (side: Side): SideEvidence => {
    const mine = people.filter((p) => p.side === side);
    const roles = hits.flatMap((h) => (h.tag.type === 'role' && h.tag.side === side ? [h.tag] : []));
    // Chinese is no clue to the side: a Chinese report of a US trip ("美國防長埃斯珀下星期訪問印太地區") has no
    // Chinese party, and PRC reports name theirs ("国防部长梁光烈会见…").
    const counterpart = hits.some(
      (h) => (h.tag.type === 'counterpart' || (h.tag.type === 'country' && !thirdCountry)) && h.tag.side === side,
    );
    const military = pair || mine.some((p) => p.military) || roles.some((r) => r.military);
    return {
      military,
      present: military || counterpart || mine.length > 0 || roles.length > 0,
      leader: mine.some((p) => p.leader) || roles.some((r) => r.leader === true),
    };
  };
  return { US: of('US'), PRC: of('PRC') };
}

function describeSides(sides: Record<Side, SideEvidence>, people: readonly Found[], hits: readonly Hit[]): string[] {
  return SIDES.map((side) => {
    const named = people
      .filter((p) => p.side === side)
      .map((p) => `${p.person}${p.military ? '' : p.leader ? ' (leader)' : ' (official)'}`);
    const roles = hits.filter((h) => (h.tag.type === 'role' || h.tag.type === 'counterpart') && h.tag.side === side);
    const what = [...named, ...roles.map((h) => `"${h.text}"`)];
    const state = sides[side].military ? 'military' : sides[side].present ? 'present, not military' : 'none found';
    return `${side}: ${state}${what.length > 0 ? ` (${unique(what).join(', ')})` : ''}`;
  });
}

interface Evidence {
  hits: readonly Hit[];
  held: readonly Hit[];
  people: readonly Found[];
  mechanisms: readonly string[];
  date: ReturnType<typeof contactDate>;
}

function draftOf(item: FeedItem, catalog: Catalog, evidence: Evidence): Draft {
  const { hits, held, date } = evidence;
  const people = takingPart(evidence.people);
  const kind = kindOf(held, evidence.mechanisms.length > 0);
  const level = levelOf(people);
  const mechanisms = [...evidence.mechanisms];
  let mechanismConfidence = mechanisms.length > 0 ? 0.9 : 0;
  // A contact at a level that has its own channel (defense ministers' calls) is a session of that channel.
  if (
    mechanisms.length === 0 &&
    level.value &&
    (kind.value === 'call' || kind.value === 'video-call' || kind.value === 'meeting')
  ) {
    const channels = [...catalog.mechanisms.values()].filter(
      (m) => m.levels.length === 1 && m.levels[0] === level.value,
    );
    if (
      channels.length === 1 &&
      channels[0] &&
      SIDES.every((s) => people.some((p) => p.side === s && p.level === level.value))
    ) {
      mechanisms.push(channels[0].id);
      mechanismConfidence = 0.5;
    }
  }
  const topics = unique(hits.flatMap((h) => (h.tag.type === 'topic' ? [h.tag.id] : [])));
  const source = sourceOf(item);
  const bySide = SIDES.map((s) => people.filter((p) => p.side === s));
  const named = bySide.every((list) => list.some((p) => p.via === 'name'));
  const confidence: Record<DraftField, number> = {
    date: date?.confidence ?? 0,
    kind: kind.confidence,
    format: kind.format ? kind.confidence - 0.1 : 0,
    level: level.confidence,
    participants: bySide.every((list) => list.length > 0) ? (named ? 0.9 : 0.7) : people.length > 0 ? 0.5 : 0,
    mechanisms: mechanismConfidence,
    topics: topics.length > 0 ? 0.5 : 0,
    readout: source.readout ? (hits.some((h) => h.tag.type === 'readout') ? 0.9 : 0.6) : 0,
  };
  return {
    ...(date ? { date: date.day } : {}),
    ...(kind.value ? { kind: kind.value } : {}),
    ...(kind.format ? { format: kind.format } : {}),
    ...(level.value ? { level: level.value } : {}),
    participants: people.map((p) => ({ person: p.person, ...(p.title ? { title: p.title } : {}), side: p.side })),
    mechanisms,
    topics,
    sources: [source],
    confidence: roundAll(confidence),
  };
}

/** The kind most words point to: video over phone over meeting over talks over visit; a named channel's session is talks. */
function kindOf(held: readonly Hit[], mechanism: boolean): { value?: Kind; format?: Format; confidence: number } {
  const kinds = held.map((h) => (h.tag.type === 'contact' ? h.tag.kind : undefined));
  const has = (k: CueKind) => kinds.includes(k);
  const inTitle = (k: CueKind) => held.some((h) => h.sentence === 0 && h.tag.type === 'contact' && h.tag.kind === k);
  const video = has('video-call');
  let value: Kind | undefined;
  if (video) value = 'video-call';
  else if (has('call')) value = 'call';
  else if (mechanism && (has('talks') || has('meeting'))) value = 'talks';
  else if (has('meeting')) value = 'meeting';
  else if (has('talks')) value = 'talks';
  else if (has('visit')) value = 'visit';
  else if (has('agreement')) value = 'agreement';
  if (value === undefined) return { value: 'call', confidence: 0.3 }; // "spoke with", "told his counterpart"
  const format: Format = value === 'video-call' ? 'video' : value === 'call' ? 'phone' : 'in-person';
  const cue = value === 'video-call' ? 'video-call' : (value as CueKind);
  return { value, format, confidence: inTitle(cue) ? 0.9 : 0.7 };
}

/** The level both sides reached: the lower of each side's highest; one side's alone with less confidence. */
function levelOf(people: readonly Found[]): { value?: Level; confidence: number } {
  const perSide = SIDES.map((s) => highest(people.flatMap((p) => (p.side === s && p.level ? [p.level] : []))));
  const known = perSide.filter((l): l is Level => l !== undefined);
  if (known.length === 0) return { confidence: 0 };
  if (known.length === 1) return { value: known[0] as Level, confidence: 0.4 };
  const [a, b] = known as [Level, Level];
  const lower = highest([a, b]) === a ? b : a;
  return { value: lower, confidence: a === b ? 0.9 : 0.7 };
}

/**
 * The item as a source; marked as a side's readout when its feed is that government's and the page is on a
 * government's own site (as the record's check requires of a readout mark: a mirror or a copy is not one).
 */
function sourceOf(item: FeedItem): DraftSource {
  const ownSite = sourceClass(item) === 'official' || isReservedExample(item.url);
  const official = ownSite && (item.side === 'US' || item.side === 'PRC') ? item.side : undefined;
  return {
    title: item.title.slice(0, 300),
    publisher: item.publisher ?? hostOf(item.url),
    ...(item.published ? { date: item.published as Day } : {}),
    url: item.url,
    ...(official ? { readout: official } : {}),
    ...(item.language ? { language: item.language } : {}),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'unknown publisher';
  }
}

function quoteList(hits: readonly Hit[]): string {
  return unique(hits.map((h) => `"${h.text}"`))
    .slice(0, 5)
    .join(', ');
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function roundAll(confidence: Record<DraftField, number>): Record<DraftField, number> {
  return Object.fromEntries(
    Object.entries(confidence).map(([k, v]) => [k, Math.round(Math.max(0, Math.min(1, v)) * 100) / 100]),
  ) as Record<DraftField, number>;
}
