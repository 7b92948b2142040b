// /export as a command (commands/export.ts): the answer, the file it carries (the same bytes `hotline export` writes
// from data/ alone), the limit in the bot's process, the console and `hotline ask` writing the file.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ICAL from 'ical.js';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticData } from '../bench/synthetic.js';
import { CHAT_EXPORT_LIMIT, exportFileName, withExportRevisions } from '../commands/export.js';
import { COMMANDS } from '../commands/index.js';
import { runConsole } from '../src/console/console.js';
import { EXPORT_DIR } from '../src/console/files.js';
import { buildCatalog } from '../src/core/build.js';
import type { CatalogEvent } from '../src/core/catalog.js';
import { withPublicUrl } from '../src/core/command.js';
import { ask } from '../src/core/dispatch.js';
import { packageRoot } from '../src/dataFiles.js';
import { contentHash, type LogEntry, recordOf } from '../src/events/log.js';
import { exportEvents } from '../src/export/index.js';
import { withoutRevisions, withRevisions } from '../src/export/revisions.js';
import { selectEvents } from '../src/export/select.js';
import { fixture, runCommand, runProcess, transcript } from './helpers.js';

const NOW = '2024-06-30';
// Only the files these tests write: other test files write theirs in the same folder at the same time.
afterAll(() => {
  for (const name of ['hotline-events-taiwan.atom', 'hotline-events-person-dong-jun.csv']) {
    rmSync(join(packageRoot(), EXPORT_DIR, name), { force: true });
  }
});

describe('/export', () => {
  it('GIVEN csv and filters THEN it answers exactly this, privately, with the file attached', async () => {
    expect(await transcript('/export csv level:minister', NOW)).toBe(
      [
        'Export · CSV · 6 events',
        '───────────────────────',
        '6 events (minister level) as CSV (opens in a spreadsheet): the file is sent to you alone.',
        '',
        'The whole record, without a limit: hotline export --format csv level:minister',
        '',
        "As of 30 June 2024 · each event's sources are in the file",
      ].join('\n'),
    );
    const reply = await runCommand('/export csv level:minister', NOW);
    expect(reply.file).toMatchObject({
      name: 'hotline-events-level-minister.csv',
      mediaType: 'text/csv',
      alt: 'Hotline export: 6 events (minister level) as CSV (opens in a spreadsheet)',
    });
  });

  it.each(['csv', 'json', 'ics', 'atom'] as const)(
    'GIVEN %s THEN the file is byte for byte what the export of the same selection from data/ alone writes',
    async (format) => {
      const catalog = fixture();
      const reply = await runCommand(`/export ${format} taiwan since:2022-01-01`, NOW, catalog);
      const selection = selectEvents(catalog, 'taiwan since:2022-01-01', NOW);
      const expected = await exportEvents(format, {
        catalog,
        events: withoutRevisions(selection.events),
        filter: selection.filter,
        scope: selection.scope,
        generated: `${NOW}T00:00:00.000Z`,
      });
      expect(reply.file?.text).toBe(expected);
      expect(reply.file?.name).toBe(`hotline-events-taiwan-since-2022-01-01.${format}`);
    },
  );

  it('GIVEN a public URL THEN the answer names the web view’s export of the same selection', async () => {
    const { reply } = await ask('/export ics taiwan level:minister', {
      catalog: fixture(),
      commands: withPublicUrl(COMMANDS, 'https://hotline.example.org/'),
      now: NOW,
    });
    const texts = reply.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));
    expect(texts[1]).toBe(
      'The same selection, always current: https://hotline.example.org/events.ics?topic=taiwan&level=minister',
    );
  });

  it('GIVEN the event log’s revisions (withExportRevisions, with or under withPublicUrl) THEN the file carries them', async () => {
    const catalog = fixture();
    const event = catalog.byId.get('2024-04-16-austin-dong-video-call') as CatalogEvent;
    const first = { ...recordOf(event), summary: 'Fixture video call, first version.' };
    const log: LogEntry[] = [
      {
        seq: 1,
        id: event.id,
        revision: 1,
        hash: contentHash(first),
        recordedAt: '2026-11-24T08:00:00.000Z',
        event: first,
      },
      {
        seq: 2,
        id: event.id,
        revision: 2,
        hash: contentHash(recordOf(event)),
        recordedAt: '2026-11-30T09:30:00.000Z',
        event: recordOf(event),
      },
    ];
    const reader = async (events: readonly CatalogEvent[]) => withRevisions(events, log);
    for (const commands of [
      withPublicUrl(withExportRevisions(COMMANDS, reader), 'https://hotline.example.org'),
      withExportRevisions(withPublicUrl(COMMANDS, 'https://hotline.example.org'), reader),
    ]) {
      const { reply } = await ask('/export ics person:"Dong Jun" before:2024-05-01', { catalog, commands, now: NOW });
      const vevents = new ICAL.Component(ICAL.parse(reply.file?.text ?? ''))
        .getAllSubcomponents('vevent')
        .map((c) => new ICAL.Event(c));
      expect(vevents.map((v) => [v.uid, v.sequence])).toEqual([[`${event.id}@hotline`, 1]]);
      expect(vevents[0]?.component.getFirstPropertyValue('url')).toBe(`https://hotline.example.org/events/${event.id}`);
    }
    // Without it: as `hotline export --data-only`.
    const plain = await runCommand('/export ics person:"Dong Jun" before:2024-05-01', NOW, catalog);
    expect(plain.file?.text).toContain('SEQUENCE:0\r\n');
  });

  it('GIVEN no event matching THEN the file is an empty export, and the answer says so', async () => {
    const reply = await runCommand('/export json kind:exercise before:2000-01-01', NOW);
    const first = reply.blocks[0];
    expect(first?.type === 'text' ? first.text : '').toBe(
      '0 events (exercise) as JSON (the records as in the schema): the file is sent to you alone. No event matches these filters; the file holds none.',
    );
    expect(JSON.parse(reply.file?.text ?? '').events).toEqual([]);
  });

  it(`GIVEN more than ${CHAT_EXPORT_LIMIT} events THEN it refuses, with a narrower example and the command line for all`, async () => {
    const built = buildCatalog(syntheticData(CHAT_EXPORT_LIMIT + 200));
    if (!built.ok) throw new Error('synthetic data invalid');
    const reply = await runCommand('/export csv', '2026-11-24', built.catalog);
    expect(reply.tone).toBe('error');
    expect(reply.file).toBeUndefined();
    expect(reply.blocks).toEqual([
      {
        type: 'text',
        text: `This selection holds ${(CHAT_EXPORT_LIMIT + 200).toLocaleString('en-US')} events; an export in chat holds at most 1,000. Narrow it with since:, before:, level:, topic: or another filter, or export it whole from the command line: hotline export --format csv`,
      },
      { type: 'text', text: 'Try: /export csv since:2026-01-01' },
    ]);
  });

  it('GIVEN /help THEN /export is listed', async () => {
    expect(await transcript('/help', NOW)).toContain(
      '/export — The events matching the /timeline filters as a file (CSV, JSON, ICS, Atom), sent to',
    );
  });

  it.each([
    ['abc', 'hotline-events-abc.csv'],
    ['person:"Dong Jun" level:minister', 'hotline-events-person-dong-jun-level-minister.csv'],
    ['', 'hotline-events.csv'],
    [
      'topic:taiwan,nuclear since:2020-01-01 before:2024-01-01 level:minister kind:call',
      'hotline-events-topic-taiwan-nuclear-since-2020-01-01-before-2024-01-01.csv',
    ],
  ])('GIVEN the filter %j THEN the file is named %s', (filter, name) => {
    expect(exportFileName(filter, 'csv')).toBe(name);
  });
});

describe('/export in the console and hotline ask', () => {
  it('GIVEN the console THEN the file is written under .hotline/exports/ and its path printed', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.setEncoding('utf8').on('data', (chunk: string) => {
      printed += chunk;
    });
    input.end('/export atom taiwan\n');
    await runConsole({ catalog: fixture(), commands: COMMANDS, today: () => NOW, input, output, interactive: false });
    const path = join(EXPORT_DIR, 'hotline-events-taiwan.atom');
    expect(printed).toContain(`\nFile: ${path}\n`);
    expect(readFileSync(path, 'utf8')).toMatch(/^<\?xml/);
  });

  it('GIVEN hotline ask "/export csv level:minister" THEN the same: the answer, then the file written, 董军 intact', async () => {
    const path = join(packageRoot(), EXPORT_DIR, 'hotline-events-person-dong-jun.csv');
    rmSync(path, { force: true });
    const run = await runProcess('node', [
      'bin/hotline.js',
      'ask',
      '/export csv person:"Dong Jun"',
      '--data',
      'tests/fixtures/data',
      '--now',
      NOW,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3 events (Dong Jun) as CSV');
    expect(run.stdout.endsWith(`\nFile: ${join(EXPORT_DIR, 'hotline-events-person-dong-jun.csv')}\n`)).toBe(true);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toContain('Dong Jun 董军');
  });

  it('GIVEN hotline ask with a bad kind of file THEN exit 2, the usual answer, and no file', async () => {
    const run = await runProcess('node', ['bin/hotline.js', 'ask', '/export xlsx', '--data', 'tests/fixtures/data']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('file: "xlsx" is not one of csv, json, ics or atom.');
    expect(run.stdout).not.toContain('File:');
  });
});
