import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CatalogEvent } from '../src/core/catalog.js';
import { UserError } from '../src/core/errors.js';
import { packageRoot, readDataFiles } from '../src/dataFiles.js';
import { checkIngest, ingestEvents } from '../src/events/ingest.js';
import { catalogHash, contentHash, latestLogged, publish, publishNew, recordOf } from '../src/events/log.js';
import { openState } from '../src/state/index.js';
import { underLease } from '../src/state/lease.js';
import { FIXTURE_DIR, fixture, type ProcessRun, runProcess } from './helpers.js';
import { sleep } from './until.js';

const _ROOT = packageRoot();
const TMP = mkdtempSync(join(tmpdir(), 'hotline-ingest-test-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Runs `node bin/hotline.js …` against the fixture data and the given state file. */
function hotline(args: string[], stateFile: string): Promise<ProcessRun> {
  return runProcess(process.execPath, ['bin/hotline.js', ...args], {
    env: { STATE_URL: `sqlite:${stateFile}`, HOTLINE_DATA: FIXTURE_DIR },
  });
}

/** The first fixture event of 2022, with a corrected summary: a revision of a known id. */
const CORRECTED = readFileSync(join(FIXTURE_DIR, 'events', '2022.yaml'), 'utf8')
  .split(/\n(?=- id:)/)[1]
  ?.replace('Fixture meeting in Singapore.', 'Corrected fixture meeting in Singapore.');

const NEW_EVENT = `
- id: 2027-01-10-test-call
  date: "2027-01-10"
  kind: call
  status: held
  level: minister
  participants:
    - {person: lloyd-austin, side: US}
  summary: A test call.
  sources:
    - {title: Test, publisher: Example, url: "https://example.org/x"}
  recordedAt: "2027-01-11"
`;

const BAD = `
- id: 2027-02-01-bad-level
  date: "2027-02-01"
  kind: call
  status: held
  level: emperor
  summary: Bad level.
  sources:
    - {title: Test, publisher: Example, url: "https://example.org/x"}
  recordedAt: "2027-02-02"
- id: 2027-02-02-bad-person
  date: "2027-02-02"
  kind: call
  status: held
  level: minister
  participants:
    - {person: nobody-known, side: US}
  summary: Bad person.
  sources:
    - {title: Test, publisher: Example, url: "https://example.org/x"}
  recordedAt: "2027-02-03"
`;

describe('checkIngest', () => {
  it('accepts new events of any year and revisions of data events, under any file name', async () => {
    const result = checkIngest(readDataFiles(FIXTURE_DIR), { path: 'new.yaml', text: `${CORRECTED}\n${NEW_EVENT}` });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.events.map((e) => [e.id, e.summary])).toEqual([
      ['2022-06-10-austin-wei-meeting', 'Corrected fixture meeting in Singapore.'],
      ['2027-01-10-test-call', 'A test call.'],
    ]);
    expect(result.events[0]).not.toHaveProperty('pos');
  });

  it('reports a duplicate id inside the file', async () => {
    const result = checkIngest(readDataFiles(FIXTURE_DIR), { path: 'dup.yaml', text: `${NEW_EVENT}${NEW_EVENT}` });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.reason)).toEqual(['duplicate id (also in dup.yaml)']);
  });
});

describe('ingestEvents', () => {
  it('waits while a drafts merge holds the event, so the merge cannot write over the correction with what it read before', async () => {
    // Before: ingest published its correction while a merge was between reading the event and publishing its
    // revision; the merge then logged that stale reading, with its new source, over the correction.
    const state = await openState('sqlite::memory:');
    try {
      const original = recordOf(fixture().events[0] as CatalogEvent);
      await publish(state, original, '2027-01-01T00:00:00.000Z');
      const corrected = { ...original, summary: `${original.summary} Corrected.` };
      let ingested: Promise<unknown> | undefined;
      await underLease(state, `event:${original.id}`, original.id, async () => {
        const read = (await latestLogged(state, original.id)) ?? original; // as merge reads it
        ingested = ingestEvents(state, [corrected], '2027-01-02T00:00:00.000Z');
        await sleep(300); // long enough for an ingest that does not wait to publish
        const source = { title: 'Another readout', publisher: 'Example', url: 'https://example.org/merged' };
        await publish(state, { ...read, sources: [...read.sources, source] }, '2027-01-02T00:00:00.000Z');
      });
      expect(await ingested).toEqual({ new: 0, revised: 1, unchanged: 0 });
      expect((await latestLogged(state, original.id))?.summary).toBe(corrected.summary);
    } finally {
      await state.close();
    }
  });

  it('publishes the events before one another keeps, then stops with a user error saying how far it got', async () => {
    const state = await openState('sqlite::memory:');
    try {
      const [first, second, third] = fixture().events.slice(0, 3).map(recordOf);
      if (!first || !second || !third) throw new Error('the fixture has three events');
      await state.acquireLease(`event:${second.id}`, 'a merge elsewhere', 60_000);
      const refused = await ingestEvents(state, [first, second, third], '2027-01-02T00:00:00.000Z', 50).catch(
        (error) => error,
      );
      expect(refused).toBeInstanceOf(UserError);
      expect((refused as UserError).message).toBe(
        `${second.id} is being changed elsewhere (a draft approved or merged into it, or another ingest): 1 of 3 events were ingested before it, and it and the rest were not. Ingest the same file again in a moment.`,
      );
      expect(await Promise.all([first, second, third].map((e) => latestLogged(state, e.id)))).toEqual([
        first,
        undefined,
        undefined,
      ]);
    } finally {
      await state.close();
    }
  });
});

describe('hotline ingest', () => {
  it('ingests a good file, reports unchanged on re-ingest, and refuses a bad file without changing the log', async () => {
    const state = join(TMP, 'state.db');
    const good = join(TMP, 'good.yaml');
    writeFileSync(good, NEW_EVENT);
    const first = await hotline(['ingest', good], state);
    expect(first.stderr).toBe('');
    // The store's log was empty: data/ (the fixture's 7 events) is published first, as a first start would.
    expect(first.stdout).toBe(
      [
        "this store's event log was empty: published the 7 events of tests/fixtures/data first, as a bot's first start would",
        'ingested 1 event: 1 new, 0 revised, 0 unchanged (log now at seq 8)',
        '',
      ].join('\n'),
    );
    expect(first.code).toBe(0);

    writeFileSync(good, `${CORRECTED}\n${NEW_EVENT}`);
    const second = await hotline(['ingest', good], state);
    expect(second.stdout).toBe('ingested 2 events: 0 new, 1 revised, 1 unchanged (log now at seq 9)\n');
    const again = await hotline(['ingest', good], state);
    expect(again.stdout).toBe('ingested 2 events: 0 new, 0 revised, 2 unchanged (log now at seq 9)\n');

    writeFileSync(good, NEW_EVENT.replace('A test call.', 'A corrected test call.'));
    const revised = await hotline(['ingest', good], state);
    expect(revised.stdout).toBe('ingested 1 event: 0 new, 1 revised, 0 unchanged (log now at seq 10)\n');

    const bad = join(TMP, 'bad.yaml');
    writeFileSync(bad, BAD);
    const refused = await hotline(['ingest', bad], state);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`${bad}: 2027-02-01-bad-level: level: "emperor" is not one of`);
    expect(refused.stderr).toContain(
      `${bad}: 2027-02-02-bad-person: participants.0.person: unknown person "nobody-known"`,
    );
    expect(refused.stderr).toContain(`${bad}: 2 errors; nothing was ingested`);

    const log = await hotline(['log', '--after', '7'], state);
    expect(log.code).toBe(0);
    expect(log.stdout).toBe(
      [
        '8\t2027-01-10-test-call\trevision 1',
        '9\t2022-06-10-austin-wei-meeting\trevision 2',
        '10\t2027-01-10-test-call\trevision 2',
        '',
      ].join('\n'),
    );
    expect((await hotline(['log', '--after', '9'], state)).stdout).toBe('10\t2027-01-10-test-call\trevision 2\n');

    // hotline ask answers from data/ plus the log, as the bots and the console do; --data-only from data/ alone.
    const asked = await hotline(['ask', '/event 2027-01-10-test-call', '--now', '2027-02-01'], state);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain('A corrected test call.');
    const dataOnly = await hotline(['ask', '/event 2027-01-10-test-call', '--now', '2027-02-01', '--data-only'], state);
    expect(dataOnly.code).toBe(2);
    expect(dataOnly.stdout).not.toContain('A corrected test call.');
  });

  it('keeps a correction of a data/ event ingested into a new store: the first start does not publish data/ over it', async () => {
    const state = join(TMP, 'first-start.db');
    const file = join(TMP, 'correction.yaml');
    writeFileSync(file, `${CORRECTED}`);
    const ingested = await hotline(['ingest', file], state);
    expect(ingested.code).toBe(0);
    const started = await runProcess(process.execPath, ['bin/hotline.js', 'start', '--now', '2022-07-01'], {
      env: { STATE_URL: `sqlite:${state}`, HOTLINE_DATA: FIXTURE_DIR },
      input: '/event 2022-06-10-austin-wei-meeting\n',
    });
    expect(started.code).toBe(0);
    expect(started.stdout).toContain('Corrected fixture meeting in Singapore.');
    expect(ingested.stdout).toContain('ingested 1 event: 0 new, 1 revised, 0 unchanged (log now at seq 8)');
    expect((await hotline(['log', '--after', '7'], state)).stdout).toBe(
      '8\t2022-06-10-austin-wei-meeting\trevision 2\n',
    );
  });

  it('finishes a publication of data/ stopped half-way before ingesting, so the first start keeps the correction', async () => {
    // Before: an ingest killed in the middle of publishing data/ (after a batch of it was logged) left a log that is
    // not empty; ingesting again skipped data/, logged the correction as revision 1 ("1 new"), and the first start
    // logged data/'s version over it as revision 2.
    const path = join(TMP, 'half-way.db');
    const state = await openState(`sqlite:${path}`);
    try {
      const logged = fixture().events.filter((event) => event.id !== '2022-06-10-austin-wei-meeting');
      await publishNew(state, logged.map(recordOf), '2027-01-01T00:00:00.000Z');
      await state.events.setMany(logged.map((event) => [`data:${event.id}`, { hash: catalogHash(event) }]));
    } finally {
      await state.close();
    }
    const file = join(TMP, 'half-way.yaml');
    writeFileSync(file, `${CORRECTED}`);
    const ingested = await hotline(['ingest', file], path);
    expect(ingested.stdout).toBe(
      [
        'tests/fixtures/data had not been published whole into this store (a first start or an ingest publishing it stopped half-way, or is still at it): published the 1 of its 7 events not logged yet first, as a first start would',
        'ingested 1 event: 0 new, 1 revised, 0 unchanged (log now at seq 8)',
        '',
      ].join('\n'),
    );
    const started = await runProcess(process.execPath, ['bin/hotline.js', 'start', '--now', '2022-07-01'], {
      env: { STATE_URL: `sqlite:${path}`, HOTLINE_DATA: FIXTURE_DIR },
      input: '/event 2022-06-10-austin-wei-meeting\n',
    });
    expect(started.stdout).toContain('Corrected fixture meeting in Singapore.');
    expect((await hotline(['log', '--after', '6'], path)).stdout).toBe(
      ['7\t2022-06-10-austin-wei-meeting\trevision 1', '8\t2022-06-10-austin-wei-meeting\trevision 2', ''].join('\n'),
    );
  });

  it('says so when finishing a publication of data/ stopped half-way logs revisions of events data/ changed since', async () => {
    // A first start with other data/ (an older deploy) logged every event but one and was killed; the operator's
    // data/ has one of those events changed. Before: "published the 1 of its 7 events not logged yet", the revision
    // logged over the older version unsaid.
    const path = join(TMP, 'half-way-changed.db');
    const state = await openState(`sqlite:${path}`);
    const [changed, ...rest] = fixture().events.filter((event) => event.id !== '2022-06-10-austin-wei-meeting');
    if (!changed) throw new Error('empty fixture');
    try {
      const older = { ...recordOf(changed), summary: 'An older summary.' };
      const logged = [older, ...rest.map(recordOf)];
      await publishNew(state, logged, '2027-01-01T00:00:00.000Z');
      await state.events.setMany(logged.map((event) => [`data:${event.id}`, { hash: contentHash(event) }]));
    } finally {
      await state.close();
    }
    const file = join(TMP, 'half-way-changed.yaml');
    writeFileSync(file, NEW_EVENT);
    const ingested = await hotline(['ingest', file], path);
    expect(ingested.stdout.split('\n')[0]).toBe(
      'tests/fixtures/data had not been published whole into this store (a first start or an ingest publishing it stopped half-way, or is still at it): published the 1 of its 7 events not logged yet first, and a new revision of 1 it has changed since, as a first start would',
    );
    expect((await hotline(['log', '--after', '6'], path)).stdout).toBe(
      [
        '7\t2022-06-10-austin-wei-meeting\trevision 1',
        `8\t${changed.id}\trevision 2`,
        '9\t2027-01-10-test-call\trevision 1',
        '',
      ].join('\n'),
    );
  });

  it('says which errors are the data folder’s, not the file’s, and leaves the empty store alone', async () => {
    // Before: a good file checked against a broken --data said "good.yaml: 1 error; nothing was ingested".
    const data = join(TMP, 'broken-data');
    cpSync(FIXTURE_DIR, data, { recursive: true });
    const events = join(data, 'events', '2024.yaml');
    writeFileSync(events, readFileSync(events, 'utf8').replace('level: minister', 'level: emperor'));
    const good = join(TMP, 'good-for-broken.yaml');
    writeFileSync(good, NEW_EVENT);
    const state = join(TMP, 'broken-data.db');
    const refused = await hotline(['ingest', good, '--data', data], state);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      'events/2024.yaml: 2024-04-16-austin-dong-video-call: level: "emperor" is not one of',
    );
    expect(refused.stderr).toContain(
      `${good} could not be checked: 1 error in ${data} (hotline data check lists them); nothing was ingested`,
    );
    expect(existsSync(state)).toBe(false);
  });

  it('says when STATE_URL cannot be read and it answers from data/ alone: hotline ask with an unsupported scheme', async () => {
    const asked = await runProcess(
      process.execPath,
      ['bin/hotline.js', 'ask', '/event 2022-06-10-austin-wei-meeting'],
      {
        env: { STATE_URL: 'postgress://user:secret@127.0.0.1/x', HOTLINE_DATA: FIXTURE_DIR },
      },
    );
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain('Fixture meeting in Singapore.');
    expect(asked.stderr).toBe(
      'hotline: the event log could not be read (STATE_URL postgress://user:***@127.0.0.1/x: unsupported scheme "postgress:"; use sqlite:PATH, file:PATH, redis://… or postgres://…); answering from data/ alone\n',
    );
  });

  it('never creates a store by reading it: hotline ask and hotline log with a STATE_URL file that does not exist', async () => {
    const absent = join(TMP, 'no-such-dir', 'state.db');
    const asked = await hotline(['ask', '/lastcontact', '--now', '2027-02-01'], absent);
    expect(asked.code).toBe(0);
    expect(asked.stderr).toBe('');
    expect(existsSync(join(TMP, 'no-such-dir'))).toBe(false);
    const log = await hotline(['log'], absent);
    expect(log).toEqual({
      code: 0,
      stdout: '',
      stderr: `hotline: no store at sqlite:${absent} yet: its event log is empty\n`,
    });
    expect(existsSync(join(TMP, 'no-such-dir'))).toBe(false);
  });

  it('hotline log names a STATE_URL it cannot open instead of calling its log empty', async () => {
    for (const url of ['bogus://user:secret@host/x', './state.db']) {
      const log = await hotline(['log', '--state', url], join(TMP, 'x.db'));
      expect(log.code).toBe(1);
      expect(log.stderr).toContain('unsupported scheme');
      expect(log.stderr).not.toContain('empty');
      expect(log.stderr).not.toContain('secret');
    }
  });

  it('names a file it cannot read and a STATE_URL it cannot open', async () => {
    const missing = await hotline(['ingest', join(TMP, 'absent.yaml')], join(TMP, 'x.db'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    const good = join(TMP, 'good2.yaml');
    writeFileSync(good, NEW_EVENT);
    const wrong = await hotline(['ingest', good, '--state', 'bogus:x'], join(TMP, 'x.db'));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('STATE_URL bogus:x: unsupported scheme');
  });
});
