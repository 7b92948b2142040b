// `hotline export` as a person runs it: a real process, stdout, stderr and exit codes, with and without an event log.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { afterAll, describe, it } from 'vitest';
import { packageRoot } from '../src/dataFiles.js';
import { exportEvents } from '../src/export/index.js';
import { withoutRevisions } from '../src/export/revisions.js';
import { selectEvents } from '../src/export/select.js';
import { fixture, runProcess } from './helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'hotline-export-test-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const FIXTURE = ['--data', 'tests/fixtures/data', '--now', '2024-06-30'];

/** Runs `node bin/hotline.js …` with its own state file (which exists only once something writes to it). */
function hotline(args: string[], stateUrl = `sqlite:${join(TMP, 'none.db')}`) {
  return runProcess(process.execPath, ['bin/hotline.js', ...args], { env: { STATE_URL: stateUrl } });
}

/** An invented event for the event log, in the data/events/YYYY.yaml format. */
const ingested = (summary: string) => `- id: 2024-06-25-fixture-ingested-call
  date: "2024-06-25"
  kind: call
  status: held
  format: phone
  level: minister
  participants:
    - {person: dong-jun, side: PRC}
  summary: ${summary}
  sources:
    - {title: Fixture ingested report, publisher: Example News, url: "https://example.org/ingested"}
  recordedAt: "2024-06-26"
`;

describe.concurrent('hotline export', () => {
  it('GIVEN --format csv and filters THEN stdout is the export of exactly those events, nothing on stderr', async ({
    expect,
  }) => {
    const run = await hotline(['export', '--format', 'csv', 'person:Dong Jun', 'since:2024-05-01', ...FIXTURE]);
    const catalog = fixture();
    const selection = selectEvents(catalog, 'person:"Dong Jun" since:2024-05-01', '2024-06-30');
    const expected = await exportEvents('csv', {
      catalog,
      events: withoutRevisions(selection.events),
      filter: selection.filter,
      scope: selection.scope,
      generated: 'unused by CSV',
    });
    expect(run).toEqual({ code: 0, stdout: expected, stderr: '' });
    expect(run.stdout).toContain('Dong Jun 董军');
  });

  it('GIVEN a bad filter word THEN exit code 2, the /timeline error and an example on stderr, nothing on stdout', async ({
    expect,
  }) => {
    const run = await hotline(['export', '--format', 'ics', 'levle:minister', ...FIXTURE]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^hotline: \/export has no option "levle"\. Did you mean level:\?/);
    expect(run.stderr).toContain('\nFor example: hotline export --format ics level:minister\n');
  });

  it('GIVEN no --format or an unknown one THEN a usage error (exit 2), nothing on stdout', async ({ expect }) => {
    for (const args of [
      ['export', 'level:minister'],
      ['export', '--format', 'xlsx'],
    ]) {
      const run = await hotline([...args, ...FIXTURE]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/--format/);
    }
  });

  it('GIVEN an event ingested and then corrected THEN the calendar has it at SEQUENCE 1, from hotline export and /export alike (and 0 with --data-only, without it)', async ({
    expect,
  }) => {
    const state = `sqlite:${join(TMP, 'log.db')}`;
    for (const [name, summary] of [
      ['first.yaml', 'Fixture call added through the event log.'],
      ['second.yaml', 'Fixture call added through the event log, corrected.'],
    ] as const) {
      writeFileSync(join(TMP, name), ingested(summary));
      const run = await hotline(['ingest', join(TMP, name), '--data', 'tests/fixtures/data', '--state', state], state);
      expect(run.code, run.stderr).toBe(0);
    }
    const run = await hotline(['export', '--format', 'ics', 'person:Dong Jun', ...FIXTURE], state);
    expect(run.stderr).toBe('');
    const events = new ICAL.Component(ICAL.parse(run.stdout))
      .getAllSubcomponents('vevent')
      .map((c) => new ICAL.Event(c));
    const corrected = events.find((e) => e.uid === '2024-06-25-fixture-ingested-call@hotline');
    expect(corrected?.sequence).toBe(1);
    expect(corrected?.description).toMatch(/^Fixture call added through the event log, corrected\./);
    expect(events.filter((e) => e !== corrected).every((e) => e.sequence === 0)).toBe(true);

    const atom = await hotline(['export', '--format', 'atom', 'person:Dong Jun', ...FIXTURE], state);
    expect(atom.stdout).toContain('<id>tag:hotline,2026:event:2024-06-25-fixture-ingested-call:revision:2</id>');
    expect(atom.stdout).toContain('<id>tag:hotline,2026:event:2024-06-25-fixture-ingested-call</id>');

    // /export in chat (here through hotline ask) reads the same log: its calendar is the same, byte for byte.
    const asked = await hotline(['ask', '/export ics person:"Dong Jun"', ...FIXTURE], state);
    expect(asked.code, asked.stderr).toBe(0);
    const file = join(packageRoot(), '.hotline', 'exports', 'hotline-events-person-dong-jun.ics');
    expect(asked.stdout).toContain(`\nFile: ${join('.hotline', 'exports', 'hotline-events-person-dong-jun.ics')}\n`);
    expect(readFileSync(file, 'utf8')).toBe(run.stdout);
    rmSync(file);

    const dataOnly = await hotline(['export', '--format', 'ics', '--data-only', 'person:Dong Jun', ...FIXTURE], state);
    expect(dataOnly.code).toBe(0);
    expect(dataOnly.stdout).not.toContain('2024-06-25-fixture-ingested-call');
  });
});
