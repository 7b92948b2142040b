// The one schema of Hotline's data: events, people, mechanisms and topics (used by load, check and ingest).
import { z } from 'zod';
import { INVISIBLE } from './text.js';
import {
  DAY,
  EVENT_DATE,
  FORMATS,
  isRealDate,
  KINDS,
  LEVELS,
  LOOSE_DATE,
  MECHANISM_STATUSES,
  SIDES,
  STATUSES,
  TRACKS,
  UNCERTAIN_FIELDS,
} from './vocabulary.js';

export type { Format, Kind, Level, MechanismStatus, Side, Status, Track } from './vocabulary.js';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase words joined by hyphens, e.g. "dong-jun"');

/** A calendar date with day or month precision: "2024-04-16" or "2023-11". */
export const EventDate = z
  .string()
  .regex(EVENT_DATE, 'must be YYYY-MM-DD or YYYY-MM')
  .refine(isRealDate, 'is not a real calendar date');

/** A day: "2024-04-16". */
export const Day = z.string().regex(DAY, 'must be YYYY-MM-DD').refine(isRealDate, 'is not a real calendar date');

/** A date with year, month or day precision, for positions and mechanism history. */
export const LooseDate = z
  .string()
  .regex(LOOSE_DATE, 'must be YYYY, YYYY-MM or YYYY-MM-DD')
  .refine(isRealDate, 'is not a real calendar date');

/** Control characters (but tab and newline) and invisible marks: never part of a record's text. */
const HIDDEN = new RegExp(INVISIBLE.source, 'u');

const text = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((value) => !HIDDEN.test(value), {
    error: (issue) => {
      const found = String(issue.input).match(HIDDEN)?.[0] ?? '';
      const code = `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
      return `contains an invisible or control character (${code}); delete it`;
    },
  });

/** A value read from a data file as a message shows it; never throws, whatever the value (`{toString: null}`). */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** An enum whose error names the allowed values in plain words, or says the field is missing. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    // A custom error takes precedence over the generic "is required": say it here too.
    error: (issue) =>
      issue.input === undefined ? 'is required' : `"${shown(issue.input)}" is not one of ${values.join(', ')}`,
  });
}

/**
 * An http(s) URL with no spaces whose host does not end with a dot ("en.people.cn./…" opens on some
 * sites and not on others, and hides which site it is from the source rules).
 */
const PageUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/$.?#][^\s]*$/, 'must be an http(s) URL with no spaces')
  .refine((url) => !hostEndsWithDot(url), {
    message: 'has a dot at the end of its host name ("example.org./…", or a full-width 。．｡); remove it',
  });

/** Whether the host, as a browser reads it (full-width dots and backslashes folded), ends with a dot. */
function hostEndsWithDot(url: string): boolean {
  try {
    return new URL(url).hostname.endsWith('.');
  } catch {
    return false; // not a URL at all: the regex above says so
  }
}

/** An ISO 639-1 language code: "en", "zh". */
const LanguageCode = z.string().regex(/^[a-z]{2}$/, 'must be a two-letter language code, e.g. "zh"');

/** A page a person can open. Official readouts say whose. */
export const SourceSchema = z.strictObject({
  title: text,
  publisher: text,
  date: EventDate.optional(),
  url: PageUrl,
  readout: oneOf(SIDES).optional(),
  language: LanguageCode.optional(),
});
export type Source = z.infer<typeof SourceSchema>;

/** Someone who took part: a known person (by id) or a named party, with the side they were on. */
export const ParticipantSchema = z
  .strictObject({
    person: slug.optional(),
    name: text.optional(),
    title: text.optional(),
    side: oneOf(SIDES),
  })
  .refine((p) => (p.person === undefined) !== (p.name === undefined), {
    message: 'needs exactly one of "person" (an id from people.yaml) or "name"',
  });
export type Participant = z.infer<typeof ParticipantSchema>;

/** One contact event (or a refusal, cancellation, suspension …), as curated in data/events/YYYY.yaml. */
export const EventSchema = z.strictObject({
  id: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*$/, 'must be YYYY-MM-DD-short-slug (day 00 for month precision)'),
  date: EventDate,
  endDate: EventDate.optional(),
  dateBeijing: Day.optional(),
  kind: oneOf(KINDS),
  status: oneOf(STATUSES),
  format: oneOf(FORMATS).optional(),
  location: text.optional(),
  level: oneOf(LEVELS),
  track: oneOf(TRACKS).optional(),
  mechanisms: z.array(slug).default([]),
  participants: z.array(ParticipantSchema).default([]),
  topics: z.array(slug).default([]),
  summary: text.max(800, 'must be at most 800 characters'),
  emphasis: z.strictObject({ US: text.optional(), PRC: text.optional() }).optional(),
  sources: z.array(SourceSchema).min(1, 'needs at least one source'),
  uncertain: z.partialRecord(oneOf(UNCERTAIN_FIELDS), text).optional(),
  notes: text.optional(),
  recordedAt: Day,
});
export type EventInput = z.input<typeof EventSchema>;
export type EventRecord = z.infer<typeof EventSchema>;

/** A position held over a (possibly partly known) span of time. */
export const PositionSchema = z.strictObject({
  title: text,
  aliases: z.array(text).default([]),
  start: LooseDate.optional(),
  end: LooseDate.optional(),
  source: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
    .optional(),
});
export type Position = z.infer<typeof PositionSchema>;

/** A person who appears in events, with every name people use for them. */
export const PersonSchema = z.strictObject({
  id: slug,
  name: text,
  chineseName: text.optional(),
  aliases: z.array(text).default([]),
  side: oneOf(SIDES),
  positions: z.array(PositionSchema).default([]),
  notes: text.optional(),
});
export type Person = z.infer<typeof PersonSchema>;

/** One dated change in a mechanism's state, confirmed by an event or by sources. */
export const MechanismChangeSchema = z
  .strictObject({
    date: LooseDate,
    status: oneOf(MECHANISM_STATUSES),
    note: text,
    event: z.string().optional(),
    sources: z.array(SourceSchema).default([]),
    uncertain: text.optional(),
  })
  .refine((c) => c.event !== undefined || c.sources.length > 0, {
    message: 'needs an "event" id or at least one source',
  });
export type MechanismChange = z.infer<typeof MechanismChangeSchema>;

/** A named dialogue channel and its status history, oldest first. */
export const MechanismSchema = z.strictObject({
  id: slug,
  name: text,
  shortName: text.optional(),
  aliases: z.array(text).default([]),
  description: text,
  levels: z.array(oneOf(LEVELS)).default([]),
  /**
   * The usual time between sessions, in months, where sources describe one (annual: 12). A channel silent
   * for more than one and a half times this is shown as dormant since its last session.
   */
  cadenceMonths: z.number().int().min(1).max(120).optional(),
  history: z.array(MechanismChangeSchema).min(1, 'needs at least one dated status'),
});
export type Mechanism = z.infer<typeof MechanismSchema>;

/** A subject that contacts are about, with the words that signal it. */
export const TopicSchema = z.strictObject({
  id: slug,
  label: text,
  aliases: z.array(text).default([]),
  keywords: z.array(text).default([]),
  description: text.optional(),
});
export type Topic = z.infer<typeof TopicSchema>;

/**
 * What the record claims (data/coverage.yaml): from when it is complete, at which levels, and the day it
 * was last reviewed against sources. Answers show the review day, and say so when a window goes past it
 * or before the complete period.
 */
export const CoverageSchema = z
  .strictObject({
    complete: z.strictObject({
      from: Day,
      levels: z.array(oneOf(LEVELS)).min(1, 'name at least one level'),
    }),
    reviewedTo: Day,
    note: text.optional(),
  })
  .refine((c) => c.complete.from <= c.reviewedTo, { message: 'complete.from must not be after reviewedTo' });
export type Coverage = z.infer<typeof CoverageSchema>;

export const EventFileSchema = z.array(EventSchema);
export const PeopleFileSchema = z.array(PersonSchema);
export const MechanismsFileSchema = z.array(MechanismSchema);
export const TopicsFileSchema = z.array(TopicSchema);

/** How a feed source is read: an RSS or Atom feed, or an HTML listing page whose links are the items. */
export const FEED_KINDS = ['rss', 'atom', 'html'] as const;
/** Whose official readouts a source carries: a government's, or `none` (news media, copies). */
export const FEED_SIDES = [...SIDES, 'none'] as const;
/** Minutes between polls of a source when its entry gives no `interval`. */
export const DEFAULT_FEED_INTERVAL = 15;

/** A CSS selector hint for reading an HTML listing. */
const Selector = text.max(200, 'must be at most 200 characters');

/** Where an HTML listing keeps its items: selectors for each item, its link (text = title) and its date. */
export const FeedListingSchema = z.strictObject({
  item: Selector.optional(),
  link: Selector,
  date: Selector.optional(),
});

/**
 * A source the feed watcher polls (data/feeds.yaml). `confirmed` says whether the exact URL was seen on the
 * publisher's own pages; an unconfirmed one is to be checked with one live request before it is trusted.
 */
export const FeedSchema = z
  .strictObject({
    name: text.max(120, 'must be at most 120 characters'),
    url: PageUrl,
    kind: oneOf(FEED_KINDS),
    side: oneOf(FEED_SIDES),
    language: LanguageCode,
    confirmed: z.boolean(),
    note: text.max(800, 'must be at most 800 characters').optional(),
    interval: z
      .number()
      .int('must be a whole number of minutes')
      .min(5, 'must be at least 5 minutes')
      .max(1440, 'must be at most 1440 minutes (a day)')
      .default(DEFAULT_FEED_INTERVAL),
    items: FeedListingSchema.optional(),
  })
  .refine((feed) => feed.items === undefined || feed.kind === 'html', {
    message: 'listing hints are for kind: html only; remove "items"',
    path: ['items'],
  });
export type Feed = z.infer<typeof FeedSchema>;
export const FeedsFileSchema = z.array(FeedSchema);
