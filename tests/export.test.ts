// Exports (CSV, JSON, ICS, Atom): exact outputs on the fixture, and each parsed back by a library that did not write it.
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { type Catalog, type CatalogEvent, catalogEvent, indexCatalog } from '../src/core/catalog.js';
import { UserError } from '../src/core/errors.js';
import { type EventInput, EventSchema } from '../src/core/schema.js';
import { contentHash, type LogEntry, recordOf } from '../src/events/log.js';
import { atomEntryId } from '../src/export/atom.js';
import { CSV_COLUMNS } from '../src/export/csv.js';
import { type ExportFormat, exportEvents } from '../src/export/index.js';
import { type ExportEvent, withoutRevisions, withRevisions } from '../src/export/revisions.js';
import { lineOf, selectEvents, usageMessage } from '../src/export/select.js';
import { fixture, runCommand } from './helpers.js';

const NOW = '2024-06-30';
const GENERATED = '2026-12-01T12:00:00.000Z';

/** The export of the fixture events matching `line`, as the CLI makes it without an event log. */
async function exported(format: ExportFormat, line: string, catalog: Catalog = fixture()): Promise<string> {
  const selection = selectEvents(catalog, line, NOW);
  return exportEvents(format, {
    catalog,
    events: withoutRevisions(selection.events),
    filter: selection.filter,
    scope: selection.scope,
    generated: GENERATED,
  });
}

/** An export of given events (with or without revisions). */
function exportOf(format: ExportFormat, events: ExportEvent[], catalog: Catalog = fixture()): Promise<string> {
  return exportEvents(format, { catalog, events, filter: '', scope: [], generated: GENERATED });
}

/** The VEVENTs of an ICS text, parsed by ical.js. */
function vevents(ics: string): ICAL.Event[] {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
}

/** Rows of a CSV text, parsed by Papa Parse (header row first). */
function csvRows(csv: string): string[][] {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { newline: '\r\n', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('selecting events: the /timeline filters', () => {
  it('GIVEN /timeline filter words THEN the export holds every event /timeline lists, in the same order', async () => {
    const reply = await runCommand('/timeline level:minister', NOW);
    const listed = reply.blocks.flatMap((b) => (b.type === 'list' ? b.items.map((i) => i.split(' · ').at(-1)) : []));
    expect(selectEvents(fixture(), 'level:minister', NOW).events.map((e) => e.id)).toEqual(listed);
  });

  it('GIVEN since:, before:, order: and bare topic words THEN they mean what they mean for /timeline', () => {
    const ids = (line: string) => selectEvents(fixture(), line, NOW).events.map((e) => e.id);
    expect(ids('taiwan since:2022-07-01 before:2024-05-01 order:oldest')).toEqual([
      '2022-08-05-countermeasures',
      '2024-04-16-austin-dong-video-call',
    ]);
    expect(selectEvents(fixture(), 'person:"Dong Jun" level:minister', NOW).filter).toBe(
      'level:minister person:"Dong Jun"',
    );
  });

  it.each(['levle:minister', 'kind:callz', 'since:2099-01-01', 'person:"Nobody Known"', 'page:2'])(
    'GIVEN the bad filter %s THEN it throws the UserError /timeline gives, with an example',
    async (line) => {
      let error: unknown;
      try {
        selectEvents(fixture(), line, NOW);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UserError);
      const message = (error as UserError).message;
      if (!line.startsWith('page:')) {
        // The same words as /timeline's answer (which names /timeline where the export names /export, and lists page:).
        const reply = await runCommand(`/timeline ${line}`, NOW);
        const first = reply.blocks[0];
        const words = (text: string) => text.replace('/export', '/timeline').replace(/ Its options.*/, '');
        expect(reply.tone).toBe('error');
        expect(first?.type === 'text' ? words(first.text) : undefined).toBe(words(message));
      }
      expect(usageMessage(error as UserError, 'csv')).toMatch(/\nFor example: hotline export --format csv \S/);
    },
  );

  it('GIVEN words the shell unquoted (person:"Dong Jun" arrives as person:Dong Jun) THEN they stay one value', () => {
    expect(lineOf(['person:Dong Jun', 'taiwan', 'level:minister'])).toBe('person:"Dong Jun" taiwan level:minister');
    expect(selectEvents(fixture(), lineOf(['person:Dong Jun']), NOW).events).toHaveLength(3);
  });
});

describe('CSV', () => {
  it('GIVEN two fixture events THEN it writes exactly this: BOM, CRLF, Chinese names, quoted cells', async () => {
    const csv = await exported('csv', 'person:"Dong Jun" since:2024-05-01');
    expect(csv).toBe(
      [
        '\uFEFFid,date,end_date,date_beijing,title,summary,kind,status,format,level,location,mechanisms,participants,topics,us_readout,prc_readout,sources,uncertain,recorded_at,revision',
        '2024-06-20-planned-talks,2024-06-20,,,Talks (scheduled): Dong Jun,Fixture talks announced but not confirmed.,talks,scheduled,,minister,,,"Dong Jun 董军 (Minister of National Defense, PRC)",,,,https://example.org/announced,,2026-11-24,',
        '2024-05-31-austin-dong-meeting,2024-05-31,,,Meeting: Lloyd Austin – Dong Jun,"Fixture meeting in Singapore, the second.",meeting,held,in-person,minister,Singapore,Defense minister channel,"Lloyd Austin (Secretary of Defense, US); Dong Jun 董军 (Minister of National Defense, PRC)",South China Sea,,,https://example.org/meeting-2,,2026-11-24,',
        '',
      ].join('\r\n'),
    );
  });

  it('GIVEN every fixture event THEN Papa Parse reads back one row per event, cell for cell', async () => {
    const catalog = fixture();
    const rows = csvRows(await exported('csv', ''));
    expect(rows[0]).toEqual(CSV_COLUMNS);
    const events = selectEvents(catalog, '', NOW).events;
    expect(rows.slice(1).map((r) => r[0])).toEqual(events.map((e) => e.id));
    const video = rows.find((r) => r[0] === '2024-04-16-austin-dong-video-call') as string[];
    const cell = (name: string) => video[CSV_COLUMNS.indexOf(name)];
    expect(cell('us_readout')).toBe('https://example.org/us-readout');
    expect(cell('prc_readout')).toBe('https://example.org/prc-readout');
    expect(cell('sources')).toBe('https://example.org/us-readout\nhttps://example.org/prc-readout');
    expect(cell('topics')).toBe('Taiwan; South China Sea');
  });
});

describe('JSON', () => {
  it('GIVEN a selection THEN it is { version, generated, filter, events } with each event valid against EventSchema', async () => {
    const document = JSON.parse(await exported('json', 'level:minister'));
    expect(Object.keys(document)).toEqual(['version', 'generated', 'filter', 'events']);
    expect(document).toMatchObject({ version: 1, generated: GENERATED, filter: 'level:minister' });
    const catalog = fixture();
    for (const event of document.events) {
      // Valid, and exactly the record the catalog holds: nothing derived added, nothing dropped.
      expect(EventSchema.parse(event)).toEqual(event);
      expect(event).toEqual(recordOf(catalog.byId.get(event.id) as CatalogEvent));
    }
    expect(document.events.map((e: { id: string }) => e.id)).toEqual(
      selectEvents(catalog, 'level:minister', NOW).events.map((e) => e.id),
    );
  });
});

describe('ICS', () => {
  it('GIVEN one fixture event THEN it writes exactly this calendar', async () => {
    const ics = await exported('ics', 'person:"Dong Jun" since:2024-06-01');
    expect(ics).toBe(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//Hotline//Export//EN',
        'NAME:Hotline: US–China military contacts',
        'X-WR-CALNAME:Hotline: US–China military contacts',
        'BEGIN:VEVENT',
        'UID:2024-06-20-planned-talks@hotline',
        'SEQUENCE:0',
        'DTSTAMP:20261124T000000Z',
        'DTSTART;VALUE=DATE:20240620',
        'DTEND;VALUE=DATE:20240621',
        'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE',
        'X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT:TRUE',
        'SUMMARY:Talks (scheduled): Dong Jun',
        'TRANSP:TRANSPARENT',
        'DESCRIPTION:Fixture talks announced but not confirmed.\\n\\nWhen: 20 June 20',
        ' 24\\nWho: Dong Jun 董军 (Minister of National Defense\\, PRC)\\nHow: talks\\',
        ' , scheduled\\nLevel: minister\\n\\nSources:\\nFixture announcement — Example',
        '  News: https://example.org/announced\\n\\nHotline event 2024-06-20-planned-t',
        ' alks',
        'CATEGORIES:talks,minister',
        'URL;VALUE=URI:https://example.org/announced',
        'STATUS:TENTATIVE',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
  });

  it('GIVEN every fixture event THEN ical.js reads one all-day event each, ending the day after the last day', async () => {
    const catalog = fixture();
    const events = selectEvents(catalog, '', NOW).events;
    const parsed = vevents(await exported('ics', ''));
    expect(parsed.map((e) => e.uid)).toEqual(events.map((e) => `${e.id}@hotline`));
    for (const [i, vevent] of parsed.entries()) {
      const event = events[i] as CatalogEvent;
      expect(vevent.startDate.isDate).toBe(true);
      expect(vevent.startDate.toString()).toBe(event.start);
      const after = new Date(`${event.end}T00:00:00Z`);
      after.setUTCDate(after.getUTCDate() + 1);
      expect(vevent.endDate.toString()).toBe(after.toISOString().slice(0, 10));
      expect(vevent.sequence).toBe(0);
      expect(vevent.description).toContain(event.summary);
      for (const source of event.sources) expect(vevent.description).toContain(source.url);
    }
  });

  it('GIVEN a month-precision event THEN it spans the month and says the day is not reported', async () => {
    const month = fixture().events.find((e) => e.precision === 'month');
    expect(month).toBeDefined();
    const [vevent] = vevents(await exportOf('ics', withoutRevisions([month as CatalogEvent])));
    expect(vevent?.summary).toMatch(/\(day not reported\)$/);
    expect(vevent?.startDate.toString()).toBe(month?.start);
  });
});

describe('Atom', () => {
  it('GIVEN a selection THEN a feed parser reads it: newest first, one entry per event, stable ids, links to sources', async () => {
    const catalog = fixture();
    const xml = await exported('atom', 'topic:taiwan');
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parseFeed(xml);
    const events = selectEvents(catalog, 'topic:taiwan', NOW).events;
    expect(feed.title).toBe('Hotline: US–China military contacts · Taiwan');
    expect(feed.items.map((i) => i.id)).toEqual(events.map((e) => atomEntryId(e.id)));
    expect(feed.items[0]?.title).toBe('16 April 2024 · Video call: Lloyd Austin – Dong Jun');
    expect(feed.items[0]?.url).toBe('https://example.org/us-readout');
    expect(feed.items[0]?.content).toContain('href="https://example.org/prc-readout"');
    expect(feed.items[0]?.content).toContain('Dong Jun 董军');
    expect(feed.items[0]?.updated?.toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('GIVEN a public URL THEN entries link to the event pages there', async () => {
    const catalog = fixture();
    const [event] = catalog.events;
    const xml = await exportEvents('atom', {
      catalog,
      events: withoutRevisions([event as CatalogEvent]),
      filter: '',
      scope: [],
      generated: GENERATED,
      publicUrl: 'https://hotline.example.org/',
    });
    expect(parseFeed(xml).items[0]?.url).toBe(`https://hotline.example.org/events/${event?.id}`);
  });
});

describe('revisions from the event log', () => {
  const catalog = fixture();
  const event = catalog.byId.get('2024-04-16-austin-dong-video-call') as CatalogEvent;
  const current = recordOf(event);
  const first = { ...current, summary: 'Fixture video call, first version.' };
  const entry = (seq: number, revision: number, record: typeof current, at: string): LogEntry => ({
    seq,
    id: record.id,
    revision,
    hash: contentHash(record),
    recordedAt: at,
    event: record,
  });
  const log = [entry(1, 1, first, '2026-11-24T08:00:00.000Z'), entry(7, 2, current, '2026-11-30T09:30:00.000Z')];

  it('GIVEN a corrected event THEN ICS carries SEQUENCE 1 and DTSTAMP of the correction, under the same UID', async () => {
    const [vevent] = vevents(await exportOf('ics', withRevisions([event], log)));
    expect(vevent?.uid).toBe(`${event.id}@hotline`);
    expect(vevent?.sequence).toBe(1);
    expect(vevent?.component.getFirstPropertyValue('dtstamp')?.toString()).toBe('2026-11-30T09:30:00Z');
  });

  it('GIVEN a corrected event THEN Atom has one entry per revision, the correction first, and CSV and JSON say revision 2', async () => {
    const items = withRevisions([event], log);
    const feed = parseFeed(await exportOf('atom', items));
    expect(feed.items.map((i) => i.id)).toEqual([atomEntryId(event.id, 2), atomEntryId(event.id)]);
    expect(feed.items[0]?.title).toMatch(/^Corrected \(revision 2\): 16 April 2024/);
    expect(feed.items[1]?.content).toContain('Fixture video call, first version.');
    const rows = csvRows(await exportOf('csv', items));
    expect(rows[1]?.at(-1)).toBe('2');
    expect(JSON.parse(await exportOf('json', items)).revisions).toEqual({ [event.id]: 2 });
  });

  it('GIVEN data/ changed an event since it was last published THEN it is the next revision, not yet published', () => {
    const [item] = withRevisions([event], [log[0] as LogEntry]);
    expect(item?.revisions.map((r) => [r.number, r.publishedAt])).toEqual([
      [1, '2026-11-24T08:00:00.000Z'],
      [2, undefined],
    ]);
    expect(withRevisions([event], [])[0]?.revisions.map((r) => r.number)).toEqual([1]);
  });
});

describe('hostile text', () => {
  const SCRIPT = '<script>alert("x")</script>';
  const FORMULA = "=cmd|' /C calc'!A0";
  const summary = `${FORMULA}, "quoted", a comma,\nnew line ]]> ${SCRIPT} 国防部长 董军`;
  const record: EventInput = {
    id: '2024-03-01-hostile',
    date: '2024-03-01',
    kind: 'meeting',
    status: 'held',
    level: 'minister',
    location: '@SUM(1+1)',
    participants: [
      { name: '+HYPERLINK("https://evil.example")', side: 'US' },
      { person: 'dong-jun', side: 'PRC', title: `-Minister ${SCRIPT}` },
    ],
    summary,
    sources: [
      {
        title: `Readout "${SCRIPT}"`,
        publisher: 'Pub, & Co',
        url: 'https://example.org/a?b=1&c=%22x%22',
        readout: 'US',
      },
    ],
    recordedAt: '2024-03-02',
  };
  /** A catalog of the fixture's people and topics plus the hostile record (with bidi marks where `bidi`). */
  function hostileCatalog(bidi: boolean): Catalog {
    const base = fixture();
    const input = bidi ? { ...record, summary: `\u202E${summary}\u2066` } : record;
    const parsed = bidi ? (input as ReturnType<typeof EventSchema.parse>) : EventSchema.parse(input);
    return indexCatalog(
      [{ ...parsed, mechanisms: [], topics: [], file: 'hostile.yaml' }],
      base.people,
      base.mechanisms,
      base.topics,
      base.coverage,
    );
  }

  it.each([false, true])(
    'GIVEN quotes, commas, newlines, formulas, <script>, Chinese (bidi marks: %s) THEN CSV round-trips with formulas defused',
    async (bidi) => {
      const catalog = hostileCatalog(bidi);
      const rows = csvRows(await exportOf('csv', withoutRevisions(catalog.events), catalog));
      const cell = (name: string) => rows[1]?.[CSV_COLUMNS.indexOf(name)];
      expect(rows).toHaveLength(2);
      expect(cell('summary')).toBe(`'${summary}`);
      expect(cell('location')).toBe("'@SUM(1+1)");
      expect(cell('participants')).toBe(
        `'+HYPERLINK("https://evil.example") (US); Dong Jun 董军 (-Minister ${SCRIPT}, PRC)`,
      );
      expect(cell('us_readout')).toBe('https://example.org/a?b=1&c=%22x%22');
    },
  );

  it.each([false, true])(
    'GIVEN hostile text (bidi marks: %s) THEN ical.js reads it back as the same text',
    async (bidi) => {
      const catalog = hostileCatalog(bidi);
      const [vevent] = vevents(await exportOf('ics', withoutRevisions(catalog.events), catalog));
      expect(vevent?.location).toBe('@SUM(1+1)');
      expect(vevent?.description.startsWith(`${summary}\n\n`)).toBe(true);
      expect(vevent?.summary).toBe('Meeting: Dong Jun');
    },
  );

  it.each([false, true])(
    'GIVEN hostile text (bidi marks: %s) THEN the Atom feed is well-formed and shows it as text',
    async (bidi) => {
      const catalog = hostileCatalog(bidi);
      const xml = await exportOf('atom', withoutRevisions(catalog.events), catalog);
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).not.toContain('<script>');
      expect(xml).not.toMatch(/[\u202E\u2066]/);
      // The content is HTML a reader renders: every tag from the data is escaped there, so it shows as text.
      const raw = new XMLParser().parse(xml).feed.entry.content as string;
      expect(raw).not.toContain('<script');
      expect(raw).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
      const [item] = parseFeed(xml).items;
      expect(item?.content).toContain('国防部长 董军');
      expect(item?.url).toBe('https://example.org/a?b=1&c=%22x%22');
    },
  );

  it('GIVEN hostile text THEN the JSON export is the record itself, still valid against the schema', async () => {
    const catalog = hostileCatalog(false);
    const [event] = JSON.parse(await exportOf('json', withoutRevisions(catalog.events), catalog)).events;
    expect(EventSchema.parse(event)).toEqual(event);
    expect(event.summary).toBe(summary);
  });

  it('GIVEN noncharacters and a lone surrogate in a record THEN the schema refuses them and the Atom feed has none', async () => {
    // What XML forbids: U+FFFE, U+FFFF, U+FDD0, a surrogate half. One of them made the whole feed unreadable.
    const marked = `${summary}\uFFFE\uFFFF\uFDD0\uD800`;
    expect(() => EventSchema.parse({ ...record, summary: marked })).toThrow(
      'contains an invisible or control character (U+FFFE); delete it',
    );
    const base = fixture();
    const parsed = { ...(EventSchema.parse(record) as ReturnType<typeof EventSchema.parse>), summary: marked };
    const catalog = indexCatalog(
      [{ ...parsed, mechanisms: [], topics: [], file: 'hostile.yaml' }],
      base.people,
      base.mechanisms,
      base.topics,
      base.coverage,
    );
    const xml = await exportOf('atom', withoutRevisions(catalog.events), catalog);
    expect(xml).not.toMatch(/[\uFFFE\uFFFF\uFDD0]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(parseFeed(xml).items[0]?.content).toContain('国防部长 董军');
  });

  it('GIVEN bidi marks in a record THEN the JSON export drops them, as every renderer does', async () => {
    const catalog = hostileCatalog(true);
    const [event] = JSON.parse(await exportOf('json', withoutRevisions(catalog.events), catalog)).events;
    expect(event.summary).toBe(summary);
    expect(catalogEvent(EventSchema.parse(event), 'x').summary).toBe(summary);
  });
});
