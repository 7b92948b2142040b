// Queries over the fixture: last contact, digest, timeline, channel board, search, person resolution.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { resolveFilter } from '../../src/core/filter.js';
import { resolvePerson, titleOn } from '../../src/core/people.js';
import { channelBoard } from '../../src/core/queries/channels.js';
import { digest } from '../../src/core/queries/digest.js';
import { lastContact, spanBetween } from '../../src/core/queries/lastContact.js';
import { queryDays, type SearchHit, search, tokenize } from '../../src/core/queries/search.js';
import { timeline } from '../../src/core/queries/timeline.js';
import { bundled, fixture } from '../helpers.js';

const filter = (input: Parameters<typeof resolveFilter>[1]) => resolveFilter(fixture(), input);

describe('lastContact', () => {
  it('GIVEN a level THEN the latest held contact, days ago, the previous one and the channel', async () => {
    const found = lastContact(fixture(), filter({ level: 'minister' }), '2024-06-01');
    expect(found?.event.id).toBe('2024-05-31-austin-dong-meeting');
    expect(found?.ago).toEqual({ min: 1, max: 1 });
    expect(found?.previous?.id).toBe('2024-04-16-austin-dong-video-call');
    expect(found?.gap).toEqual({ min: 45, max: 45 });
    expect(found?.channels.map((c) => [c.mechanism.id, c.state, c.lastEvent?.id])).toEqual([
      ['defense-minister-channel', 'open', '2024-05-31-austin-dong-meeting'],
    ]);
  });

  it('never counts scheduled events, refusals or cancellations as contacts', async () => {
    expect(lastContact(fixture(), filter({ level: 'minister' }), '2024-12-31')?.event.id).toBe(
      '2024-05-31-austin-dong-meeting',
    );
    expect(lastContact(fixture(), filter({ level: 'minister' }), '2024-04-15')?.event.id).toBe(
      '2022-06-10-austin-wei-meeting',
    );
  });

  it('GIVEN a kind THEN events of that kind count whatever their outcome', async () => {
    expect(lastContact(fixture(), filter({ kind: 'request-refused' }), '2024-06-01')?.event.id).toBe(
      '2023-05-29-meeting-declined',
    );
  });

  it('answers as of a past date, counting days to the reference day', async () => {
    const found = lastContact(fixture(), filter({ level: 'minister' }), '2024-04-15', '2024-04-16');
    expect(found?.event.id).toBe('2022-06-10-austin-wei-meeting');
    expect(found?.ago).toEqual({ min: 676, max: 676 });
    expect(found?.previous).toBeUndefined();
    expect(found?.channels.map((c) => c.state)).toEqual(['dormant']);
  });

  it('gives a range of days for an event known only to the month', async () => {
    const found = lastContact(fixture(), filter({ mechanism: 'MMCA' }), '2024-06-01');
    expect(found?.event.id).toBe('2023-11-00-mmca-working-group');
    expect(found?.ago).toEqual({ min: 184, max: 213 });
    expect(spanBetween('2023-11', '2023-11-10')).toEqual({ min: 0, max: 9 });
  });

  it('returns nothing when nothing matches', async () => {
    expect(lastContact(fixture(), filter({ level: 'theater-commander' }), '2024-06-01')).toBeUndefined();
    expect(lastContact(fixture(), filter({ level: 'minister' }), '2000-01-01')).toBeUndefined();
  });
});

describe('people', () => {
  it('finds the same contacts by English name, Chinese name and title-as-of-date', async () => {
    const ids = (person: string) => {
      const found = lastContact(fixture(), filter({ person }), '2024-06-01');
      return found ? [found.event.id, found.previous?.id] : [];
    };
    expect(ids('Dong Jun')).toEqual(['2024-05-31-austin-dong-meeting', '2024-04-16-austin-dong-video-call']);
    expect(ids('董军')).toEqual(ids('Dong Jun'));
    expect(ids('PRC defense minister')).toEqual(ids('Dong Jun'));
  });

  it('resolves a title to whoever held it on the event date', async () => {
    const wei = lastContact(fixture(), filter({ person: 'Chinese defense minister' }), '2024-01-01');
    expect(wei?.event.id).toBe('2022-06-10-austin-wei-meeting');
    expect(resolvePerson(fixture(), 'PRC defense minister').map((m) => [m.personId, m.from, m.to])).toEqual([
      ['dong-jun', '2023-12-29', undefined],
      ['wei-fenghe', '2018-01-01', '2023-03-31'],
      ['li-shangfu', '2023-03-12', '2023-10-24'],
    ]);
  });

  it('GIVEN two posts spanning a day, one with no recorded start THEN titleOn gives the dated one held that day, as detection does', () => {
    const on = (person: string, day: string, title?: string) =>
      titleOn(bundled(), { person, side: 'PRC', ...(title ? { title } : {}) }, day);
    // Appointed Chief of the General Staff in October 2012; the Joint Staff Department post (start not sourced)
    // came with the January 2016 reform.
    expect(on('fang-fenghui', '2013-04-22')).toBe('Chief of the General Staff, PLA');
    expect(on('fang-fenghui', '2017-08-15')).toBe('Chief of the CMC Joint Staff Department');
    expect(on('yang-jiechi', '2009-03-12')).toBe('Minister of Foreign Affairs');
    expect(on('yang-jiechi', '2013-07-12')).toBe('State Councilor');
    // The title recorded on the event wins; a day outside every post has none.
    expect(on('fang-fenghui', '2013-04-22', 'General')).toBe('General');
    expect(on('dong-jun', '1990-01-01')).toBeUndefined();
  });

  it('accepts a partial name, and refuses ambiguous or unknown ones with suggestions', async () => {
    expect(resolvePerson(fixture(), 'austin').map((m) => m.personId)).toEqual(['lloyd-austin']);
    const fail = (q: string) => {
      try {
        resolvePerson(fixture(), q);
      } catch (e) {
        return e instanceof UserError ? [e.code, e.message] : [];
      }
      return [];
    };
    expect(fail('Li')).toEqual(['ambiguous-person', '"Li" could be Li Shangfu, Li Zuocheng. Give the full name.']);
    expect(fail('Dong Jn')).toEqual([
      'unknown-person',
      'No person or title matches "Dong Jn". Did you mean "Dong Jun"? A person can be named in English or Chinese, or by title, such as "PRC defense minister".',
    ]);
  });
});

describe('resolveFilter', () => {
  it('resolves topics and mechanisms by id, label or alias, and refuses unknown ones', async () => {
    expect(filter({ topic: 'SCS' }).topics?.map((t) => t.id)).toEqual(['south-china-sea']);
    expect(filter({ topic: 'south china sea' }).topics?.map((t) => t.id)).toEqual(['south-china-sea']);
    expect(filter({ mechanism: 'maritime talks' }).mechanisms?.map((m) => m.id)).toEqual(['mmca']);
    expect(filter({ topic: 'taiwan, SCS,taiwan' }).topics?.map((t) => t.id)).toEqual(['taiwan', 'south-china-sea']);
    expect(() => filter({ topic: 'taiwn' })).toThrow(
      'No topic is called "taiwn". Did you mean taiwan? Known topics: crisis-communications, south-china-sea, taiwan. See /help topics.',
    );
  });
});

describe('digest', () => {
  it('groups the window by level and kind and compares with the window before', async () => {
    const d = digest(fixture(), {}, '2024-01-01', '2024-06-01');
    expect([d.previousFrom, d.previousTo]).toEqual(['2023-08-01', '2023-12-31']);
    expect(d.events.map((e) => e.id)).toEqual(['2024-04-16-austin-dong-video-call', '2024-05-31-austin-dong-meeting']);
    expect(d.groups.map((g) => [g.level, g.count, g.kinds.map((k) => k.kind)])).toEqual([
      ['minister', 2, ['video-call', 'meeting']],
    ]);
    expect([d.contacts, d.previousContacts, d.total, d.previousTotal]).toEqual([2, 1, 2, 1]);
    expect(d.channels.map((c) => [c.mechanism.id, c.state])).toEqual([
      ['defense-minister-channel', 'open'],
      ['mmca', 'agreed'],
    ]);
  });

  it('filters by topic', async () => {
    const d = digest(fixture(), filter({ topic: 'taiwan' }), '2022-01-01', '2022-12-31');
    expect(d.events.map((e) => e.id)).toEqual(['2022-06-10-austin-wei-meeting', '2022-08-05-countermeasures']);
    expect([d.contacts, d.total]).toEqual([1, 2]);
  });
});

describe('timeline', () => {
  it('merges the events of everyone who held a title, each within their time in office', async () => {
    const options = { from: '0000-01-01', to: '2024-12-31', page: 1, pageSize: 10, order: 'newest' as const };
    const page = timeline(fixture(), filter({ person: 'PRC defense minister' }), options);
    expect(page.events.map((e) => e.id)).toEqual([
      '2024-06-20-planned-talks',
      '2024-05-31-austin-dong-meeting',
      '2024-04-16-austin-dong-video-call',
      '2023-05-29-meeting-declined',
      '2022-06-10-austin-wei-meeting',
    ]);
  });

  it('pages newest first, or oldest first', async () => {
    const options = { from: '0000-01-01', to: '2024-06-01', page: 1, pageSize: 4, order: 'newest' as const };
    const first = timeline(fixture(), {}, options);
    expect([first.total, first.pages, first.events.map((e) => e.id)]).toEqual([
      6,
      2,
      [
        '2024-05-31-austin-dong-meeting',
        '2024-04-16-austin-dong-video-call',
        '2023-11-00-mmca-working-group',
        '2023-05-29-meeting-declined',
      ],
    ]);
    const second = timeline(fixture(), {}, { ...options, page: 2 });
    expect(second.events.map((e) => e.id)).toEqual(['2022-08-05-countermeasures', '2022-06-10-austin-wei-meeting']);
    const oldest = timeline(fixture(), filter({ person: 'Dong Jun' }), {
      ...options,
      to: '2024-12-31',
      order: 'oldest',
    });
    expect(oldest.events.map((e) => e.id)).toEqual([
      '2024-04-16-austin-dong-video-call',
      '2024-05-31-austin-dong-meeting',
      '2024-06-20-planned-talks',
    ]);
  });
});

describe('channelBoard', () => {
  it.each([
    [
      '2008-01-01',
      [
        ['mmca', 'open'],
        ['defense-minister-channel', 'unrecorded'],
      ],
    ],
    [
      '2022-09-01',
      [
        ['defense-minister-channel', 'dormant'],
        ['mmca', 'cancelled'],
      ],
    ],
    [
      '2023-12-01',
      [
        ['mmca', 'agreed'],
        ['defense-minister-channel', 'dormant'],
      ],
    ],
    [
      '2024-06-01',
      [
        ['defense-minister-channel', 'open'],
        ['mmca', 'agreed'],
      ],
    ],
  ])('as of %s', (day, states) => {
    expect(channelBoard(fixture(), day).map((s) => [s.mechanism.id, s.state])).toEqual(states);
  });
});

describe('search', () => {
  it('finds events by words in their summary and people by Chinese name', async () => {
    const hits = search(fixture(), 'Singapore', 5).hits.map((h) => (h.type === 'event' ? h.event.id : h.type));
    expect(hits).toEqual(['2022-06-10-austin-wei-meeting', '2024-05-31-austin-dong-meeting']);
    const dong = search(fixture(), '董军', 5).hits;
    expect(dong[0]?.type === 'person' && dong[0].person.id).toBe('dong-jun');
  });

  it('tolerates a typo only when the exact words find nothing', async () => {
    const ids = (q: string) => search(fixture(), q, 5).hits.map((h) => (h.type === 'event' ? h.event.id : h.type));
    expect(ids('Singapre')).toEqual(ids('Singapore'));
    expect(search(fixture(), 'Singapre', 5).match).toBe('close-spelling');
    expect(search(fixture(), 'Singapore zzzqqq', 5).match).toBe('some-words');
  });

  it('finds nothing for words that are nowhere', async () => {
    expect(search(fixture(), 'zzzqqq', 5)).toEqual({ hits: [], match: 'all-words' });
  });

  it('splits Chinese into character pairs, words at spaces and punctuation', () => {
    expect(tokenize('中美国防部防务磋商')).toEqual(['中美', '美国', '国防', '防部', '部防', '防务', '务磋', '磋商']);
    expect(tokenize('董')).toEqual(['董']);
    expect(tokenize('MMCA 海上军事安全磋商, talks')).toEqual([
      'MMCA',
      '海上',
      '上军',
      '军事',
      '事安',
      '安全',
      '全磋',
      '磋商',
      'talks',
    ]);
    expect(tokenize('DoD国防部')).toEqual(['DoD', '国防', '防部']);
  });

  it('reads dates and months as dates', () => {
    expect(queryDays('2024-04-16')).toEqual({ start: '2024-04-16', end: '2024-04-16' });
    expect(queryDays('2024-04')).toEqual({ start: '2024-04-01', end: '2024-04-30' });
    expect(queryDays('April 2024')).toEqual({ start: '2024-04-01', end: '2024-04-30' });
    expect(queryDays('16 Apr 2024')).toEqual({ start: '2024-04-16', end: '2024-04-16' });
    expect(queryDays('April 16, 2024')).toEqual({ start: '2024-04-16', end: '2024-04-16' });
    expect(queryDays('2024-02-30')).toBeUndefined();
    expect(queryDays('hotline 2024')).toBeUndefined();
    expect(queryDays('may')).toBeUndefined();
  });
});

describe('search on the bundled data', () => {
  it('finds Chinese names inside longer Chinese text, in mechanism aliases and source titles', async () => {
    const { bundled } = await import('../helpers.js');
    const catalog = bundled();
    const mmca = search(catalog, '海上军事安全磋商', 5).hits;
    expect(mmca[0]?.type === 'mechanism' && mmca[0].mechanism.id).toBe('mmca');
    const ministry = search(catalog, '国防部', 10).hits;
    const events = ministry.flatMap((h) => (h.type === 'event' ? [h.event] : []));
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      const text = [event.summary, ...event.sources.map((s) => `${s.title} ${s.publisher}`)].join(' ');
      // Both of its character pairs are in the event's text (most often as 国防部 itself).
      expect(text).toContain('国防');
      expect(text).toContain('防部');
    }
  });

  it('finds the events of a day or a month first, oldest first', async () => {
    const { bundled } = await import('../helpers.js');
    const catalog = bundled();
    const day = search(catalog, '2024-04-16', 10);
    expect(day.match).toBe('date');
    expect(day.hits.map((h) => (h.type === 'event' ? h.event.id : h.type))).toEqual([
      '2024-04-16-austin-dong-video-call',
    ]);
    const month = search(catalog, 'April 2024', 10).hits.map((h) => (h.type === 'event' ? h.event.start : ''));
    expect(month.length).toBeGreaterThan(1);
    expect(month.every((d) => d >= '2024-04-01' && d <= '2024-04-30')).toBe(true);
    expect([...month].sort()).toEqual(month);
  });

  it('says a query written like a date that is no day on the calendar is none, instead of searching its words', async () => {
    const { bundled } = await import('../helpers.js');
    for (const q of ['Apr 31 2024', '2024-13', '2024-02-30', '31 April 2024'])
      expect(search(bundled(), q, 10), q).toEqual({ hits: [], match: 'no-such-date' });
  });

  it('answers a date with no events as such, and says how many a cut list left out', async () => {
    const { bundled } = await import('../helpers.js');
    const catalog = bundled();
    expect(search(catalog, 'March 2024', 10)).toEqual({
      hits: [],
      match: 'date',
      dated: { total: 0, start: '2024-03-01', end: '2024-03-31' },
    });
    const cut = search(catalog, 'April 2024', 2);
    expect(cut.hits).toHaveLength(2);
    expect(cut.dated).toEqual({ total: 4, start: '2024-04-01', end: '2024-04-30' });
  });

  it('ranks the same hits whatever the limit, and fills the limit when most hits are dropped', async () => {
    const { bundled } = await import('../helpers.js');
    const catalog = bundled();
    const ids = (hits: SearchHit[]) =>
      hits.map((h) =>
        h.type === 'event'
          ? h.event.id
          : h.type === 'person'
            ? h.person.id
            : h.type === 'mechanism'
              ? h.mechanism.id
              : h.topic.id,
      );
    const everything = search(catalog, 'talks', 1000).hits;
    expect(everything.length).toBeGreaterThan(20);
    expect(ids(search(catalog, 'talks', 10).hits)).toEqual(ids(everything.slice(0, 10)));
    // Only people, mechanisms, topics and events before 2005: most of the best hits are dropped.
    const old = (h: SearchHit) => h.type !== 'event' || h.event.start < '2005-01-01';
    expect(ids(search(catalog, 'talks', 4, old).hits)).toEqual(ids(everything.filter(old).slice(0, 4)));
    expect(ids(search(catalog, 'talks', 1000, () => false).hits)).toEqual([]);
  });

  it('searches each word once, and at most sixteen of them (a line of 500 repeated letters costs one)', async () => {
    const { bundled } = await import('../helpers.js');
    const catalog = bundled();
    const ids = (q: string) => search(catalog, q, 10).hits.map((h) => (h.type === 'event' ? h.event.id : h.type));
    expect(ids('maritime '.repeat(100))).toEqual(ids('maritime'));
    expect(ids('a b c d e f g h i j k l m n o p q r s t u v w x y z')).toEqual(ids('a b c d e f g h i j k l m n o p'));
  });
});

describe('timeline on the bundled data', () => {
  it('counts and pages by index exactly as a full scan does', async () => {
    const { bundled } = await import('../helpers.js');
    const catalog = bundled();
    for (const level of ['leaders', 'minister', 'working-level'] as const) {
      const scan = catalog.events.filter(
        (e) => e.level === level && e.start >= '2021-01-01' && e.start <= '2025-06-30',
      );
      const options = { from: '2021-01-01', to: '2025-06-30', page: 2, pageSize: 3, order: 'newest' as const };
      const page = timeline(catalog, { levels: [level] }, options);
      expect(page.total).toBe(scan.length);
      expect(page.events.map((e) => e.id)).toEqual(
        scan
          .reverse()
          .slice(3, 6)
          .map((e) => e.id),
      );
      const oldest = timeline(catalog, { levels: [level] }, { ...options, order: 'oldest', page: 1 });
      expect(oldest.events.map((e) => e.id)).toEqual(
        scan
          .reverse()
          .slice(0, 3)
          .map((e) => e.id),
      );
    }
  });
});

describe('several values in one filter (any of them matches)', () => {
  it('finds the latest contact on any of the topics, and pages the union of levels as a scan does', async () => {
    const { bundled } = await import('../helpers.js');
    const catalog = bundled();
    const either = lastContact(catalog, resolveFilter(catalog, { topic: 'taiwan,south-china-sea' }), '2026-11-24');
    const taiwan = lastContact(catalog, resolveFilter(catalog, { topic: 'taiwan' }), '2026-11-24');
    const scs = lastContact(catalog, resolveFilter(catalog, { topic: 'south-china-sea' }), '2026-11-24');
    const latest = [taiwan?.event, scs?.event].sort((a, b) => (b?.pos ?? -1) - (a?.pos ?? -1))[0];
    expect(either?.event.id).toBe(latest?.id);
    const scan = catalog.events.filter(
      (e) => (e.level === 'minister' || e.level === 'leaders') && e.start >= '2015-01-01' && e.start <= '2020-12-31',
    );
    const page = timeline(catalog, resolveFilter(catalog, { level: 'minister,leaders' }), {
      from: '2015-01-01',
      to: '2020-12-31',
      page: 1,
      pageSize: 1000,
      order: 'oldest',
    });
    expect(page.events.map((e) => e.id)).toEqual(scan.map((e) => e.id));
  });
});
