// Calendar dates: ranges of partial dates, day arithmetic across months and leap years, wording.
import { describe, expect, it } from 'vitest';
import {
  dayRange,
  daysBetween,
  formatDate,
  formatSpan,
  periodStart,
  shiftDays,
  utcToday,
} from '../../src/core/dates.js';

describe('dates', () => {
  it('expands partial dates to the days they cover', async () => {
    expect(dayRange('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29', precision: 'month' });
    expect(dayRange('2023-02')).toEqual({ start: '2023-02-01', end: '2023-02-28', precision: 'month' });
    expect(dayRange('2018')).toEqual({ start: '2018-01-01', end: '2018-12-31', precision: 'year' });
    expect(dayRange('2024-04-16')).toEqual({ start: '2024-04-16', end: '2024-04-16', precision: 'day' });
  });

  it('counts whole calendar days, whatever the time zone', async () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2024-03-09', '2024-03-11')).toBe(2);
    expect(daysBetween('2024-04-16', '2022-06-10')).toBe(-676);
    expect(shiftDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(shiftDays('0001-01-01', 1)).toBe('0001-01-02');
    expect(formatDate('0099-12-31')).toBe('31 December 0099');
    // Years 0–99 as written (not 1900–1999), and across a century's missing leap day.
    expect(daysBetween('0099-12-31', '0100-01-01')).toBe(1);
    expect(daysBetween('1899-12-31', '1900-03-01')).toBe(60);
    expect(daysBetween('1970-01-01', '2026-12-03')).toBe(20_790);
  });

  it('finds the start of a window of a given length', async () => {
    expect(periodStart('2024-06-01', { amount: 30, unit: 'd' })).toBe('2024-05-03');
    expect(periodStart('2024-06-01', { amount: 6, unit: 'm' })).toBe('2023-12-02');
    expect(periodStart('2024-02-29', { amount: 1, unit: 'y' })).toBe('2023-03-01');
  });

  it('words dates and spans as precisely as they are known', async () => {
    expect(formatDate('2024-04-16')).toBe('16 April 2024');
    expect(formatDate('2023-11')).toBe('November 2023');
    expect(formatSpan('2021-12-14', '2021-12-16')).toBe('14–16 December 2021');
    expect(formatSpan('2024-08', '2024-09')).toBe('August 2024 – September 2024');
    expect(utcToday(new Date('2024-01-31T23:30:00-05:00'))).toBe('2024-02-01');
  });
});
