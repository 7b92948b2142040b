// Crash safety of the digest scheduler, as tests/jobs/crash.test.ts checks the notifier's: a child process runs
// the scheduler on a fixed clock with sixty weekly schedules due at that instant; it is SIGKILLed between
// queueing a run and recording its slot, and at many points of delivery, restarted each time under a new holder,
// and finally left to finish. No digest may be lost; a digest may be posted twice only when the kill fell
// between its post and its record, so there are at most as many duplicates as kills.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, type ExpectStatic, it } from 'vitest';
import { scheduleBook } from '../../src/schedules/book.js';
import { openState, type State } from '../../src/state/index.js';
import { backends, newScope, reachableOrSkipped } from '../fakes/backends.js';
import { expectDuplicatesOnlyAtKills, incarnations } from '../fakes/crashRuns.js';
import { deliveries, killChildren, lineCount, NotifierChild, until } from '../fakes/notifierChild.js';

/** Short, so a restart waits about a second at most for the killed holder's lease to expire. */
const LEASE_MS = '1000';
/** How long to wait for a child's step: generous, as the machine may be busy (children load TypeScript). */
const WAIT_MS = 120_000;
/** When the schedules are made, and the child's fixed clock: Monday 7 December 2026, 09:00 in New York. */
const MADE = new Date('2026-12-02T12:00:00.000Z');
const NOW = '2026-12-07T14:00:00.000Z';
/** One weekly schedule per channel, all due at NOW: enough that every kill lands with digests still waiting. */
const SCHEDULES = 60;
const CHANNELS = Array.from({ length: SCHEDULES }, (_, i) => `c${i + 1}`);
/** The digest each channel must get: its schedule #1's first run, the week before the slot. */
const TITLE = 'Digest · 30 November 2026 – 7 December 2026';

const tmp = mkdtempSync(join(tmpdir(), 'hotline-schedcrash-'));
const all = await backends(tmp);
afterAll(() => {
  killChildren();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * How many keys of the schedules namespace start with `prefix`. On Redis a pass can throw while the child
 * deletes runs (keyv's iterator fails on a key deleted between its SCAN and its MGET): such a pass is retried.
 */
async function count(state: State, prefix: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      let n = 0;
      for await (const [key] of state.schedules.entries()) if (key.startsWith(prefix)) n += 1;
      return n;
    } catch (error) {
      if (attempt >= 5 || !(error instanceof TypeError)) throw error;
    }
  }
}

describe.concurrent('scheduler crash safety', () => {
  describe.each(all)('$name', (backend) => {
    const { url } = backend;
    // In CI a missing server is a failure; locally it is a visible skip with the reason.
    const { skip, reason } = reachableOrSkipped(backend);

    it.skipIf(skip)(
      `SIGKILLed between queue and record and at five points of delivery, restarted: no digest lost, duplicates only where a kill fell between post and record${reason}`,
      async ({ expect }) => {
        const scope = newScope('schedcrash');
        const file = join(tmp, `${scope}.deliveries`);
        const state = await openState(url, { scope });
        try {
          await run(expect, url, scope, file, state);
        } finally {
          await state.destroy();
          await state.close();
        }
      },
      300_000,
    );
  });
});

async function run(expect: ExpectStatic, url: string, scope: string, file: string, state: State): Promise<void> {
  for (const channel of CHANNELS) {
    await scheduleBook(state, { platform: 'console', channel }, () => MADE).add({
      every: 'weekly',
      on: 1,
      at: '09:00',
      tz: 'America/New_York',
      filters: '',
    });
  }
  const expected = CHANNELS.map((channel) => `${channel}#1\t${TITLE}\t1`).sort();

  // Each run is started (and loads its code) while the one before still runs, and opens the state once
  // that one is dead; it takes over when the dead holder's lease has expired.
  const plans: NodeJS.ProcessEnv[] = [
    { HANG_QUEUE_AT: '12', REFUSE_POSTS: '1' },
    { HANG_POST: '8:after' },
    { HANG_POST: '5:before' },
    { POST_MS: '5' },
    { HANG_POST: '1:after' },
    { POST_MS: '5' },
    {},
  ];
  const { launch, kill, kills } = incarnations(
    file,
    plans,
    (n, plan) =>
      new NotifierChild(`${scope}-h${n}`, {
        JOB: 'scheduler',
        NOW,
        LEASE_MS,
        STATE_URL: url,
        STATE_SCOPE: scope,
        DELIVERIES: file,
        WAIT_GO: '1',
        ...plan,
      }),
    WAIT_MS,
  );

  // 1. Killed after queueing the 12th run and before recording its slot: nothing posted yet.
  const queueing = await launch();
  await queueing.waitFor('hung queue', WAIT_MS);
  await kill(queueing, 0, 'between queue and record');
  expect(deliveries(file)).toEqual([]);
  expect(await count(state, 'out:')).toBe(12);
  expect(await count(state, 'done:')).toBe(11);

  // 2. Killed after its 8th post was sent but before the post returned: that digest is unrecorded. The
  //    restart usually queued the 12th run again (setIfAbsent kept the one there) and the rest; but a round
  //    that finds its lease renewal late stops queueing, and delivery may then start with what is queued (the
  //    12 runs queued in 1), so on a busy machine the 12th slot may still be unrecorded here.
  const afterSend = await launch();
  await afterSend.waitFor('hung post after', WAIT_MS);
  await kill(afterSend, 0, 'after a post, before its record');
  expect(deliveries(file)).toHaveLength(8);
  const queued = await count(state, 'done:');
  expect(queued, `what ${afterSend.holder} logged:\n${afterSend.stderr}`).toBeGreaterThanOrEqual(11);
  expect(await count(state, 'sent:')).toBe(7);
  expect(await count(state, 'out:')).toBe(Math.max(queued, 12) - 7);

  // 3. Killed just before its 5th post. Its first post is the one posted but unrecorded in 2.
  const beforeSend = await launch();
  await beforeSend.waitFor('hung post before', WAIT_MS);
  await kill(beforeSend, 8, 'before a post');
  const third = deliveries(file);
  expect(third).toHaveLength(8 + 4);
  expect(third[8]?.notice).toBe(third[7]?.notice);
  expect(await count(state, 'sent:')).toBe(7 + 4);

  // 4. Killed wherever it happens to be once 5 more lines are on disk (posts slowed by 5 ms).
  const beforeFree = deliveries(file).length;
  const free = await launch();
  await until('5 more digests', () => lineCount(file) >= beforeFree + 5, { timeoutMs: WAIT_MS });
  await kill(free, beforeFree, 'after 5 more lines');

  // 5. Killed after its very first post (if 4 died between a post and its record, that same digest).
  const beforeFirst = deliveries(file).length;
  const first = await launch();
  await first.waitFor('hung post after', WAIT_MS);
  await kill(first, beforeFirst, 'after its first post');
  expect(deliveries(file)).toHaveLength(beforeFirst + 1);

  // 6. Killed wherever it is once 4 more lines are on disk.
  const beforeLast = deliveries(file).length;
  const last = await launch();
  await until('4 more digests', () => lineCount(file) >= beforeLast + 4, { timeoutMs: WAIT_MS });
  await kill(last, beforeLast, 'after 4 more lines');

  // Every delivery kill fell mid-delivery: that run had posted, and digests were still waiting.
  for (const k of kills.slice(1)) {
    expect(k.lines, `${k.holder} (${k.how}) posted before the kill`).toBeGreaterThan(k.before);
  }
  expect(await count(state, 'out:'), 'digests still waiting after the last kill').toBeGreaterThan(0);

  // Finally a run left to finish.
  const finisher = await launch();
  await until('every digest posted', async () => (await count(state, 'out:')) === 0, {
    timeoutMs: WAIT_MS,
    everyMs: 50,
  });
  await finisher.stop();
  expect(kills).toHaveLength(plans.length - 1);

  const lines = deliveries(file);
  expect([...new Set(lines.map((line) => line.notice))].sort()).toEqual(expected); // none lost, none unexpected
  expect(new Set(lines.map((line) => line.kind))).toEqual(new Set(['digest+chart'])); // each with its chart
  expect(await count(state, 'sent:')).toBe(SCHEDULES);
  expect(await count(state, 'health:')).toBe(SCHEDULES);

  // Duplicates only where a kill fell between a post and its record, and no two runs posting at once. Runs 2
  // and 5 were killed between a post and its record, so those two digests certainly came again.
  const extra = expectDuplicatesOnlyAtKills(expect, lines, kills);
  expect(extra).toContain(7);
  expect(extra).toContain(beforeFirst);
}
