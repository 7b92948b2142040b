// The acceptance of digest schedules from the command line: a schedule made in the console's channel,
// `hotline schedules run-due` at its slot posts the digest with its chart, and again at that instant posts nothing.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nextRun } from '../src/core/schedule.js';
import { packageRoot } from '../src/dataFiles.js';
import { runProcess } from './helpers.js';

const STATE = `sqlite:${join(tmpdir(), `hotline-schedules-${process.pid}.db`)}`;
afterAll(() => rmSync(STATE.slice('sqlite:'.length), { force: true }));
const hotline = (...args: string[]) => runProcess('node', ['bin/hotline.js', ...args], { env: { STATE_URL: STATE } });

describe('hotline schedules run-due', () => {
  it('posts a due digest with its chart once; the same instant again posts nothing', async () => {
    const made = await hotline('ask', '/digest schedule weekly on:monday at:09:00 tz:America/New_York taiwan');
    expect(made.stdout).toContain(
      'Scheduled (#1): the digest of Taiwan, weekly on Monday at 09:00 (America/New_York).',
    );
    // The schedule's first slot: the next Monday 09:00 in New York after it was made (now).
    const slot = nextRun({ every: 'weekly', on: 1, at: '09:00', tz: 'America/New_York' }, new Date());
    const early = await hotline('schedules', 'run-due', '--at', new Date(slot.getTime() - 60_000).toISOString());
    expect(early.stdout.trim()).toBe(`Nothing due at ${new Date(slot.getTime() - 60_000).toISOString()}.`);
    const due = await hotline('schedules', 'run-due', '--at', slot.toISOString());
    expect(due.code).toBe(0);
    expect(due.stdout).toContain('── console ──\nDigest · Taiwan · ');
    const chart = /Chart: (\S+\.png)/.exec(due.stdout)?.[1];
    expect(chart).toBeDefined();
    const path = join(packageRoot(), chart as string);
    expect(readFileSync(path).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(due.stdout).toContain(`1 schedule due at ${slot.toISOString()}; 1 digest posted.`);
    const again = await hotline('schedules', 'run-due', '--at', slot.toISOString());
    expect(again.stdout.trim()).toBe(`Nothing due at ${slot.toISOString()}.`);
    rmSync(path, { force: true });
    expect(existsSync(path)).toBe(false);
  });

  it('refuses an instant that is not ISO 8601, and runs nothing', async () => {
    const bad = await hotline('schedules', 'run-due', '--at', 'next monday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('write an instant as 2026-12-07T14:00:00Z (ISO 8601, with Z or an offset).');
  });
});
