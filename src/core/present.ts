// Shared wording for replies: labels, dates and "days ago", participants, channel states, sources.
import type { Catalog, CatalogEvent } from './catalog.js';
import { type Day, dayRange, formatDate, formatSpan, spanWords } from './dates.js';
import type { Filter } from './filter.js';
import { participantName, titleOn } from './people.js';
import type { MechanismState } from './queries/channels.js';
import type { DaySpan } from './queries/lastContact.js';
import type { Field, Reply, SourceRef } from './reply.js';
import type { Format, Kind, Level, Mechanism, Source, Status } from './schema.js';
import { sourceClass } from './sourceQuality.js';
import { formatCount, plural } from './text.js';

/** "chief-of-defense" -> "chief of defense". */
export function label(value: Level | Kind | Format | Status): string {
  return value === 'in-person' ? 'in person' : value.replace(/-/g, ' ');
}

/** "minister-level", "working-level", "leader-level": the adjective before a noun. */
export function levelPhrase(level: Level): string {
  if (level === 'leaders') return 'leader-level';
  return level.endsWith('-level') ? level : `${level}-level`;
}

const LEVEL_HEADINGS: Record<Level, string> = {
  leaders: 'Leaders',
  minister: 'Minister level',
  'chief-of-defense': 'Chief-of-defense level',
  'theater-commander': 'Theater-commander level',
  'senior-official': 'Senior-official level',
  'working-level': 'Working level',
};

/** "Leaders", "Minister level", "Working level": a level as a heading. */
export function levelHeading(level: Level): string {
  return LEVEL_HEADINGS[level];
}

const KIND_PLURALS: Partial<Record<Kind, string>> = {
  talks: 'talks',
  'request-refused': 'requests refused',
  personnel: 'personnel changes',
  other: 'other',
};

/** "1 call", "3 meetings", "2 talks", "2 requests refused", "1 personnel change". */
export function countKind(n: number, kind: Kind): string {
  const one = kind === 'personnel' ? 'personnel change' : label(kind);
  return n === 1 ? `1 ${one}` : `${n} ${KIND_PLURALS[kind] ?? `${one}s`}`;
}

/** "Taiwan", "MMCA", "Dong Jun": the names of a filter's parts, for titles. */
export function describeFilter(filter: Filter): string[] {
  const parts: string[] = [];
  const or = (words: string[]) => words.join(' or ');
  if (filter.levels) parts.push(or(filter.levels.map((l) => levelPhrase(l).replace(/-/g, ' '))));
  if (filter.kinds) parts.push(or(filter.kinds.map((k) => label(k))));
  if (filter.personQuery) parts.push(filter.personQuery);
  if (filter.mechanisms) parts.push(or(filter.mechanisms.map((m) => m.shortName ?? m.name)));
  if (filter.topics) parts.push(or(filter.topics.map((t) => t.label)));
  if (filter.format) parts.push(label(filter.format));
  if (filter.side) parts.push(`${filter.side} readout`);
  return parts;
}

/** From this many days on, a gap is said in years and months, with the exact count after it. */
export const DAYS_IN_WORDS = 60;

/** A number of days in whole years and months: "3 years, 9 months", "2 months" (by average lengths). */
export function durationWords(days: number): string {
  const years = Math.floor(days / 365.2425);
  const months = Math.floor((days - years * 365.2425) / 30.436875);
  const parts = [
    ...(years > 0 ? [`${years} year${years === 1 ? '' : 's'}`] : []),
    ...(months > 0 ? [`${months} month${months === 1 ? '' : 's'}`] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : plural(days, 'day');
}

/**
 * "today", "1 day ago", "between 3 and 33 days ago", "3 years, 9 months ago (1,370 days)"; with `before`,
 * "… before 1 February 2024". A gap of DAYS_IN_WORDS or more is said in years and months.
 */
export function agoText(span: DaySpan, before?: string): string {
  const tail = before ? ` before ${formatDate(before)}` : ' ago';
  if (span.max === 0) return before ? `the day before ${formatDate(before)}` : 'today';
  if (span.max < DAYS_IN_WORDS) {
    if (span.min === span.max) return `${plural(span.min, 'day')}${tail}`;
    return `between ${span.min} and ${span.max} days${tail}`;
  }
  const exact =
    span.min === span.max ? `${formatCount(span.min)} days` : `${formatCount(span.min)}–${formatCount(span.max)} days`;
  return `${span.min === span.max ? '' : 'about '}${durationWords(span.min)}${tail} (${exact})`;
}

/** "16 April 2024", "14–16 December 2021", "November 2023 (day not reported)", with Beijing's date if it differs. */
export function whenText(event: CatalogEvent): string {
  const span = formatSpan(event.date, event.endDate);
  const precision = event.precision === 'month' ? ' (day not reported)' : '';
  const beijing = event.dateBeijing ? ` (${formatDate(event.dateBeijing)} in Beijing)` : '';
  return `${span}${precision}${beijing}`;
}

/** "video call, by video" -> how the contact happened: kind, format and status when not held. */
export function howText(event: CatalogEvent): string {
  const parts = [label(event.kind)];
  if (
    event.format &&
    !(event.kind === 'video-call' && event.format === 'video') &&
    !(event.kind === 'call' && event.format === 'phone')
  ) {
    parts.push(label(event.format));
  }
  if (!statusImplied(event)) parts.push(label(event.status));
  return parts.join(', ');
}

/** "Lloyd Austin (Secretary of Defense, US); Dong Jun (Minister of National Defense, PRC)". */
export function participantsText(catalog: Catalog, event: CatalogEvent): string {
  if (event.participants.length === 0) return 'not named in the sources';
  return event.participants
    .map((p) => {
      const title = titleOn(catalog, p, event.start);
      return `${participantName(catalog, p)} (${title ? `${title}, ` : ''}${p.side})`;
    })
    .join('; ');
}

/** Whether the kind already says the status ("request refused" is refused; held needs no word). */
function statusImplied(event: CatalogEvent): boolean {
  return (
    event.status === 'held' ||
    (event.status === 'refused' && event.kind === 'request-refused') ||
    (event.status === 'cancelled' && event.kind === 'cancellation')
  );
}

/** Who, how, where, level (and status, when asked for) and topics of an event, as reply fields. */
export function eventFields(catalog: Catalog, event: CatalogEvent, withStatus = false): Field[] {
  return [
    { label: 'Who', value: participantsText(catalog, event) },
    { label: 'How', value: howText(event) },
    { label: 'Where', value: event.location ?? 'not reported' },
    { label: 'Level', value: label(event.level) },
    ...(withStatus ? [{ label: 'Status', value: label(event.status) }] : []),
    ...(event.topics.length > 0
      ? [{ label: 'Topics', value: event.topics.map((t) => catalog.topics.get(t)?.label ?? t).join(', ') }]
      : []),
  ];
}

/** A short headline for lists: "Video call: Lloyd Austin – Dong Jun". */
export function headline(catalog: Catalog, event: CatalogEvent): string {
  const kind = label(event.kind);
  const named = event.participants.filter((p) => p.person !== undefined);
  const mechanisms = event.mechanisms.map(
    (m) => catalog.mechanisms.get(m)?.shortName ?? catalog.mechanisms.get(m)?.name ?? m,
  );
  // One side's people together, then the other's: "Lloyd Austin – Wei Fenghe", "Austin, Milley" (both US).
  const sides = (['US', 'PRC'] as const)
    .map((side) => named.filter((p) => p.side === side).map((p) => participantName(catalog, p)))
    .filter((names) => names.length > 0)
    .map((names) => (names.length > 2 ? `${names.slice(0, 2).join(', ')} …` : names.join(', ')));
  const who = sides.length > 0 ? sides.join(' – ') : mechanisms.join(', ');
  const status = statusImplied(event) ? '' : ` (${label(event.status)})`;
  const head = `${kind[0]?.toUpperCase()}${kind.slice(1)}${status}`;
  return who ? `${head}: ${who}` : head;
}

/** "16 April 2024 · Video call: Lloyd Austin – Dong Jun · minister · 2024-04-16-austin-dong-video-call". */
export function eventLine(catalog: Catalog, event: CatalogEvent): string {
  return `${formatSpan(event.date, event.endDate)} · ${headline(catalog, event)} · ${label(event.level)} · ${event.id}`;
}

/** "open since 8 January 2024 (resumed)", "agreed on 15 November 2023; no contact since". */
export function stateText(state: MechanismState): string {
  const { change, since, lastEvent } = state;
  if (!change || !since) return 'no status on record';
  const on = formatDate(since.date);
  const flag = change.uncertain || since.uncertain ? ' (uncertain)' : '';
  switch (state.state) {
    case 'open':
      return `open since ${on} (${since.status}${flag ? ', uncertain' : ''})`;
    case 'agreed':
      // Whether a contact came after the agreement; "none since" also holds when none is on record.
      return lastEvent && lastEvent.end >= dayRange(since.date).start
        ? `agreed on ${on}${flag}`
        : `agreed on ${on}; no contact since${flag}`;
    case 'dormant':
      return state.silentSince
        ? `dormant: ${state.silentAfter === 'change' ? `no session on record since it was ${since.status} on` : 'no session since'} ${formatDate(state.silentSince)} (${spanWords(state.silentSince, state.measuredTo)}${
            state.measuredTo < state.asOf
              ? ` to ${formatDate(state.measuredTo)}, the day the record was reviewed to`
              : ''
          }), longer than its usual cadence`
        : `dormant since ${on} (unanswered or unused)${flag}`;
    default:
      return `${state.state} since ${on}${flag}`;
  }
}

/** "MMCA: open since 6 November 2024 (resumed); last contact 2 April 2025". */
export function channelLine(state: MechanismState): string {
  const name = mechanismName(state.mechanism);
  const last = state.lastEvent ? `; last contact ${formatSpan(state.lastEvent.date, state.lastEvent.endDate)}` : '';
  return `${name}: ${stateText(state)}${last}`;
}

/**
 * A mechanism named in full with its short form in brackets, as the house style wants on first use:
 * "Military Maritime Consultative Agreement (MMCA)"; a short form that is the name itself is not repeated.
 */
export function mechanismName(mechanism: Pick<Mechanism, 'name' | 'shortName'>): string {
  const short = mechanism.shortName;
  // Only an abbreviation (MMCA, D&SD, S&ED) goes in brackets; a short name in words adds nothing.
  return short && /^[A-Z0-9&/-]+$/.test(short) ? `${mechanism.name} (${short})` : mechanism.name;
}

/** The sources of events, deduplicated by URL, in order. */
export function sourcesOf(events: readonly CatalogEvent[]): SourceRef[] {
  const seen = new Set<string>();
  const refs: SourceRef[] = [];
  for (const event of events) {
    for (const s of event.sources) {
      if (seen.has(s.url)) continue;
      seen.add(s.url);
      refs.push({
        title: s.title,
        publisher: s.publisher,
        url: s.url,
        ...(s.date ? { date: s.date } : {}),
        ...(s.readout ? { readout: s.readout } : {}),
      });
    }
  }
  return refs;
}

/** "U.S. Department of Defense, 16 April 2024, US official readout": what a source is, after its title. */
export function sourceMeta(source: SourceRef): string {
  return [
    source.publisher,
    source.date ? formatDate(source.date) : undefined,
    source.readout ? `${source.readout} official readout` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/** At most this many sources in a chat answer; the rest are one command away (`/event <id>`). */
export const CHAT_SOURCES = 3;

/** Best first: official readouts, then other official pages, then wires and papers of record, then copies. */
function standing(source: Source): number {
  if (source.readout) return 0;
  const cls = sourceClass(source);
  return cls === 'official' ? 1 : cls === 'major' ? 2 : 3;
}

/** An event's sources best first, with one readout of each side before a second of either. */
export function rankedSources(event: CatalogEvent): Source[] {
  const ranked = [...event.sources].sort((a, b) => standing(a) - standing(b));
  const firstOfSide = (side: 'US' | 'PRC') => ranked.find((s) => s.readout === side);
  const lead = [firstOfSide('US'), firstOfSide('PRC')].filter((s): s is Source => s !== undefined);
  return [...lead, ...ranked.filter((s) => !lead.includes(s))];
}

/**
 * The page of an event in the web view, `<base>/events/<id>`, under the configured public base URL (PUBLIC_URL);
 * undefined without one, so no answer ever guesses where Hotline is served.
 */
export function eventUrl(publicUrl: string | undefined, id: string): string | undefined {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}/events/${encodeURIComponent(id)}` : undefined;
}

/**
 * Where an event's full record is: "/event <id>", and its page where a public URL is configured. Without an id,
 * the pattern: "/event <id> or https://…/events/<id>".
 */
export function fullRecordPointer(id: string | undefined, publicUrl?: string): string {
  const url = id === undefined ? eventUrl(publicUrl, 'ID')?.replace(/ID$/, '<id>') : eventUrl(publicUrl, id);
  return `/event ${id ?? '<id>'}${url ? ` or ${url}` : ''}`;
}

/** What a chat answer about one event cites: its best CHAT_SOURCES sources, and where the rest are. */
export function citeEvent(event: CatalogEvent, publicUrl?: string): Pick<Reply, 'sources' | 'moreSources'> {
  return capSources(sourcesOf([{ ...event, sources: rankedSources(event) }]), fullRecordPointer(event.id, publicUrl));
}

/**
 * What a chat answer listing several events cites: the best source of each of the first CHAT_SOURCES
 * events, and where every other source is (each event's full record).
 */
export function citeEvents(
  events: readonly CatalogEvent[],
  publicUrl?: string,
): Pick<Reply, 'sources' | 'moreSources'> {
  const shown = events.slice(0, CHAT_SOURCES).flatMap((event) =>
    rankedSources(event)
      .slice(0, 1)
      .map((s) => ({ event, s })),
  );
  const sources = sourcesOf(shown.map(({ event, s }) => ({ ...event, sources: [s] })));
  const all = sourcesOf(events).length;
  const more = all - sources.length;
  return {
    sources,
    ...(more > 0
      ? {
          moreSources: `${plural(more, 'more source')}: each event's are in its full record, ${fullRecordPointer(undefined, publicUrl)}`,
        }
      : {}),
  };
}

/** The first CHAT_SOURCES of `sources`, and `pointer` for the rest ("4 more sources: <pointer>"). */
export function capSources(sources: readonly SourceRef[], pointer: string): Pick<Reply, 'sources' | 'moreSources'> {
  const more = sources.length - CHAT_SOURCES;
  return {
    sources: sources.slice(0, CHAT_SOURCES),
    ...(more > 0 ? { moreSources: `${plural(more, 'more source')}: ${pointer}` } : {}),
  };
}

/** "Uncertain: date (month inferred from context)". */
export function uncertaintyText(event: CatalogEvent): string | undefined {
  const entries = Object.entries(event.uncertain ?? {});
  if (entries.length === 0) return undefined;
  return `Uncertain: ${entries.map(([field, why]) => `${fieldWords(field)} (${why})`).join('; ')}`;
}

/** An event's field names as a reader says them, where they differ (no internal names in prose). */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  endDate: 'end date',
  dateBeijing: 'Beijing date',
  format: 'how they met',
  location: 'place',
  mechanisms: 'channel',
  participants: 'who took part',
  emphasis: "each side's emphasis",
  uncertain: 'uncertainty',
};

/** An event's field name in words: "endDate" → "end date". */
export function fieldWords(field: string): string {
  return FIELD_WORDS[field] ?? field;
}

/** The footer line of every data answer: the day answered for, and the day the record was reviewed to. */
export function asOfFooter(catalog: Catalog, day: string, extra?: string): string {
  return [`As of ${formatDate(day)}`, `Record reviewed to ${formatDate(catalog.coverage.reviewedTo)}`, extra]
    .filter(Boolean)
    .join(' · ');
}

/**
 * What a reader must know about a window [from, to] the record may not fully cover: past the day it was
 * reviewed to, or before the period it claims complete. Undefined when the record covers the window.
 */
export function coverageNote(catalog: Catalog, from: Day | undefined, to: Day): string | undefined {
  const { complete, reviewedTo } = catalog.coverage;
  const notes: string[] = [];
  if (from !== undefined && from < complete.from) {
    notes.push(
      `The record is complete from ${formatDate(complete.from)}; before that it holds the channels' milestones, and contacts may be missing.`,
    );
  }
  if (to > reviewedTo) {
    notes.push(`The record is reviewed to ${formatDate(reviewedTo)}: contacts after that may not be recorded yet.`);
  }
  return notes.length > 0 ? notes.join(' ') : undefined;
}

/** The line a renderer adds when a platform's limits left `count` entries out. */
export function morePointer(count: number): string {
  return `…and ${formatCount(count)} more (ask /timeline or /event for the rest)`;
}
