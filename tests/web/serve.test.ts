// `hotline serve` and `hotline start` as real processes: the web view answers once the ready line is printed,
// on its own port or on the bot's HTTP port beside Slack's requests, and Ctrl-C (SIGINT) stops it cleanly.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/dataFiles.js';
import { startFakeSlack } from '../fakes/slack.js';
import { personEnv } from '../helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'hotline-web-'));
const EVENT = '2024-04-16-austin-dong-video-call';
const running: ChildProcessWithoutNullStreams[] = [];

afterAll(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(TMP, { recursive: true, force: true });
});

/** Starts `hotline <args>` and resolves with the first match of `ready` in its stderr (the ready line). */
function started(args: string[], env: NodeJS.ProcessEnv, ready: RegExp) {
  const child = spawn(process.execPath, ['bin/hotline.js', ...args], { cwd: packageRoot(), env: personEnv(env) });
  running.push(child);
  let stderr = '';
  const match = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = ready.exec(stderr);
      if (found) resolve(found);
    });
    child.on('exit', (code) =>
      reject(new Error(`hotline ${args[0]} exited with ${code} before it was ready: ${stderr}`)),
    );
  });
  match.catch(() => {}); // a process expected to fail is awaited through `exited`
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, match, exited, stderr: () => stderr };
}

describe('hotline serve', () => {
  it('GIVEN --port 0 THEN it prints the URL when ready, serves the pages, and stops on Ctrl-C', async () => {
    const serve = started(
      ['serve', '--port', '0', '--data', 'tests/fixtures/data', '--now', '2024-06-30', '--data-only'],
      { STATE_URL: `sqlite:${join(TMP, 'serve.db')}` },
      /Hotline web view: (http:\/\/127\.0\.0\.1:\d+)\/ \(Ctrl-C stops\)/,
    );
    const [, url] = await serve.match;
    const home = await fetch(`${url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<h2>Dialogue channels · 30 June 2024</h2>');
    // Citations and feeds name the address it listens on, as no PUBLIC_URL is set.
    expect(await (await fetch(`${url}/events/${EVENT}`)).text()).toContain(`${url}/events/${EVENT}`);
    expect((await fetch(`${url}/anything`)).status).toBe(404);
    serve.child.kill('SIGINT');
    expect(await serve.exited).toBe(0);
  });

  it('GIVEN a bad --public-url THEN it stops at once, naming the option', async () => {
    const serve = started(['serve', '--port', '0', '--public-url', 'ftp://x'], {}, /never/);
    expect(await serve.exited).toBe(1);
    expect(serve.stderr()).toContain('--public-url must be the web view');
  });
});

describe('hotline start (Slack over HTTP)', () => {
  it("GIVEN the bot's HTTP port THEN the web view answers there beside /healthz, with PUBLIC_URL in its citations", async () => {
    const fake = await startFakeSlack();
    try {
      const bot = started(
        ['start', '--data', 'tests/fixtures/data', '--now', '2024-06-30'],
        {
          SLACK_BOT_TOKEN: 'xoxb-test-token',
          SLACK_SIGNING_SECRET: 'signing-secret',
          SLACK_API_URL: `${fake.url}/api/`,
          PORT: '0',
          HOST: '127.0.0.1',
          PUBLIC_URL: 'https://hotline.example.org/',
          STATE_URL: `sqlite:${join(TMP, 'start.db')}`,
        },
        /listening for Slack on port (\d+)/,
      );
      const [, port] = await bot.match;
      const base = `http://127.0.0.1:${port}`;
      const event = await fetch(`${base}/events/${EVENT}`);
      expect(event.status).toBe(200);
      const body = await event.text();
      expect(body).toContain(`https://hotline.example.org/events/${EVENT}`);
      // The event log is read: the event's first revision, published at start-up.
      expect(body).toMatch(/<li>Revision 1 · published \d+ \w+ \d{4} · first record<\/li>/);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/slack/events`)).status).toBe(405);
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      fake.close();
    }
  });
});
