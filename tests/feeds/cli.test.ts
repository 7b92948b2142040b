// `hotline feeds check --once --feeds FILE` and `hotline feeds list` as processes (issue 15, acceptance): a
// local feed carrying a new Hegseth–Dong Jun call readout makes exactly one draft, and the summary says so.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shiftDays, utcToday } from '../../src/core/dates.js';
import { draftBook } from '../../src/drafts/book.js';
import { openState } from '../../src/state/index.js';
import { FIXTURE_DIR, personEnv, runProcess, runTracingLoads } from '../helpers.js';
import { READOUT_FEED_PATH, serveReadout } from './readout.js';
import { type FeedServer, startFeedServer } from './server.js';

// The watcher reads items of the last 30 days only, so the feed is dated from today: published today, the
// call yesterday.
const today = utcToday(new Date());
const callDay = shiftDays(today, -1);

describe('hotline feeds', () => {
  let server: FeedServer;
  let dir: string;
  let feedsFile: string;
  let stateUrl: string;
  beforeAll(async () => {
    server = await startFeedServer();
    serveReadout(server, { published: today, call: callDay });
    server.routes.set('/down.xml', (_req, res) => res.writeHead(503).end());
    dir = mkdtempSync(join(tmpdir(), 'hotline-feeds-'));
    feedsFile = join(dir, 'feeds.yaml');
    stateUrl = `sqlite:${join(dir, 'state.db')}`;
    writeFileSync(
      feedsFile,
      `- name: "Local releases"
  url: "${server.base}${READOUT_FEED_PATH}"
  kind: rss
  side: US
  language: en
  confirmed: false
- name: "Local down"
  url: "${server.base}/down.xml"
  kind: rss
  side: US
  language: en
  confirmed: false
`,
    );
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const hotline = (...args: string[]) =>
    runProcess(process.execPath, ['bin/hotline.js', 'feeds', ...args], { env: { STATE_URL: stateUrl } });

  it('check --once: one draft with the contact day, both ministers and titles, call, minister; errors per source; the feed parsed on the worker, the main thread loading no parser', async () => {
    const run = await runProcess(
      process.execPath,
      ['--import', './tests/fakes/traceLoads.mjs', 'bin/hotline.js', 'feeds', 'check', '--once', '--feeds', feedsFile],
      { env: { STATE_URL: stateUrl } },
    );
    // The main thread had loaded feed-parser, Readability and linkedom for the in-thread parser it never used.
    expect(run.stderr).toBe('loaded: (none)\n');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Local releases: 1 new item of 1; 1 draft created, 0 joined');
    expect(lines[1]).toBe(
      `  draft #1 created: ${callDay} · call · minister · Pete Hegseth (Secretary of Defense, US) and Dong Jun (Minister of National Defense, PRC)`,
    );
    expect(lines[2]).toMatch(/^Local down: error: HTTP 503 \(next try after \d{4}-\d{2}-\d{2}T[\d:.]+Z\)$/);
    expect(lines[3]).toBe('2 sources polled: 1 new item, 1 draft created, 0 joined, 1 error.');
    expect(lines.length).toBe(4);

    const state = await openState(stateUrl);
    try {
      const drafts = await draftBook(state).list();
      expect(drafts.length).toBe(1);
      const draft = drafts[0]?.draft;
      expect(draft?.date).toBe(callDay);
      expect(draft?.kind).toBe('call');
      expect(draft?.level).toBe('minister');
      // Titles as people.yaml gives them on the day.
      expect(draft?.participants.map((p) => [p.person, p.title, p.side])).toEqual([
        ['pete-hegseth', 'Secretary of Defense', 'US'],
        ['dong-jun', 'Minister of National Defense', 'PRC'],
      ]);
    } finally {
      await state.close();
    }
  });

  it('check --once again: the feed answers 304, nothing new, still one draft', async () => {
    const run = await hotline('check', '--once', '--feeds', feedsFile);
    expect(run.stdout.split('\n')[0]).toBe('Local releases: not modified');
    expect(run.stdout).toContain('2 sources polled: 0 new items, 0 drafts created, 0 joined, 1 error.');
    const state = await openState(stateUrl);
    try {
      expect((await draftBook(state).list()).length).toBe(1);
    } finally {
      await state.close();
    }
  });

  it("list: each source's health", async () => {
    const run = await hotline('list', '--feeds', feedsFile);
    expect(run.code).toBe(0);
    const [releases, down] = run.stdout.trimEnd().split('\n');
    expect(releases).toMatch(/^Local releases\tlast success \S+Z\tlast error none\t1 item seen$/);
    expect(down).toMatch(
      /^Local down\tlast success never\tlast error \S+Z: HTTP 503\t0 items seen\tbacked off until \S+Z \(2 failures in a row\)$/,
    );
  });

  it('a bad feeds file: every problem named, exit 1, nothing polled or written', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      `- name: "No kind"\n  url: "${server.base}${READOUT_FEED_PATH}"\n  side: US\n  language: en\n  confirmed: false\n`,
    );
    const before = server.requests.length;
    const run = await hotline('check', '--once', '--feeds', bad);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${bad}: No kind: kind: is required\nhotline: ${bad}: 1 error; nothing was polled\n`);
    expect(server.requests.length).toBe(before);
  });

  it('hotline ask loads none of the watcher (issue 17): no feed parser, linkedom, Readability or src/feeds', async () => {
    const watched = 'feed-parser|linkedom|readability|src\\/feeds\\/';
    const ask = await runTracingLoads(watched, ['ask', '/lastcontact']);
    expect(ask.code).toBe(0);
    expect(ask.stderr).toBe('');
    const list = await runTracingLoads(watched, ['feeds', 'list', '--feeds', feedsFile], {
      env: { STATE_URL: stateUrl },
    });
    expect(list.stderr).toContain('LOADED'); // the hook works: the watcher's own command loads its modules
  });

  it('FEEDS_WATCH=on runs the watcher in the console: the sources of the data folder’s feeds.yaml are polled', async () => {
    const data = join(dir, 'data');
    cpSync(FIXTURE_DIR, data, { recursive: true });
    cpSync(feedsFile, join(data, 'feeds.yaml'));
    const consoleState = `sqlite:${join(dir, 'console.db')}`;
    const child = spawn(process.execPath, ['bin/hotline.js', 'start'], {
      env: personEnv({ STATE_URL: consoleState, HOTLINE_DATA: data, FEEDS_WATCH: 'on' }),
    });
    let stderr = '';
    // The warning is logged once the failure is recorded: the signal to stop the console.
    const warned = new Promise<void>((resolve) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (/feed "Local down": [^\n]*\)\n/.test(stderr)) resolve();
      });
    });
    await warned;
    child.stdin.end();
    await new Promise((resolve) => child.once('close', resolve));
    // The console shows the jobs' warnings: the failing source, by name.
    expect(stderr).toMatch(/feed "Local down": HTTP 503 \(failure 1 in a row; next try after \S+Z\)/);
    const list = await runProcess(process.execPath, ['bin/hotline.js', 'feeds', 'list', '--feeds', feedsFile], {
      env: { STATE_URL: consoleState },
    });
    expect(list.stdout).toMatch(/^Local down\tlast success never\tlast error \S+Z: HTTP 503\t0 items seen/m);
  });

  it('check without --once says how to run it', async () => {
    const run = await hotline('check', '--feeds', feedsFile);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'hotline: feeds check runs one pass: add --once (the watcher itself runs in `hotline start`)\n',
    );
  });
});
