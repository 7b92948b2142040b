// The contacts-per-month series and its text alternative, on a small catalog built by hand.
import { describe, expect, it } from 'vitest';
import { type Catalog, indexCatalog } from '../../src/core/catalog.js';
import { chartTitle, describeContactSeries } from '../../src/core/contactsChartText.js';
import { resolveFilter } from '../../src/core/filter.js';
import { contactsByMonth } from '../../src/core/queries/contactsByMonth.js';
import type { EventRecord } from '../../src/core/schema.js';
import { fixture } from '../helpers.js';

type Spec = Pick<EventRecord, 'date' | 'kind' | 'status' | 'level'> & Partial<Pick<EventRecord, 'topics' | 'track'>>;

/** An event record with only what the series reads; the rest is filler the schema requires. */
function record(slug: string, spec: Spec): EventRecord & { file: string } {
  const day = spec.date.length === 7 ? `${spec.date}-00` : spec.date;
  return {
    id: `${day}-${slug}`,
    mechanisms: [],
    participants: [],
    topics: [],
    summary: `Test ${slug}.`,
    sources: [{ title: 'Test', publisher: 'Example', url: `https://example.org/${slug}` }],
    recordedAt: '2026-11-24',
    file: 'events/test.yaml',
    ...spec,
  };
}

/** The fixture's people, mechanisms and topics, with these events instead of its own. */
function catalogOf(records: (EventRecord & { file: string })[]): Catalog {
  const base = fixture();
  return indexCatalog(records, base.people, base.mechanisms, base.topics, base.coverage);
}

const CATALOG = catalogOf([
  record('before-the-series', { date: '2025-11-30', kind: 'meeting', status: 'held', level: 'minister' }),
  record('call', { date: '2025-12-05', kind: 'call', status: 'held', level: 'minister', topics: ['taiwan'] }),
  record('talks-day-unknown', { date: '2026-01', kind: 'talks', status: 'held', level: 'working-level' }),
  record('meeting', { date: '2026-04-02', kind: 'meeting', status: 'held', level: 'minister', topics: ['taiwan'] }),
  record('leaders-call', { date: '2026-04-10', kind: 'call', status: 'held', level: 'leaders' }),
  record('refused', {
    date: '2026-04-20',
    kind: 'request-refused',
    status: 'refused',
    level: 'minister',
    topics: ['taiwan'],
  }),
  record('congressional', {
    date: '2026-04-25',
    kind: 'meeting',
    status: 'held',
    level: 'minister',
    track: 'congressional',
  }),
  record('planned-call', { date: '2026-06-01', kind: 'call', status: 'scheduled', level: 'minister' }),
  record('video', {
    date: '2026-06-15',
    kind: 'video-call',
    status: 'held',
    level: 'working-level',
    topics: ['taiwan'],
  }),
  record('cancelled', { date: '2026-10-20', kind: 'cancellation', status: 'held', level: 'minister' }),
  record('nov-meeting', {
    date: '2026-11-02',
    kind: 'meeting',
    status: 'held',
    level: 'working-level',
    topics: ['taiwan'],
  }),
  record('nov-call', { date: '2026-11-14', kind: 'call', status: 'held', level: 'minister' }),
  record('after-the-end', { date: '2026-11-16', kind: 'call', status: 'held', level: 'minister' }),
]);

const TO = '2026-11-15';
const WINDOW = { from: '2026-10-16', to: TO };

describe('contactsByMonth', () => {
  it('counts held contacts per month and level over the 12 months ending on the day, oldest first', () => {
    const series = contactsByMonth(CATALOG, {}, { to: TO, window: WINDOW });
    expect(series.from).toBe('2025-12-01');
    expect(series.to).toBe(TO);
    expect(series.months.map((m) => [m.month, m.total, m.marked])).toEqual([
      ['2025-12', 1, 0],
      ['2026-01', 1, 0],
      ['2026-02', 0, 0],
      ['2026-03', 0, 0],
      ['2026-04', 2, 0],
      ['2026-05', 0, 0],
      ['2026-06', 1, 0],
      ['2026-07', 0, 0],
      ['2026-08', 0, 0],
      ['2026-09', 0, 0],
      ['2026-10', 0, 0],
      ['2026-11', 2, 2],
    ]);
    expect(series.months[4]?.byLevel).toEqual({
      leaders: 1,
      minister: 1,
      'chief-of-defense': 0,
      'theater-commander': 0,
      'senior-official': 0,
      'working-level': 0,
    });
    expect(series.levels).toEqual(['leaders', 'minister', 'working-level']);
    expect(series.total).toBe(7);
    expect(series.window).toEqual(WINDOW);
    expect(series.marked.map((e) => e.id)).toEqual(['2026-11-02-nov-meeting', '2026-11-14-nov-call']);
  });

  it('follows the filter, as the digest does', () => {
    const series = contactsByMonth(CATALOG, resolveFilter(CATALOG, { topic: 'taiwan' }), { to: TO });
    expect(series.months.filter((m) => m.total > 0).map((m) => [m.month, m.total])).toEqual([
      ['2025-12', 1],
      ['2026-04', 1],
      ['2026-06', 1],
      ['2026-11', 1],
    ]);
    expect(series.window).toBeUndefined();
    expect(series.marked).toEqual([]);
  });

  it('with a kind, counts the events of that kind that happened (a refusal too), as the digest does', () => {
    const series = contactsByMonth(CATALOG, resolveFilter(CATALOG, { kind: 'request-refused' }), { to: TO });
    expect(series.total).toBe(1);
    expect(series.months[4]?.byLevel.minister).toBe(1);
  });

  it('cuts the window to the series and drops one outside it', () => {
    const wide = contactsByMonth(CATALOG, {}, { to: TO, months: 3, window: { from: '2020-01-01', to: '2026-10-31' } });
    expect(wide.months.map((m) => m.month)).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(wide.window).toEqual({ from: '2026-09-01', to: '2026-10-31' });
    expect(wide.marked).toEqual([]);
    const outside = contactsByMonth(
      CATALOG,
      {},
      { to: TO, months: 1, window: { from: '2026-01-01', to: '2026-01-31' } },
    );
    expect(outside.window).toBeUndefined();
  });

  it('refuses a number of months below 1', () => {
    expect(() => contactsByMonth(CATALOG, {}, { to: TO, months: 0 })).toThrow(RangeError);
  });
});

describe('describeContactSeries', () => {
  it('states the span, total, busiest months, levels, every month and the marked window', () => {
    const series = contactsByMonth(CATALOG, {}, { to: TO, window: WINDOW });
    expect(describeContactSeries(series)).toBe(
      'Contacts per month by level, December 2025 – 15 November 2026: 7 in all; most in April 2026 and November 2026 (2 each). ' +
        'By level: leaders 1, minister level 3, working level 3. ' +
        'By month: December 2025 1, January 2026 1, February 2026 none, March 2026 none, April 2026 2, May 2026 none, ' +
        'June 2026 1, July 2026 none, August 2026 none, September 2026 none, October 2026 none, November 2026 2. ' +
        "This digest's window, 16 October 2026 – 15 November 2026, is shaded; 2 contacts in it are marked.",
    );
  });

  it('names the filter and what is counted, and says so when nothing is on record', () => {
    const refused = contactsByMonth(CATALOG, resolveFilter(CATALOG, { kind: 'request-refused', topic: 'taiwan' }), {
      to: '2026-03-31',
      months: 2,
      window: { from: '2026-03-01', to: '2026-03-31' },
    });
    expect(chartTitle(refused)).toBe('Requests refused per month by level · request refused · Taiwan');
    expect(describeContactSeries(refused)).toBe(
      'Requests refused per month by level (request refused, Taiwan), February 2026 – March 2026: none on record. ' +
        "This digest's window, 1–31 March 2026, is shaded; no requests refused fall in it.",
    );
  });

  it('names a single month once, and a single marked contact in the singular', () => {
    const series = contactsByMonth(CATALOG, resolveFilter(CATALOG, { topic: 'taiwan' }), {
      to: '2026-11-30',
      months: 1,
      window: { from: '2026-11-01', to: '2026-11-30' },
    });
    expect(describeContactSeries(series)).toBe(
      'Contacts per month by level (Taiwan), November 2026: 1 in all; most in November 2026 (1). ' +
        'By level: working level 1. By month: November 2026 1. ' +
        "This digest's window, 1–30 November 2026, is shaded; 1 contact in it is marked.",
    );
  });
});
