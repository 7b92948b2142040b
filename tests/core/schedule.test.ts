// Digest schedules, pure: next runs across daylight-saving changes, catch-up after downtime, windows, and bad input.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import {
  canonicalZone,
  dayIn,
  describeTiming,
  lastDue,
  nextRun,
  parseOn,
  parseTime,
  type Timing,
  windowStart,
} from '../../src/core/schedule.js';

/** The next `n` runs after `from`, as ISO instants. */
function runs(timing: Timing, from: string, n = 3): string[] {
  const out: string[] = [];
  let after = new Date(from);
  for (let i = 0; i < n; i++) {
    after = nextRun(timing, after);
    out.push(after.toISOString());
  }
  return out;
}

const daily = (at: string, tz: string): Timing => ({ every: 'daily', at, tz });

describe('next runs across daylight-saving changes', () => {
  it('New York: 02:30 on the day clocks go forward runs at 03:00; 01:30 on the day they go back runs once', () => {
    expect(runs(daily('02:30', 'America/New_York'), '2026-03-07T00:00:00Z')).toEqual([
      '2026-03-07T07:30:00.000Z', // 02:30 EST
      '2026-03-08T07:00:00.000Z', // 02:30 does not exist: 03:00 EDT
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
    ]);
    expect(runs(daily('01:30', 'America/New_York'), '2026-10-31T12:00:00Z')).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, the first of two
      '2026-11-02T06:30:00.000Z', // not 06:30Z on 1 November (01:30 EST again): the next day
      '2026-11-03T06:30:00.000Z',
    ]);
  });

  it('Berlin: a weekly Sunday 02:30 on the spring change runs at 03:00; on the autumn change, once', () => {
    expect(runs({ every: 'weekly', on: 0, at: '02:30', tz: 'Europe/Berlin' }, '2026-03-21T00:00:00Z')).toEqual([
      '2026-03-22T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-04-05T00:30:00.000Z',
    ]);
    expect(runs(daily('02:30', 'Europe/Berlin'), '2026-10-24T12:00:00Z')).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('Santiago: midnight skipped in September, and 23:30 twice in April, each run once', () => {
    expect(runs(daily('00:30', 'America/Santiago'), '2026-09-04T12:00:00Z')).toEqual([
      '2026-09-05T04:30:00.000Z',
      '2026-09-06T04:00:00.000Z', // 00:30 does not exist on 6 September: 01:00 -03
      '2026-09-07T03:30:00.000Z',
    ]);
    expect(runs(daily('23:30', 'America/Santiago'), '2026-04-03T12:00:00Z')).toEqual([
      '2026-04-04T02:30:00.000Z',
      '2026-04-05T02:30:00.000Z', // the first 23:30 of 4 April
      '2026-04-06T03:30:00.000Z',
    ]);
  });

  it('Lord Howe: the half-hour change, forward and back', () => {
    expect(runs(daily('02:15', 'Australia/Lord_Howe'), '2026-10-02T12:00:00Z')).toEqual([
      '2026-10-02T15:45:00.000Z',
      '2026-10-03T15:30:00.000Z', // 02:15 does not exist on 4 October: 02:30 +11
      '2026-10-04T15:15:00.000Z',
    ]);
    expect(runs(daily('01:45', 'Australia/Lord_Howe'), '2026-04-03T12:00:00Z')).toEqual([
      '2026-04-03T14:45:00.000Z',
      '2026-04-04T14:45:00.000Z', // the first 01:45 of 5 April
      '2026-04-05T15:15:00.000Z',
    ]);
  });

  it('monthly on a day, in UTC', () => {
    expect(runs({ every: 'monthly', on: 28, at: '09:00', tz: 'UTC' }, '2026-01-29T00:00:00Z', 2)).toEqual([
      '2026-02-28T09:00:00.000Z',
      '2026-03-28T09:00:00.000Z',
    ]);
  });
});

describe('due runs', () => {
  const weekly: Timing = { every: 'weekly', on: 1, at: '09:00', tz: 'America/New_York' };

  it('is due at its slot and not before; after downtime, once, for the latest slot', () => {
    const since = new Date('2026-12-02T00:00:00Z');
    expect(lastDue(weekly, since, new Date('2026-12-07T13:59:59Z'))).toBeUndefined();
    expect(lastDue(weekly, since, new Date('2026-12-07T14:00:00Z'))?.toISOString()).toBe('2026-12-07T14:00:00.000Z');
    // Three weeks down: one run, the latest slot (its window reaches back to the run before).
    expect(lastDue(weekly, since, new Date('2026-12-25T00:00:00Z'))?.toISOString()).toBe('2026-12-21T14:00:00.000Z');
    // Once run at a slot, nothing more is due at that instant.
    expect(lastDue(weekly, new Date('2026-12-07T14:00:00Z'), new Date('2026-12-07T14:00:00Z'))).toBeUndefined();
  });

  it('covers the days from the run before to its own; the first, the period the schedule names', () => {
    expect(windowStart('weekly', '2026-12-21', '2026-11-30')).toBe('2026-11-30');
    expect(windowStart('weekly', '2026-12-07', undefined)).toBe('2026-11-30');
    expect(windowStart('daily', '2026-12-07', undefined)).toBe('2026-12-06');
    expect(windowStart('monthly', '2026-12-07', undefined)).toBe('2026-11-07');
    expect(dayIn(new Date('2026-12-07T03:00:00Z'), 'America/New_York')).toBe('2026-12-06');
  });
});

describe('bad timings get a clear answer with a correct example', () => {
  const failure = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof UserError) return [error.message, error.example];
      throw error;
    }
    throw new Error('expected a UserError');
  };

  it('times, days and zones', () => {
    expect(parseTime('9:05')).toBe('09:05');
    expect(failure(() => parseTime('25:00'))).toEqual([
      'at: "25:00" is not a time of day. Write it as HH:MM on a 24-hour clock, from 00:00 to 23:59.',
      '/digest schedule weekly at:09:00',
    ]);
    expect(parseOn('weekly', 'Fri')).toBe(5);
    expect(failure(() => parseOn('weekly', 'funday'))).toEqual([
      'on: "funday" is not a day of the week. Did you mean sunday? Days: monday, tuesday, wednesday, thursday, friday, saturday or sunday.',
      '/digest schedule weekly on:sunday',
    ]);
    expect(failure(() => parseOn('monthly', '31'))).toEqual([
      'on: a monthly digest runs on a day from 1 to 28, which every month has; 31 is missing from some months.',
      '/digest schedule monthly on:1',
    ]);
    expect(failure(() => parseOn('daily', 'monday'))?.[0]).toBe(
      'on: goes with weekly or monthly; a daily digest runs every day.',
    );
    expect(canonicalZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('utc')).toBe('UTC');
    expect(failure(() => canonicalZone('Mars/Olympus'))?.[0]).toMatch(/^tz: "Mars\/Olympus" is not a time zone\./);
    expect(describeTiming({ every: 'weekly', on: 1, at: '09:00', tz: 'America/New_York' })).toBe(
      'weekly on Monday at 09:00 (America/New_York)',
    );
  });
});
