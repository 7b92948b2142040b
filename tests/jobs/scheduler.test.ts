// The scheduler job on a real store: each due run posted once, one run after downtime, paused, cancelled,
// failures retried or paused-and-told, and a chart that fails never holding the digest back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scheduledDigest } from '../../commands/digestSchedule.js';
import { COMMANDS } from '../../commands/index.js';
import type { Poster, PostFailure, PostOptions } from '../../src/core/poster.js';
import type { Reply } from '../../src/core/reply.js';
import type { ScheduleBook } from '../../src/core/schedule.js';
import { type ChartRenderer, Scheduler } from '../../src/jobs/scheduler.js';
import { scheduleBook } from '../../src/schedules/book.js';
import { openState, type State } from '../../src/state/index.js';
import { bundled } from '../helpers.js';

const catalog = bundled();
let state: State;
let now: Date;
let book: ScheduleBook;
let posts: { channel: string; reply: Reply; files: string[] }[];
let direct: { user: string; text: string }[];
let failures: PostFailure[];
let logged: string[];

/** A poster that records what it posts, failing with each of `failures` first, in order. */
const poster: Poster = {
  async post(channel: string, reply: Reply, options: PostOptions = {}) {
    const failure = failures.shift();
    if (failure) return { ok: false, failure };
    posts.push({ channel, reply, files: (options.files ?? []).map((f) => `${f.name}: ${f.alt}`) });
    return { ok: true, messageId: `m${posts.length}` };
  },
  async direct(user: string, reply: Reply) {
    direct.push({ user, text: reply.fallbackText });
    return { ok: true, messageId: 'dm' };
  },
};

const chart: ChartRenderer = async (reply) =>
  reply.chart ? { file: { name: 'contacts.png', data: new Uint8Array([137, 80]), alt: 'a chart' } } : {};

function scheduler(draw: ChartRenderer = chart): Scheduler {
  return new Scheduler({
    state,
    catalog: () => catalog,
    digest: (c, schedule, slot, previous) =>
      scheduledDigest({ catalog: c, commands: COMMANDS }, schedule, slot, previous),
    chart: draw,
    posters: { slack: poster },
    clock: () => now,
    random: () => 0.5,
    log: (level, message) => logged.push(`${level}: ${message}`),
  });
}

beforeEach(async () => {
  state = await openState('sqlite::memory:');
  now = new Date('2026-12-02T12:00:00Z');
  book = scheduleBook(state, { platform: 'slack', channel: 'C1' }, () => now);
  posts = [];
  direct = [];
  failures = [];
  logged = [];
  await book.add({ every: 'weekly', on: 1, at: '09:00', tz: 'America/New_York', filters: 'taiwan', createdBy: 'U1' });
});

afterEach(async () => {
  await state.close();
});

describe('the scheduler', () => {
  it('posts a digest at its slot, with its chart, once; nothing before, nothing again at the same instant', async () => {
    const job = scheduler();
    now = new Date('2026-12-07T13:59:00Z');
    expect(await job.step()).toBe(false);
    now = new Date('2026-12-07T14:00:00Z');
    expect(await job.step()).toBe(true);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.channel).toBe('C1');
    expect(posts[0]?.reply.title).toBe('Digest · Taiwan · 30 November 2026 – 7 December 2026');
    expect(posts[0]?.reply.footer).toContain('Scheduled digest #1, weekly on Monday at 09:00 (America/New_York)');
    expect(posts[0]?.files).toEqual(['contacts.png: a chart']);
    expect(await job.step()).toBe(false);
    // A new scheduler (a restart) at the same instant posts nothing either.
    expect(await scheduler().step()).toBe(false);
    expect(posts).toHaveLength(1);
    expect((await book.list())[0]?.lastRun).toEqual({
      at: '2026-12-07T14:00:00.000Z',
      slot: '2026-12-07T14:00:00.000Z',
    });
  });

  it('after three weeks down, posts one digest covering the whole gap', async () => {
    now = new Date('2026-12-07T14:00:00Z');
    await scheduler().step();
    now = new Date('2026-12-29T00:00:00Z');
    await scheduler().step();
    expect(posts.map((p) => p.reply.title)).toEqual([
      'Digest · Taiwan · 30 November 2026 – 7 December 2026',
      'Digest · Taiwan · 7 December 2026 – 28 December 2026',
    ]);
  });

  it('a run queued before a crash is posted once after it (the queue write is its idempotency key)', async () => {
    now = new Date('2026-12-07T14:00:00Z');
    await scheduler().queueDue();
    // As if the process died after queueing the run and before recording the slot.
    await state.schedules.delete('done:sch:slack:C1:000001');
    await scheduler().step();
    await scheduler().step();
    expect(posts).toHaveLength(1);
  });

  it('a crash after a digest was recorded as sent and before its health still leaves its last run in the list', async () => {
    now = new Date('2026-12-07T14:00:00Z');
    // The store dies at the health write (the SIGKILL of tests/jobs/schedulerCrash.test.ts, here in one process).
    const real = state;
    state = {
      ...real,
      schedules: {
        ...real.schedules,
        set: async (key, value, ttlMs) => {
          if (key.startsWith('health:')) throw new Error('the process died here');
          return real.schedules.set(key, value, ttlMs);
        },
      },
    };
    await expect(scheduler().step()).rejects.toThrow('the process died here');
    state = real;
    await scheduler().step();
    expect(posts).toHaveLength(1);
    expect((await book.list())[0]?.lastRun).toEqual({
      at: '2026-12-07T14:00:00.000Z',
      slot: '2026-12-07T14:00:00.000Z',
    });
  });

  it('holds a paused schedule; resumed, one digest covers the days since the last one posted', async () => {
    now = new Date('2026-12-07T14:00:00Z');
    await scheduler().step();
    await book.setPaused(1, { reason: 'user', at: now.toISOString(), by: 'U1' });
    now = new Date('2026-12-14T14:00:00Z');
    await scheduler().step();
    expect(posts).toHaveLength(1);
    await book.setPaused(1, undefined);
    now = new Date('2026-12-21T14:00:00Z');
    await scheduler().step();
    expect(posts.map((p) => p.reply.title).at(-1)).toBe('Digest · Taiwan · 7 December 2026 – 21 December 2026');
  });

  it('after a run that could never be posted, the next covers the days since the last one posted', async () => {
    now = new Date('2026-12-07T14:00:00Z');
    await scheduler().step();
    now = new Date('2026-12-14T14:00:00Z');
    failures = [{ kind: 'rejected', detail: 'invalid_blocks' }];
    await scheduler().step();
    now = new Date('2026-12-21T14:00:00Z');
    await scheduler().step();
    expect(posts.map((p) => p.reply.title)).toEqual([
      'Digest · Taiwan · 30 November 2026 – 7 December 2026',
      'Digest · Taiwan · 7 December 2026 – 21 December 2026',
    ]);
  });

  it('drops the waiting digest of a cancelled schedule', async () => {
    now = new Date('2026-12-07T14:00:00Z');
    failures = [{ kind: 'transient', detail: 'socket hang up' }];
    const job = scheduler();
    await job.step();
    expect(await book.remove(1)).toBe(true);
    now = new Date('2026-12-07T15:00:00Z');
    await job.step();
    expect(posts).toEqual([]);
    const left: string[] = [];
    for await (const [key] of state.schedules.entries()) if (key.startsWith('out:')) left.push(key);
    expect(left).toEqual([]);
  });

  it('retries a transient failure later, and records it in the schedule', async () => {
    now = new Date('2026-12-07T14:00:00Z');
    failures = [{ kind: 'transient', detail: 'socket hang up' }];
    const job = scheduler();
    await job.step();
    expect(posts).toEqual([]);
    expect((await book.list())[0]?.lastFailure).toEqual({
      at: '2026-12-07T14:00:00.000Z',
      detail: 'transient: socket hang up',
    });
    now = new Date('2026-12-07T14:00:01Z'); // retry delay not yet passed (1.5 s with this jitter)
    await job.step();
    expect(posts).toEqual([]);
    now = new Date('2026-12-07T14:00:02Z');
    await job.step();
    expect(posts).toHaveLength(1);
  });

  it('waits out a rate limit, at most 15 minutes, saying so when it cuts a retry-after; no failure is recorded', async () => {
    now = new Date('2026-12-07T14:00:00Z');
    failures = [{ kind: 'rate-limited', retryAfterMs: 1e12, detail: 'ratelimited' }];
    const job = scheduler();
    await job.step();
    expect(posts).toEqual([]);
    expect(logged).toContain('warn: slack asked to wait 1000000000000 ms; waiting 900000 ms instead');
    expect((await book.list())[0]?.lastFailure).toBeUndefined();
    now = new Date('2026-12-07T14:14:59Z');
    await job.step();
    expect(posts).toEqual([]);
    now = new Date('2026-12-07T14:15:00Z');
    await job.step();
    expect(posts).toHaveLength(1);
  });

  it('pauses the schedule when the channel is gone, and tells whoever made it', async () => {
    now = new Date('2026-12-07T14:00:00Z');
    failures = [{ kind: 'gone', detail: 'channel_not_found' }];
    await scheduler().step();
    expect((await book.list())[0]?.paused).toEqual({
      reason: 'gone',
      at: '2026-12-07T14:00:00.000Z',
      detail: 'channel_not_found',
    });
    expect(direct).toEqual([
      {
        user: 'U1',
        text: 'Hotline paused digest schedule #1 in channel C1: the channel no longer exists or was archived (channel_not_found). Once Hotline can post there again, run /digest schedule resume 1 in that channel; the next digest covers the days since the last one posted.',
      },
    ]);
    now = new Date('2026-12-07T15:00:00Z');
    await scheduler().step();
    expect(posts).toEqual([]);
  });

  it('draws one chart for the digests of identical schedules, and draws again for another series or after a failure', async () => {
    for (const channel of ['C2', 'C3']) {
      await scheduleBook(state, { platform: 'slack', channel }, () => now).add({
        every: 'weekly',
        on: 1,
        at: '09:00',
        tz: 'America/New_York',
        filters: 'taiwan',
      });
    }
    await scheduleBook(state, { platform: 'slack', channel: 'C4' }, () => now).add({
      every: 'weekly',
      on: 1,
      at: '09:00',
      tz: 'America/New_York',
      filters: 'level:minister',
    });
    const drawn: string[] = [];
    let fails = 1;
    const counting: ChartRenderer = async (reply) => {
      drawn.push(reply.title);
      if (fails-- > 0) return { error: 'out of memory' };
      return chart(reply);
    };
    now = new Date('2026-12-07T14:00:00Z');
    await scheduler(counting).step();
    expect(posts.map((p) => [p.channel, p.files.length])).toEqual([
      ['C1', 0],
      ['C2', 1],
      ['C3', 1],
      ['C4', 1],
    ]);
    // The Taiwan chart failed for C1, was drawn for C2 and reused for C3; C4's series is another.
    expect(drawn).toEqual([
      'Digest · Taiwan · 30 November 2026 – 7 December 2026',
      'Digest · Taiwan · 30 November 2026 – 7 December 2026',
      'Digest · minister level · 30 November 2026 – 7 December 2026',
    ]);
  });

  it('posts the digest without its chart when the chart cannot be drawn, and logs why', async () => {
    now = new Date('2026-12-07T14:00:00Z');
    await scheduler(async () => ({ error: 'canvas exploded' })).step();
    expect(posts).toHaveLength(1);
    expect(posts[0]?.files).toEqual([]);
    expect(logged).toContain(
      'warn: digest out:sch:slack:C1:000001|2026-12-07T14:00:00.000Z: the chart could not be drawn (canvas exploded); posted without it',
    );
  });
});
