// Operations (issue 11): the bot process serves /healthz, /readyz and /metrics, answers other verbs 405,
// logs JSON with no secret in it, and stops gracefully on SIGTERM.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/dataFiles.js';
import { signedCommand } from '../fakes/http.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.js';
import { personEnv } from '../helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'hotline-ops-'));
const TOKEN = 'xoxb-very-secret-token-123';
const SECRET = 'signing-secret-456789';
let fake: FakeSlack;
let child: ChildProcessWithoutNullStreams;
let base: string;
let stderr = '';

beforeAll(async () => {
  fake = await startFakeSlack();
  child = spawn(process.execPath, ['bin/hotline.js', 'start', '--data', 'tests/fixtures/data', '--now', '2024-06-01'], {
    cwd: packageRoot(),
    env: personEnv({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${fake.url}/api/`,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
      STATE_URL: `sqlite:${join(TMP, 'state.db')}`,
    }),
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = /listening for Slack on port (\d+)/.exec(stderr);
      if (found) resolve(Number(found[1]));
    });
    child.on('close', () => reject(new Error(`hotline start exited: ${stderr}`)));
  });
  base = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  child?.kill('SIGKILL');
  fake?.close();
  rmSync(TMP, { recursive: true, force: true });
});

describe('the bot process, for operators', () => {
  it('says it is alive and ready, with each check', async () => {
    const health = await fetch(`${base}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean; detail: string }> };
    expect(body.ready).toBe(true);
    expect(body.checks.state).toEqual({ ok: true, detail: 'sqlite answers' });
    expect(body.checks.slack).toEqual({ ok: true, detail: 'connected' });
    expect(body.checks.jobs?.detail).toMatch(/^slack: (runs here|runs elsewhere or waits), \d+ log entries behind$/);
  });

  it('counts commands and acks in /metrics, and answers other verbs 405', async () => {
    const { body, headers } = signedCommand(SECRET, `${fake.url}/response/1`, 'level:minister');
    const answered = fake.nextResponse();
    const response = await fetch(`${base}/slack/events`, { method: 'POST', headers, body });
    expect(response.status).toBe(200);
    await answered;
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('hotline_commands_total{command="lastcontact",outcome="answer"} 1');
    expect(metrics).toMatch(/hotline_ack_seconds_count\{platform="slack"\} 1\n/);
    expect(metrics).toContain('hotline_process_resident_memory_bytes');
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/healthz`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('logs JSON lines with no secret in them, and stops gracefully on SIGTERM', async () => {
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await closed).toBe(0);
    const lines = stderr.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('stopped');
    expect(stderr).not.toContain(TOKEN);
    expect(stderr).not.toContain(SECRET);
  });
});
