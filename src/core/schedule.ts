// Digest schedules: what a channel asked for (how often, when, in which time zone, which digest), when each
// is next due, and the window a run covers. Pure: every instant is given, none is read from a clock.
import { Cron } from 'croner';
import { type Day, periodStart, shiftDays } from './dates.js';
import { UserError } from './errors.js';
import type { Pause, Place } from './subscription.js';
import { closest, joinOr } from './text.js';

/** How often a schedule runs. */
export type Every = 'daily' | 'weekly' | 'monthly';
export const EVERY: readonly Every[] = ['daily', 'weekly', 'monthly'];

/** Weekdays as cron numbers them (0 is Sunday), with the words people write. */
const WEEKDAYS: readonly (readonly [number, string, ...string[]])[] = [
  [1, 'monday', 'mon'],
  [2, 'tuesday', 'tue', 'tues'],
  [3, 'wednesday', 'wed'],
  [4, 'thursday', 'thu', 'thur', 'thurs'],
  [5, 'friday', 'fri'],
  [6, 'saturday', 'sat'],
  [0, 'sunday', 'sun'],
];

/** The last day of the month a monthly schedule may name: every month has it. */
export const LAST_MONTHLY_DAY = 28;

/** When a schedule runs: how often, on which day (weekday 0–6 or day of month), at what time, where. */
export interface Timing {
  every: Every;
  /** Weekly: the weekday (0 Sunday … 6 Saturday); monthly: the day of the month (1–28); daily: absent. */
  on?: number;
  /** HH:MM, 24-hour, in `tz`. */
  at: string;
  /** An IANA time zone ("Europe/Berlin") or "UTC". */
  tz: string;
}

/** The defaults: weekly, Monday 09:00 (the zone is the channel's, else UTC). */
export const DEFAULT_TIMING: Omit<Timing, 'tz'> = { every: 'weekly', on: 1, at: '09:00' };

/** One schedule, as stored. Values are JSON. */
export interface Schedule extends Timing {
  /** Its number in its channel, from 1; never reused. */
  id: number;
  platform: Place['platform'];
  channel: string;
  /** The digest's filters as /digest takes them, written as a command line's options: "taiwan level:minister". */
  filters: string;
  createdAt: string;
  createdBy?: string;
  paused?: Pause;
  /** The last run that was posted, and the last failure (health, written by the job). */
  lastRun?: { at: string; slot: string };
  lastFailure?: { at: string; detail: string };
}

/** What a command asks the book to add. */
export type ScheduleDraft = Timing & { filters: string; createdBy?: string };

/** One channel's schedules, kept in state. */
export interface ScheduleBook {
  list(): Promise<Schedule[]>;
  /** Adds a schedule with the next number; an identical one of the channel (timing and filters) is returned instead. */
  add(draft: ScheduleDraft): Promise<Schedule & { existing: boolean }>;
  /** The most schedules a channel may have. */
  readonly limit: number;
  setPaused(id: number, pause: Pause | undefined): Promise<Schedule | undefined>;
  remove(id: number): Promise<boolean>;
  /** The channel's time zone for new schedules (set with /digest schedule tz:…), if one was given. */
  zone(): Promise<string | undefined>;
  setZone(tz: string): Promise<void>;
  /** The wall-clock time, ISO, for records (the core reads no clock). */
  timestamp(): string;
}

/** The zone's canonical name ("europe/berlin" → "Europe/Berlin"), or a UserError with a correct example. */
export function canonicalZone(tz: string): string {
  const asked = tz.trim();
  if (/^(utc|gmt|z)$/i.test(asked)) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: asked }).resolvedOptions().timeZone;
  } catch {
    const zones = Intl.supportedValuesOf('timeZone');
    const near = closest(asked, zones, 1);
    throw new UserError(
      'bad-value',
      `tz: "${asked}" is not a time zone. Write an IANA zone as Area/City${near.length > 0 ? `, e.g. ${near[0]}` : ''}, or UTC.`,
      `/digest schedule tz:${near[0] ?? 'Europe/Berlin'}`,
    );
  }
}

/** "09:00" from "9:00", "09:00", "0900"; a UserError for "25:00" or "noon". */
export function parseTime(text: string): string {
  const found = /^(\d{1,2}):?(\d{2})$/.exec(text.trim());
  const hours = Number(found?.[1]);
  const minutes = Number(found?.[2]);
  if (!found || hours > 23 || minutes > 59) {
    throw new UserError(
      'bad-value',
      `at: "${text}" is not a time of day. Write it as HH:MM on a 24-hour clock, from 00:00 to 23:59.`,
      '/digest schedule weekly at:09:00',
    );
  }
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** The day a schedule runs on: a weekday for weekly, a day of the month (1–28) for monthly, none for daily. */
export function parseOn(every: Every, text: string | undefined): number | undefined {
  if (every === 'daily') {
    if (text !== undefined) {
      throw new UserError(
        'bad-value',
        'on: goes with weekly or monthly; a daily digest runs every day.',
        '/digest schedule daily at:08:00',
      );
    }
    return undefined;
  }
  if (every === 'weekly') {
    if (text === undefined) return DEFAULT_TIMING.on;
    const word = text.trim().toLowerCase();
    const day = WEEKDAYS.find(([, ...names]) => names.includes(word));
    if (!day) {
      const near = closest(
        word,
        WEEKDAYS.map(([, name]) => name),
        1,
      );
      throw new UserError(
        'bad-value',
        `on: "${text}" is not a day of the week.${near.length > 0 ? ` Did you mean ${near[0]}?` : ''} Days: ${joinOr(WEEKDAYS.map(([, name]) => name))}.`,
        `/digest schedule weekly on:${near[0] ?? 'monday'}`,
      );
    }
    return day[0];
  }
  if (text === undefined) return 1;
  const day = /^\d{1,2}$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(day >= 1 && day <= LAST_MONTHLY_DAY)) {
    throw new UserError(
      'bad-value',
      `on: a monthly digest runs on a day from 1 to ${LAST_MONTHLY_DAY}, which every month has${day > LAST_MONTHLY_DAY && day <= 31 ? `; ${day} is missing from some months` : ''}.`,
      '/digest schedule monthly on:1',
    );
  }
  return day;
}

/** The cron pattern of a timing: minute hour day-of-month month day-of-week. */
function pattern(timing: Timing): string {
  const [hours, minutes] = timing.at.split(':').map(Number);
  const dom = timing.every === 'monthly' ? String(timing.on ?? 1) : '*';
  const dow = timing.every === 'weekly' ? String(timing.on ?? 1) : '*';
  return `${minutes} ${hours} ${dom} * ${dow}`;
}

function cron(timing: Timing): Cron {
  return new Cron(pattern(timing), { timezone: timing.tz, paused: true });
}

/**
 * The first run strictly after `after`. A time that does not exist that day (the hour skipped when clocks go
 * forward) runs at the first minute after it; one that happens twice (clocks go back) runs once, the first time.
 */
export function nextRun(timing: Timing, after: Date): Date {
  const next = cron(timing).nextRun(after);
  if (!next) throw new Error(`no next run for ${pattern(timing)} in ${timing.tz}`);
  return next;
}

/** The latest run at or before `at`, or undefined if there is none after `since` (exclusive). */
export function lastDue(timing: Timing, since: Date, at: Date): Date | undefined {
  const first = nextRun(timing, since);
  if (first.getTime() > at.getTime()) return undefined;
  // The latest slot at or before `at`: one run covering the whole gap, never one per missed slot.
  const previous = cron(timing).previousRuns(1, new Date(at.getTime() + 1))[0];
  return previous && previous.getTime() >= first.getTime() ? previous : first;
}

/** The day (YYYY-MM-DD) an instant falls on in a time zone. */
export function dayIn(instant: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** An instant as people read it in a zone: "Monday 30 November 2026, 09:00 (America/New_York)". */
export function formatInstant(instant: Date, tz: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(instant);
  return `${text.replace(' at ', ', ')} (${tz})`;
}

/** "weekly on Monday at 09:00 (America/New_York)". */
export function describeTiming(timing: Timing): string {
  const day =
    timing.every === 'weekly'
      ? ` on ${capitalized(WEEKDAYS.find(([n]) => n === timing.on)?.[1] ?? 'monday')}`
      : timing.every === 'monthly'
        ? ` on day ${timing.on ?? 1}`
        : '';
  return `${timing.every}${day} at ${timing.at} (${timing.tz})`;
}

const capitalized = (word: string) => `${word[0]?.toUpperCase() ?? ''}${word.slice(1)}`;

/**
 * The first day a run's digest covers. Each run covers the days from the previous run's day to its own, both
 * included: a contact dated on a run's day may be recorded after that digest went out, so the next one
 * repeats that day rather than miss it. The first run covers the period the schedule names (a day, a week
 * or a month) before its day.
 */
export function windowStart(every: Every, runDay: Day, previousRunDay: Day | undefined): Day {
  if (previousRunDay !== undefined && previousRunDay <= runDay) return previousRunDay;
  const unit = every === 'daily' ? 'd' : every === 'weekly' ? 'w' : 'm';
  return shiftDays(periodStart(runDay, { amount: 1, unit }), -1);
}
