// Candidate detection (issue 15) on real items of tests/fixtures/candidates.yaml and the bundled data:
// the draft a readout makes, Chinese items, near misses, grouping, record matches and hostile text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { type CatalogEvent, indexCatalog } from '../../src/core/catalog.js';
import { shiftDays } from '../../src/core/dates.js';
import { chineseNumber } from '../../src/core/detect/contactDate.js';
import { detectContact, type FeedItem, groupDrafts, matchRecord } from '../../src/core/detect/index.js';
import { fold, prepare } from '../../src/core/detect/text.js';
import type { Draft } from '../../src/core/detect/types.js';
import { packageRoot } from '../../src/dataFiles.js';
import { HEGSETH_DONG_CALL } from '../drafts/fixtures.js';
import { bundled, fixture as fixtureCatalog, lazyOf } from '../helpers.js';

const catalog = bundled();
const fixture = load(readFileSync(join(packageRoot(), 'tests/fixtures/candidates.yaml'), 'utf8'), {
  schema: CORE_SCHEMA,
}) as (FeedItem & { id: string; label: string })[];
const item = (id: string): FeedItem => {
  const found = fixture.find((i) => i.id === id);
  if (!found) throw new Error(`no ${id} in the fixture`);
  return found;
};

/**
 * A new Hegseth–Dong call readout as a local feed would carry it (issue 15's acceptance; the drafts' tests use the
 * same item). Not a real release: its wording follows the DoD readouts of the record (c048).
 */
const NEW_READOUT: FeedItem = HEGSETH_DONG_CALL;

describe('detectContact', () => {
  it('makes a Hegseth–Dong call readout a draft: date, both participants with titles, kind call, level minister', () => {
    const { verdict, draft } = detectContact(NEW_READOUT, catalog);

    expect(verdict).toBe('contact');
    expect(draft).toEqual({
      date: '2026-06-02',
      kind: 'call',
      format: 'phone',
      level: 'minister',
      participants: [
        { person: 'pete-hegseth', title: 'Secretary of Defense', side: 'US' },
        { person: 'dong-jun', title: 'Minister of National Defense', side: 'PRC' },
      ],
      mechanisms: ['defense-minister-channel'],
      topics: [],
      sources: [
        {
          title: NEW_READOUT.title,
          publisher: 'U.S. Department of War',
          date: '2026-06-02',
          url: NEW_READOUT.url,
          readout: 'US',
          language: 'en',
        },
      ],
      confidence: {
        date: 0.7,
        kind: 0.9,
        format: 0.8,
        level: 0.9,
        participants: 0.9,
        mechanisms: 0.5,
        topics: 0,
        readout: 0.9,
      },
    });
  });

  it('GIVEN an official feed’s item on a site that is not a government’s own THEN it is not marked as a readout (the record would refuse the mark)', () => {
    const mark = (url: string) => {
      const { draft } = detectContact({ ...NEW_READOUT, url }, catalog);
      return [draft?.sources[0]?.readout, draft?.confidence.readout];
    };

    expect(mark('https://www.war.gov/News/Releases/')).toEqual(['US', 0.9]);
    expect(mark('http://127.0.0.1:8080/news/releases/readout-hegseth-dong')).toEqual([undefined, 0]);
    expect(mark('https://www.scmp.com/news/china/military/article/1/readout')).toEqual([undefined, 0]);
    expect(mark('not a url')).toEqual([undefined, 0]);
  });

  it('reads the real Esper–Wei readout (c048): the day from "On August 6, 2020", titles held that day', () => {
    const { draft } = detectContact(item('c048'), catalog);

    expect(draft).toMatchObject({
      date: '2020-08-06',
      kind: 'call',
      level: 'minister',
      participants: [
        { person: 'mark-esper', title: 'Secretary of Defense', side: 'US' },
        { person: 'wei-fenghe', title: 'State Councilor and Minister of National Defense', side: 'PRC' },
      ],
    });
    expect(draft?.sources[0]?.readout).toBeUndefined(); // no feed side given: not marked as a readout
  });

  it('reads Chinese items: a traditional-script video call, the day "9日" in the dateline\'s month', () => {
    const { verdict, draft } = detectContact(item('c035'), catalog);

    expect(verdict).toBe('contact');
    expect(draft).toMatchObject({
      date: '2025-09-09',
      kind: 'video-call',
      format: 'video',
      level: 'minister',
      participants: [
        { person: 'dong-jun', side: 'PRC' },
        { person: 'pete-hegseth', side: 'US' },
      ],
    });
    expect(detectContact(item('c001'), catalog).draft?.kind).toBe('talks'); // 中美国防部官员举行首次正式磋商
    expect(detectContact(item('c038'), catalog).draft?.date).toBe('2025-11-18'); // 上周二至四（18日至20日）
  });

  it('GIVEN a leaders’ summit agreeing to resume "high-level military communication" (c047) THEN it is not tagged with the defense ministers’ channel', () => {
    const { verdict, draft } = detectContact(item('c047'), catalog);

    expect(verdict).toBe('contact');
    expect(draft?.level).toBe('leaders');
    expect(draft?.mechanisms).toEqual([]);
    expect(draft?.confidence.mechanisms).toBe(0);
  });

  it('GIVEN no publication day THEN an explicit "April 16, 2024" or "16 April 2024" still dates the contact; a relative day does not', () => {
    const undated = (summary: string): FeedItem => {
      const { published: _published, ...rest } = NEW_READOUT;
      return { ...rest, summary };
    };
    const read = (summary: string) => {
      const { draft } = detectContact(undated(summary), catalog);
      return [draft?.date, draft?.confidence.date];
    };

    expect(read('On April 16, 2024, Secretary of War Pete Hegseth spoke by phone with Adm. Dong Jun.')).toEqual([
      '2024-04-16',
      0.85,
    ]);
    expect(read('Secretary of War Pete Hegseth spoke by phone on 16 April 2024 with Adm. Dong Jun.')).toEqual([
      '2024-04-16',
      0.9,
    ]);
    expect(read('Pete Hegseth and Dong Jun held a call on 2024年4月16日.')).toEqual(['2024-04-16', 0.85]);
    // Without a day to read them against, "today", "on Tuesday" and "April 16" name no day.
    expect(read('Secretary of War Pete Hegseth spoke by phone today with Adm. Dong Jun.')).toEqual([undefined, 0]);
    expect(read('Secretary of War Pete Hegseth spoke by phone on Tuesday with Adm. Dong Jun.')).toEqual([undefined, 0]);
    expect(read('Secretary of War Pete Hegseth spoke by phone on April 16 with Adm. Dong Jun.')).toEqual([
      undefined,
      0,
    ]);
  });

  it.each([
    ['c064', 'diplomats (Rubio–Wang Yi by phone)'],
    ['c065', 'diplomats in Chinese (王毅会见…布林肯)'],
    ['c068', 'a defense secretary calling a third country'],
    ['c100', 'the PRC defense minister in talks with Russia (会谈)'],
    ['c057', 'a declined call'],
    ['c072', 'a handshake with no substantive exchange'],
    ['c076', 'PLA drills'],
    ['c083', 'commentary on military communication'],
    ['c093', 'economic officials by video call'],
  ])('%s is not a contact: %s', (id) => {
    expect(detectContact(item(id), catalog).verdict).toBe('not-contact');
  });

  it('says why it turned an item down', () => {
    expect(detectContact(item('c068'), catalog).reasons).toEqual([
      'US: military (lloyd-austin, "US Defense Secretary", "Secretary of Defense")',
      'PRC: none found',
      'contact: "spoke with"',
      'not a US–China military pair',
    ]);
    expect(detectContact(item('c057'), catalog).reasons.at(-1)).toBe(
      'not held: "declined", "request for phone call", "request for a phone call"',
    );
  });

  it('survives hostile text: mentions, markup, controls, and 10 MB of text in bounded time', () => {
    const hostile: FeedItem = {
      title: '<script>alert(1)</script><@U123> @everyone Hegseth\u202e met <b>Dong Jun</b> &amp; talks',
      summary: `${'<div '.repeat(50_000)}${'\u0000'.repeat(1000)}`,
      text: 'x'.repeat(10 * 1024 * 1024),
      published: '2025-10-31',
      url: 'https://example.org/hostile',
    };
    const started = performance.now();
    const result = detectContact(hostile, catalog);
    const elapsed = performance.now() - started;

    expect(result.verdict).toBe('contact');
    expect(result.draft?.participants.map((p) => p.person)).toEqual(['pete-hegseth', 'dong-jun']);
    expect(elapsed).toBeLessThan(2000);
    expect(detectContact({ title: '', url: 'not a url' }, catalog).verdict).toBe('not-contact');
  });
});

describe('groupDrafts and matchRecord', () => {
  const drafts = ['c033', 'c035', 'c036'].flatMap((id) => detectContact(item(id), catalog).draft ?? []);

  it('makes one draft of several reports of one contact, with every source', () => {
    const grouped = groupDrafts(drafts);

    expect(grouped).toHaveLength(2); // the 9 September video call (two reports) and the 31 October meeting
    expect(grouped[0]?.sources.map((s) => s.publisher)).toEqual([
      'Global Times (via GlobalSecurity.org)',
      'CRNTT 中評社 (Xinhua copy)',
    ]);
    expect(grouped[0]?.confidence.participants).toBe(0.9); // the surer report's
    expect(grouped[1]?.kind).toBe('meeting');
  });

  it('suggests adding a source to the event on record, naming only sources it does not cite', () => {
    const [call, meeting] = groupDrafts(drafts);

    expect(call && matchRecord(call, catalog)).toEqual({
      suggestion: 'add-source',
      event: '2025-09-09-hegseth-dong-video-call',
      sources: [], // both already cited
    });
    expect(meeting && matchRecord(meeting, catalog)?.event).toBe('2025-10-31-hegseth-dong-kuala-lumpur-meeting');
    const readout = detectContact(NEW_READOUT, catalog).draft;
    expect(readout && matchRecord(readout, catalog)).toBeUndefined(); // a new contact
  });

  it('reads only the events near the draft’s day, not every event of a catalog from the cache', () => {
    const [call] = groupDrafts(drafts);
    const { lazy, read } = lazyOf(catalog);
    expect(call && matchRecord(call, lazy)?.event).toBe('2025-09-09-hegseth-dong-video-call');
    // The events starting from longestSpan days before the call to two days after it, of the record's 312.
    const day = '2025-09-09';
    const near = catalog.events.filter(
      (e) => e.start >= shiftDays(day, -catalog.longestSpan) && e.start <= shiftDays(day, 2),
    );
    expect(read.map((pos) => catalog.id(pos))).toEqual(near.map((e) => e.id));
    expect(read.length).toBeLessThan(catalog.count / 4);
  });

  it('matches an event still running on the draft’s day, however long before it began', () => {
    const base = fixtureCatalog();
    const {
      start: _s,
      end: _e,
      precision: _p,
      pos: _pos,
      ...talks
    } = base.byId.get('2022-06-10-austin-wei-meeting') as CatalogEvent;
    const long = { ...talks, id: '2023-01-05-long-talks', date: '2023-01-05', endDate: '2023-03-05', file: 'x.yaml' };
    const withLong = indexCatalog(
      [...base.events.map(({ start: _a, end: _b, precision: _c, pos: _d, ...r }) => r), long],
      base.people,
      base.mechanisms,
      base.topics,
      base.coverage,
    );
    expect(withLong.longestSpan).toBe(59); // the fixture's longest was a month-long event's 29
    const draft = (date: string): Draft => ({
      date,
      participants: [],
      mechanisms: ['defense-minister-channel'],
      topics: [],
      sources: [],
      confidence: { date: 1, kind: 0, format: 0, level: 0, participants: 0, mechanisms: 1, topics: 0, readout: 0 },
    });
    expect(matchRecord(draft('2023-02-25'), withLong)?.event).toBe('2023-01-05-long-talks');
    expect(matchRecord(draft('2023-03-08'), withLong)).toBeUndefined(); // past its end, far from its start
  });
});

/** The fields a draft pre-fills, without its source and confidences (asserted elsewhere). */
const fieldsOf = (id: string) => {
  const { verdict, draft, reasons } = detectContact(item(id), catalog);
  if (!draft) return { verdict, reasons };
  const { sources: _sources, confidence: _confidence, ...fields } = draft;
  return { verdict, ...fields };
};

describe('detection quality (issue 15): the article text the watcher fetches, and what it taught', () => {
  it('reads Chinese names of US officials and folds traditional characters (哈利·哈裡斯, 視訊通話)', () => {
    expect(fieldsOf('c116')).toEqual({
      verdict: 'contact',
      date: '2024-09-10',
      kind: 'video-call',
      format: 'video',
      level: 'theater-commander',
      participants: [
        { person: 'samuel-paparo', title: 'Commander, U.S. Indo-Pacific Command (27th)', side: 'US' },
        { person: 'wu-yanan', title: 'Commander, PLA Southern Theater Command', side: 'PRC' },
      ],
      mechanisms: ['theater-commander-talks'],
      topics: ['south-china-sea'],
    });
    expect(fieldsOf('c019')).toMatchObject({
      verdict: 'contact',
      date: '2015-11-03',
      level: 'theater-commander',
      participants: [
        { person: 'fang-fenghui', title: 'Chief of the General Staff, PLA', side: 'PRC' },
        { person: 'harry-harris', title: 'Commander, U.S. Pacific Command', side: 'US' },
      ],
    });
    expect(fold('哈利‧哈裡斯 鄧普西 萊 盧 內 奧斯汀')).toBe('哈利·哈里斯 邓普西 莱 卢 内 奥斯汀');
    // The headline alone (c133): 馬倫 is Mullen, 總參謀長 the PLA's chief of the General Staff.
    const headline = { ...item('c133'), text: undefined };
    expect(detectContact(headline, catalog)).toMatchObject({
      verdict: 'contact',
      draft: { participants: [{ person: 'mike-mullen', side: 'US' }] },
      reasons: ['US: military (mike-mullen)', 'PRC: military ("总参谋长")', 'contact: "会晤"'],
    });
  });

  it('reads a day in Chinese numerals, a Taiwanese 视讯 and 大陆国防部长 (udn.com, 2025-09-11)', () => {
    // The first sentence of https://udn.com/news/story/7331/8997402 as its title.
    const udn: FeedItem = {
      title: '中國大陸國防部長董軍九日晚間應約與美國國防部長赫塞斯視訊通話',
      published: '2025-09-11',
      url: 'https://udn.com/news/story/7331/8997402',
      language: 'zh',
    };
    const { verdict, draft } = detectContact(udn, catalog);
    expect(verdict).toBe('contact');
    expect(draft).toMatchObject({
      date: '2025-09-09',
      kind: 'video-call',
      level: 'minister',
      participants: [
        { person: 'dong-jun', title: 'Minister of National Defense', side: 'PRC' },
        { person: 'pete-hegseth', title: 'Secretary of Defense', side: 'US' },
      ],
    });
    expect(draft?.confidence.date).toBe(0.6);
    expect(['九', '十一', '廿三', '卅一', '三十一', '十十', '零'].map(chineseNumber)).toEqual([
      9,
      11,
      23,
      31,
      31,
      undefined,
      undefined,
    ]);
  });

  it('takes the first day of a range over "today" and "Tuesday" in the same sentence (c040, c043)', () => {
    // "美國印太司令部今天通報，美中海上軍事磋商機制18至20日在檀香山舉行會議"
    expect(fieldsOf('c040')).toMatchObject({ verdict: 'contact', date: '2025-11-18' });
    // "中美軍方高層於本周二及三(9月28及29日),舉行第16輪國防政策協調會談"
    expect(fieldsOf('c043')).toMatchObject({ verdict: 'contact', date: '2021-09-28' });
  });

  it('keeps ranks and abbreviations inside a sentence, and reads "Chinese Lt. Gen." as the PLA (c003)', () => {
    expect(
      prepare({ title: 'T', text: 'Gates meets with Chinese Lt. Gen. Zhang. Adm. Paparo spoke.', url: 'u' }).sentences,
    ).toEqual(['T', 'Gates meets with Chinese Lt. Gen. Zhang.', 'Adm. Paparo spoke.']);
    expect(detectContact(item('c003'), catalog).reasons).toEqual([
      'US: military (robert-gates)',
      'PRC: military ("Chinese Lt. Gen.")',
      'contact: "meets"',
    ]);
  });

  it('resolves an office only when the text does not name its holder, and never to a second holder', () => {
    // "U.S. Defense Secretary Jim Mattis": not also Chuck Hagel, the last Secretary with a known start.
    expect(fieldsOf('c022')).toMatchObject({
      participants: [
        { person: 'wei-fenghe', title: 'State Councilor and Minister of National Defense', side: 'PRC' },
        { person: 'james-mattis', title: 'Secretary of Defense', side: 'US' },
      ],
    });
    // "told his Chinese counterpart … met with Chinese Gen. Xu Caihou": Xu, not the defense minister.
    expect(fieldsOf('c008')).toMatchObject({
      participants: [
        { person: 'robert-gates', title: 'Secretary of Defense', side: 'US' },
        { person: 'xu-caihou', title: 'Vice Chairman, Central Military Commission', side: 'PRC' },
      ],
    });
    // "Chinese President Hu Jintao": the alias "President Hu" no longer hides the full name.
    expect(fieldsOf('c012')).toMatchObject({
      participants: [
        { person: 'hu-jintao', title: "President of the People's Republic of China", side: 'PRC' },
        { person: 'robert-gates', title: 'Secretary of Defense', side: 'US' },
      ],
    });
    // "Charles Q. Brown Jr.": "Brown" is two people's name, so it names neither (not Robert B. Brown).
    expect(fieldsOf('c044')).toMatchObject({
      participants: [
        { person: 'charles-brown', title: 'Chairman of the Joint Chiefs of Staff', side: 'US' },
        { person: 'liu-zhenli', title: 'Chief of the CMC Joint Staff Department', side: 'PRC' },
      ],
    });
  });

  it('gives the title held on the day: Fang Fenghui in 2013 was Chief of the General Staff (c015)', () => {
    expect(fieldsOf('c015')).toMatchObject({
      date: '2013-04-22',
      participants: [
        { person: 'fang-fenghui', title: 'Chief of the General Staff, PLA', side: 'PRC' },
        { person: 'martin-dempsey', title: 'Chairman of the Joint Chiefs of Staff', side: 'US' },
      ],
    });
  });

  it('does not take a hotline or a video tag for a call: 直通电话 (c004), [視頻] and 10號 (c011)', () => {
    expect(fieldsOf('c004')).toMatchObject({ verdict: 'contact', date: '2007-11-05', kind: 'talks' });
    expect(fieldsOf('c011')).toMatchObject({ verdict: 'contact', date: '2010-12-10', kind: 'talks' });
    expect(fieldsOf('c121')).toMatchObject({ verdict: 'contact', kind: 'call' });
  });

  it.each([
    ['c085', 'Taiwan’s 國防部 in a Taiwanese text', 'not a US–China military pair'],
    ['c088', '"US-China military" as a subject, a diplomat’s visit', 'not a US–China military pair'],
    ['c090', 'a leaders’ call, military talks only in the body', 'leaders only, not about military contacts'],
    ['c053', 'exchanges that "would not go ahead"', 'not held: "cancels", "cancelled", "would not go ahead"'],
    ['c055', 'rejected requests', 'not held: "yet to", "rejected", "requests for talks", "wants Austin to meet"'],
    ['c107', 'Bill Gates, after Robert Gates left office', 'not a US–China military pair'],
    ['c109', 'a bare 国防部长 before a US name', 'not a US–China military pair'],
    ['c110', '韩国国防部长官, and a bare 国防部长 beside a US one', 'not a US–China military pair'],
    ['c115', 'a failed meeting', 'not held: "Failed Meeting", "failed to coordinate"'],
    ['c138', 'a handshake at a dinner', 'not held: "shook hands on June 2 during the opening dinner"'],
    ['c149', 'a future meeting being coordinated', 'not held: "future meetings", "next meeting"'],
    [
      'c150',
      'a visit welcomed some day',
      'not held: "Some Day", "welcome to visit", "at an appropriate time", "rejected"',
    ],
    [
      'c137',
      'no formal talks at a forum (the Shangri-La Dialogue is no contact word)',
      'not held: "No formal talks", "expected to", "rebuffed"',
    ],
    ['c112', 'talks reopening', 'not held: "talks reopening", "resuming high-level military communications"'],
  ])('%s is not a contact: %s', (id, _why, last) => {
    const { verdict, reasons } = detectContact(item(id), catalog);
    expect(verdict).toBe('not-contact');
    expect(reasons.at(-1)).toBe(last);
  });

  it('reads "Chinese and U.S. chiefs of staff" as both militaries (c154)', () => {
    expect(fieldsOf('c154')).toMatchObject({ verdict: 'contact', kind: 'call', format: 'phone' });
  });

  it('keeps a leaders’ meeting whose headline is military communications (c047)', () => {
    expect(detectContact(item('c047'), catalog).verdict).toBe('contact');
  });
});
