// Building the catalog: every problem in the data reported at once as file, id, field and reason.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/core/build.js';
import { type DataFile, lastPosOnOrBefore } from '../../src/core/catalog.js';
import { formatDataError } from '../../src/core/errors.js';
import { FIXTURE_DIR, fixture } from '../helpers.js';

/** The fixture's files, with `changes` replacing or adding files by path (undefined removes one). */
function files(changes: Record<string, string | undefined> = {}): DataFile[] {
  const base: Record<string, string | undefined> = {};
  for (const name of ['people.yaml', 'mechanisms.yaml', 'topics.yaml', 'coverage.yaml'])
    base[name] = readFileSync(join(FIXTURE_DIR, name), 'utf8');
  for (const name of readdirSync(join(FIXTURE_DIR, 'events')))
    base[`events/${name}`] = readFileSync(join(FIXTURE_DIR, 'events', name), 'utf8');
  const merged = { ...base, ...changes };
  return Object.entries(merged).flatMap(([path, text]) => (text === undefined ? [] : [{ path, text }]));
}

function errorsOf(changes: Record<string, string | undefined>): string[] {
  const result = buildCatalog(files(changes));
  if (result.ok) throw new Error('expected errors');
  return result.errors.map(formatDataError);
}

const EVENT = (fields: string) => `- id: 2021-03-01-fixture-call
  date: "2021-03-01"
  kind: call
  status: held
  level: minister
  summary: Fixture call.
  sources:
    - {title: Fixture, publisher: Example, url: "https://example.org/x"}
  recordedAt: "2026-11-24"
${fields}`;

describe('buildCatalog', () => {
  it('builds the fixture, events sorted oldest first', async () => {
    const catalog = fixture();
    expect(catalog.events.map((e) => e.id)).toEqual([
      '2022-06-10-austin-wei-meeting',
      '2022-08-05-countermeasures',
      '2023-05-29-meeting-declined',
      '2023-11-00-mmca-working-group',
      '2024-04-16-austin-dong-video-call',
      '2024-05-31-austin-dong-meeting',
      '2024-06-20-planned-talks',
    ]);
    const month = catalog.byId.get('2023-11-00-mmca-working-group');
    expect([month?.start, month?.end, month?.precision]).toEqual(['2023-11-01', '2023-11-30', 'month']);
    expect(catalog.index.person.get('dong-jun')).toEqual([4, 5, 6]);
    expect(lastPosOnOrBefore(catalog, '2024-04-15')).toBe(3);
    expect(lastPosOnOrBefore(catalog, '2020-01-01')).toBe(-1);
  });

  it('reports every schema error in a file at once, with id and field', async () => {
    const errors = errorsOf({
      'events/2021.yaml': `${EVENT('  format: carrier-pigeon\n  participants:\n    - {person: lloyd-austin, side: UK}')}
- id: 2021-04-01-no-sources
  date: "2021-04-01"
  kind: call
  status: held
  level: admiral
  summary: ""
  sources: []
  recordedAt: "2026-11-24"
`,
    });
    expect(errors).toEqual([
      'events/2021.yaml: 2021-03-01-fixture-call: format: "carrier-pigeon" is not one of in-person, video, phone',
      'events/2021.yaml: 2021-03-01-fixture-call: participants.0.side: "UK" is not one of US, PRC',
      'events/2021.yaml: 2021-04-01-no-sources: level: "admiral" is not one of leaders, minister, chief-of-defense, theater-commander, senior-official, working-level',
      'events/2021.yaml: 2021-04-01-no-sources: summary: must not be empty',
      'events/2021.yaml: 2021-04-01-no-sources: sources: needs at least one source',
    ]);
  });

  it('checks references, ids, dates and files across the data', async () => {
    const errors = errorsOf({
      'events/2021.yaml': `${EVENT('  participants:\n    - {person: nobody, side: US}\n  mechanisms: [hotline-x]\n  topics: [weather]\n  endDate: "2021-02-01"')}
- id: 2021-05-02-wrong-date
  date: "2022-05-01"
  kind: call
  status: held
  level: minister
  summary: Fixture.
  sources:
    - {title: Fixture, publisher: Example, url: "https://example.org/y"}
  recordedAt: "2026-11-24"
- id: 2022-06-10-austin-wei-meeting
  date: "2021-06"
  kind: call
  status: held
  level: minister
  summary: Fixture.
  sources:
    - {title: Fixture, publisher: Example, url: "https://example.org/z"}
  recordedAt: "2026-11-24"
`,
      'events/notes.txt.yaml': '- x',
    });
    expect(errors).toEqual([
      'events/2021.yaml: 2021-05-02-wrong-date: date: 2022-05-01 is not in 2021; move the event to events/2022.yaml',
      'events/notes.txt.yaml: unexpected file; data/ holds events/YYYY.yaml, people.yaml, mechanisms.yaml, topics.yaml and coverage.yaml',
      'events/2021.yaml: 2022-06-10-austin-wei-meeting: id: duplicate id (also in events/2022.yaml)',
      'events/2021.yaml: 2021-03-01-fixture-call: endDate: 2021-02-01 is before the date 2021-03-01',
      'events/2021.yaml: 2021-03-01-fixture-call: participants.0.person: unknown person "nobody"; add it to people.yaml or use "name"',
      'events/2021.yaml: 2021-03-01-fixture-call: mechanisms.0: unknown mechanism "hotline-x"; see mechanisms.yaml',
      'events/2021.yaml: 2021-03-01-fixture-call: topics.0: unknown topic "weather"; see topics.yaml',
      'events/2021.yaml: 2021-05-02-wrong-date: id: must start with the event date 2022-05-01 (day 00 when only the month is known)',
      'events/2021.yaml: 2022-06-10-austin-wei-meeting: id: must start with the event date 2021-06-00 (day 00 when only the month is known)',
      'events/2021.yaml: 2022-06-10-austin-wei-meeting: date: gives only the month; give the day, or say under uncertain.date why no source gives it',
    ]);
  });

  it('reports YAML syntax errors with line and column and missing files, once each, not at every use', async () => {
    expect(errorsOf({ 'topics.yaml': '- id: taiwan\n  label: [unclosed\n', 'people.yaml': undefined })).toEqual([
      'people.yaml: file is missing',
      'topics.yaml: line 3, column 1: not valid YAML: unexpected end of the stream within a flow collection',
    ]);
  });

  it('checks the references of a record that is invalid for another reason, in the same run', async () => {
    expect(
      errorsOf({ 'events/2021.yaml': EVENT('  kind: vist\n  topics: [weather]').replace('  kind: call\n', '') }),
    ).toEqual([
      'events/2021.yaml: 2021-03-01-fixture-call: kind: "vist" is not one of call, video-call, meeting, talks, visit, exercise, port-call, agreement, request-refused, cancellation, suspension, resumption, statement, personnel, incident, other',
      'events/2021.yaml: 2021-03-01-fixture-call: topics.0: unknown topic "weather"; see topics.yaml',
    ]);
  });

  it('says plainly what is missing, and refuses a file that is not a list', async () => {
    expect(
      errorsOf({
        'events/2021.yaml': EVENT('').replace('  summary: Fixture call.\n', ''),
        'topics.yaml': 'id: taiwan\n',
      }),
    ).toEqual([
      'topics.yaml: must be a list of records, each starting with "- "',
      'events/2021.yaml: 2021-03-01-fixture-call: summary: is required',
    ]);
  });

  it('reports an invalid record once, not again where it is referenced', async () => {
    const people = readFileSync(join(FIXTURE_DIR, 'people.yaml'), 'utf8').replace('side: PRC', 'side: ROC');
    expect(errorsOf({ 'people.yaml': people })).toEqual(['people.yaml: dong-jun: side: "ROC" is not one of US, PRC']);
  });

  it('refuses duplicate keys, unknown fields, impossible dates and bad URLs', async () => {
    const errors = errorsOf({
      'events/2021.yaml': `${EVENT('  colour: red\n  dateBeijing: "2021-02-30"')}\n`.replace(
        'url: "https://example.org/x"',
        'url: "example.org/x"',
      ),
      'topics.yaml': '- id: taiwan\n  label: Taiwan\n  label: Taiwan again\n',
    });
    expect(errors).toContain(
      'events/2021.yaml: 2021-03-01-fixture-call: colour: unknown field; check its spelling against docs/DATA.md',
    );
    expect(errors).toContain('events/2021.yaml: 2021-03-01-fixture-call: dateBeijing: is not a real calendar date');
    expect(errors).toContain(
      'events/2021.yaml: 2021-03-01-fixture-call: sources.0.url: must be an http(s) URL with no spaces',
    );
    expect(errors).toContain('topics.yaml: line 3, column 3: not valid YAML: duplicated mapping key');
  });

  it.each([
    'https://en.people.cn./102774/8317557.html',
    'http://hkcna.hk.:8080/x',
    'https://example.org.?q=1',
    'https://www.reuters.com｡/x',
    'https://www.reuters.com。/x',
    'https://www.reuters.com．/x',
  ])('refuses a host name ending with a dot: %s', (url) => {
    const errors = errorsOf({
      'events/2021.yaml': `${EVENT('')}\n`.replace('url: "https://example.org/x"', `url: "${url}"`),
    });
    expect(errors).toEqual([
      'events/2021.yaml: 2021-03-01-fixture-call: sources.0.url: has a dot at the end of its host name ("example.org./…", or a full-width 。．｡); remove it',
    ]);
  });

  it('refuses a title the person did not hold on the day, and accepts one that contains it', async () => {
    const events = readFileSync(join(FIXTURE_DIR, 'events', '2024.yaml'), 'utf8').replace(
      '    - {person: dong-jun, side: PRC}\n  topics: [taiwan, south-china-sea]',
      '    - {person: dong-jun, title: "Commander, PLA Navy", side: PRC}\n  topics: [taiwan, south-china-sea]',
    );
    expect(errorsOf({ 'events/2024.yaml': events })).toEqual([
      'events/2024.yaml: 2024-04-16-austin-dong-video-call: participants.1.title: "Commander, PLA Navy" does not agree with Dong Jun\'s positions on 2024-04-16 (Minister of National Defense); fix the title or the dates in people.yaml, or add the title as a position alias',
    ]);
    const adm = events.replace('title: "Commander, PLA Navy"', 'title: "Adm., Minister of National Defense"');
    expect(buildCatalog(files({ 'events/2024.yaml': adm })).ok).toBe(true);
  });

  it('warns of a level no participant held, of an event cited only from copies, and of an undated source', async () => {
    const text = `${readFileSync(join(FIXTURE_DIR, 'events', '2024.yaml'), 'utf8')}
- id: 2024-05-01-austin-dong-leaders
  date: "2024-05-01"
  kind: call
  status: held
  level: leaders
  participants:
    - {person: lloyd-austin, side: US}
    - {person: dong-jun, side: PRC}
  summary: Fixture, filed a level too high.
  sources:
    - {title: Fixture, publisher: Some Blog, url: "https://blog.invalid-mirror.net/copy"}
  recordedAt: "2026-11-24"
`;
    const result = buildCatalog(files({ 'events/2024.yaml': text }));
    if (!result.ok) throw new Error('expected a catalog');
    expect(result.warnings.map(formatDataError)).toEqual([
      'events/2024.yaml: 2024-05-01-austin-dong-leaders: level: filed as leaders, but no participant held a leaders post on 2024-05-01 (the highest was minister); check the level',
      'events/2024.yaml: 2024-05-01-austin-dong-leaders: sources: every source is a copy or aggregator; add the official readout or a wire or paper-of-record story (docs/DATA.md, Sources)',
      'events/2024.yaml: 2024-05-01-austin-dong-leaders: sources.0.date: missing; give the publication date the page shows (YYYY-MM-DD, or YYYY-MM)',
    ]);
  });

  it('reads the level a title states, and puts deputies below it', async () => {
    const { levelOfTitle } = await import('../../src/core/consistency.js');
    expect(levelOfTitle('Secretary of Defense')).toBe('minister');
    expect(levelOfTitle('Adm., Minister of National Defense')).toBe('minister');
    expect(levelOfTitle('Vice Chairman, Central Military Commission')).toBe('minister');
    expect(levelOfTitle('Chairman of the Joint Chiefs of Staff')).toBe('chief-of-defense');
    expect(levelOfTitle('Commander, U.S. Indo-Pacific Command')).toBe('theater-commander');
    expect(levelOfTitle('Commander, Southern Theater Command')).toBe('theater-commander');
    expect(levelOfTitle('Deputy Secretary of Defense')).toBe('senior-official');
    expect(levelOfTitle('Deputy Chief of the CMC Joint Staff Department')).toBe('senior-official');
    expect(levelOfTitle("Vice President of the People's Republic of China")).toBe('senior-official');
    expect(levelOfTitle('Deputy Assistant Secretary of Defense for China')).toBe('senior-official');
    expect(levelOfTitle('Director, CMC Office for International Military Cooperation')).toBeUndefined();
    expect(levelOfTitle('President')).toBe('leaders');
  });

  it("refuses a readout mark on a copy: only a government's own page is its readout", async () => {
    const text = `${readFileSync(join(FIXTURE_DIR, 'events', '2024.yaml'), 'utf8')}
- id: 2024-05-02-marked-copy
  date: "2024-05-02"
  kind: call
  status: held
  level: minister
  summary: Fixture, a readout copied elsewhere.
  sources:
    - {title: Readout, publisher: Mirror (DoD readout), url: "https://mirror-news.net/readout", readout: US}
    - {title: Readout, publisher: DoD, url: "https://www.defense.gov/News/Releases/Release/Article/1/", readout: US}
  recordedAt: "2026-11-24"
`;
    expect(errorsOf({ 'events/2024.yaml': text })).toEqual([
      "events/2024.yaml: 2024-05-02-marked-copy: sources.0.readout: marks a US official readout, but mirror-news.net is not a government's own site; remove the mark (a copy names the original in publisher), or cite the official page",
    ]);
  });

  it('warns of a likely duplicate: same day, same people', async () => {
    const twice = `${readFileSync(join(FIXTURE_DIR, 'events', '2024.yaml'), 'utf8')}
- id: 2024-04-16-austin-dong-call-again
  date: "2024-04-16"
  kind: call
  status: held
  level: minister
  participants:
    - {person: dong-jun, side: PRC}
    - {person: lloyd-austin, side: US}
  summary: Fixture, the same call recorded again.
  sources:
    - {title: Fixture, publisher: Example, url: "https://example.org/again"}
  recordedAt: "2026-11-24"
`;
    const result = buildCatalog(files({ 'events/2024.yaml': twice }));
    expect(result.ok && result.warnings.map(formatDataError)).toEqual([
      'events/2024.yaml: 2024-04-16-austin-dong-video-call: likely the same event as 2024-04-16-austin-dong-call-again (same day, same people)',
    ]);
  });

  it('checks mechanism history: known events, oldest first', async () => {
    const mechanisms = readFileSync(join(FIXTURE_DIR, 'mechanisms.yaml'), 'utf8')
      .replace('event: 2022-08-05-countermeasures', 'event: 2022-08-05-no-such-event')
      .replace('date: "2023-11-15"', 'date: "2001-01-01"');
    expect(errorsOf({ 'mechanisms.yaml': mechanisms })).toEqual([
      'mechanisms.yaml: mmca: history.1.event: unknown event "2022-08-05-no-such-event"',
      'mechanisms.yaml: mmca: history.2.date: 2001-01-01 is earlier than the entry before it; keep history oldest first',
    ]);
  });
});
