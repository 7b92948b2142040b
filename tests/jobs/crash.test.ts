// Crash safety of the notifier: a child process is SIGKILLed in the middle of a fill and at many points of
// delivery, restarted each time under a new holder (which can take over only once the dead one's lease has
// expired), and finally left to finish. No notice may be lost; a notice may be posted twice only when the kill fell
// between its send and its record, so there are at most as many duplicates as kills.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, type ExpectStatic, it } from 'vitest';
import { type PublishedEvent, publish, recordOf } from '../../src/events/log.js';
import { CURSOR } from '../../src/jobs/notifier.js';
import { openState, type State } from '../../src/state/index.js';
import { subscriptionBook } from '../../src/subscriptions/book.js';
import { backends, newScope, reachableOrSkipped } from '../fakes/backends.js';
import { expectDuplicatesOnlyAtKills, incarnations } from '../fakes/crashRuns.js';
import { deliveries, killChildren, lineCount, NotifierChild, until } from '../fakes/notifierChild.js';
import { fixture } from '../helpers.js';

/** Short, so a restart waits about a second at most for the killed holder's lease to expire. */
const LEASE_MS = '1000';
const AT = '2027-03-01T00:00:00.000Z';

const tmp = mkdtempSync(join(tmpdir(), 'hotline-crash-'));
const all = await backends(tmp);
afterAll(() => {
  killChildren();
  rmSync(tmp, { recursive: true, force: true });
});

/**
 * How many entries a namespace has. On Redis a pass can throw while the child deletes outbox entries: keyv's
 * Redis iterator yields no value for a key deleted between its SCAN and its MGET, and keyv then fails with
 * "Cannot read properties of undefined (reading 'expires')". Such a pass is retried.
 */
async function count(state: State, namespace: 'outbox' | 'notices'): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      let n = 0;
      for await (const _ of state[namespace].entries()) n += 1;
      return n;
    } catch (error) {
      if (attempt >= 5 || !(error instanceof TypeError)) throw error;
    }
  }
}

// The data: thirty channels of one subscription each (a channel gets one notice per event however many of
// its subscriptions match); c21–c30 exclude meetings. Five log entries: four fixture events, then a corrected
// revision of the first, which each channel told of it hears as a follow-up.
const CHANNELS = Array.from({ length: 30 }, (_, i) => `c${i + 1}`);
const EXCLUDING_MEETINGS = new Set(CHANNELS.slice(20));
const VIDEO_CALL = '2024-04-16-austin-dong-video-call';
const MEETING = '2024-05-31-austin-dong-meeting';
const PUBLISHED = [VIDEO_CALL, MEETING, '2024-06-20-planned-talks', '2022-08-05-countermeasures'];

function events(): PublishedEvent[] {
  const byId = new Map(fixture().events.map((event) => [event.id, recordOf(event)]));
  const first = PUBLISHED.map((id) => byId.get(id) as PublishedEvent);
  const corrected = { ...first[0], summary: `${first[0]?.summary} Corrected place. [revision 2]` } as PublishedEvent;
  return [...first, corrected];
}

/** Every notice the channels must receive: 20 x 5 for c1–c20, 10 x 4 for c21–c30 (no meeting). */
function expectedNotices(): string[] {
  const notices: string[] = [];
  for (const channel of CHANNELS) {
    for (const [id, revision] of [...PUBLISHED.map((id) => [id, 1] as const), [VIDEO_CALL, 2] as const]) {
      if (EXCLUDING_MEETINGS.has(channel) && id === MEETING) continue;
      notices.push(`${channel}#1\t${id}\t${revision}`);
    }
  }
  return notices.sort();
}

describe.concurrent('notifier crash safety', () => {
  describe.each(all)('$name', (backend) => {
    const { url } = backend;
    // In CI a missing server is a failure; locally it is a visible skip with the reason.
    const { skip, reason } = reachableOrSkipped(backend);

    it.skipIf(skip)(
      `SIGKILLed mid-fill and at five points of delivery, restarted: nothing lost, duplicates only where a kill fell between send and record${reason}`,
      async ({ expect }) => {
        const scope = newScope('crash');
        const file = join(tmp, `${scope}.deliveries`);
        const state = await openState(url, { scope });
        try {
          await run(expect, url, scope, file, state);
        } finally {
          await state.destroy();
          await state.close();
        }
      },
    );
  });
});

async function run(expect: ExpectStatic, url: string, scope: string, file: string, state: State): Promise<void> {
  for (const channel of CHANNELS) {
    await subscriptionBook(state, { platform: 'console', channel }).add({
      kind: 'events',
      include: {},
      exclude: EXCLUDING_MEETINGS.has(channel) ? { kind: 'meeting' } : {},
    });
  }
  for (const event of events()) await publish(state, event, AT);
  const expected = expectedNotices();
  expect(expected).toHaveLength(140);

  // Each run is started (and loads its code) while the one before still runs, and opens the state once
  // that one is dead; it takes over when the dead holder's lease has expired.
  const plans: NodeJS.ProcessEnv[] = [
    { HANG_FILL_AFTER: '45', REFUSE_POSTS: '1' },
    { HANG_POST: '20:after' },
    { HANG_POST: '15:before' },
    { POST_MS: '2' },
    { HANG_POST: '1:after' },
    {},
    {},
  ];
  const { launch, kill, kills } = incarnations(
    file,
    plans,
    (n, env) =>
      new NotifierChild(`${scope}-h${n}`, {
        LEASE_MS,
        STATE_URL: url,
        STATE_SCOPE: scope,
        DELIVERIES: file,
        WAIT_GO: '1',
        ...env,
      }),
  );
  const cursor = async () => ((await state.cursors.get(CURSOR)) as { seq: number } | undefined)?.seq;

  // 1. Killed in the middle of the fill: 30 entries of the first log entry and 15 of the second's 20 are
  //    written, the cursor is at 1, nothing is posted yet.
  const filling = await launch();
  await filling.waitFor('hung fill');
  await kill(filling, 0, 'mid-fill');
  expect(deliveries(file)).toEqual([]);
  expect(await cursor()).toBe(1);
  expect(await count(state, 'outbox')).toBe(45);

  // 2. Killed after its 20th post was sent but before the post returned: that notice is unrecorded.
  const afterSend = await launch();
  await afterSend.waitFor('hung post after');
  await kill(afterSend, 0, 'after a send, before its record');
  expect(deliveries(file)).toHaveLength(20);
  expect(await cursor()).toBe(5); // the restart finished the fill
  expect(await count(state, 'outbox')).toBe(140 - 19);
  expect(await count(state, 'notices')).toBe(19);

  // 3. Killed just before its 15th post is sent. Its first post is the one sent but unrecorded in 2.
  const beforeSend = await launch();
  await beforeSend.waitFor('hung post before');
  await kill(beforeSend, 20, 'before a send');
  const third = deliveries(file);
  expect(third).toHaveLength(20 + 14);
  expect(third[20]?.notice).toBe(third[19]?.notice);
  expect(await count(state, 'outbox')).toBe(140 - 19 - 14);

  // 4. Killed wherever it happens to be once 25 more lines are on disk (posts slowed by 2 ms).
  const beforeFree = deliveries(file).length;
  const free = await launch();
  await until('25 more deliveries', () => lineCount(file) >= beforeFree + 25);
  await kill(free, beforeFree, 'after 25 more lines');

  // 5. Killed after sending its very first post (if 4 died between a send and its record, that same notice).
  const beforeFirst = deliveries(file).length;
  const first = await launch();
  await first.waitFor('hung post after');
  await kill(first, beforeFirst, 'after its first send');
  expect(deliveries(file)).toHaveLength(beforeFirst + 1);

  // 6. Killed wherever it is once 30 more lines are on disk.
  const beforeLast = deliveries(file).length;
  const last = await launch();
  await until('30 more deliveries', () => lineCount(file) >= beforeLast + 30);
  await kill(last, beforeLast, 'after 30 more lines');

  // Every delivery kill fell mid-delivery: that run had posted, and notices were still waiting.
  for (const k of kills.slice(1)) {
    expect(k.lines, `${k.holder} (${k.how}) posted before the kill`).toBeGreaterThan(k.before);
  }
  expect(await count(state, 'outbox'), 'notices still waiting after the last kill').toBeGreaterThan(0);

  // Finally a run left to finish.
  const finisher = await launch();
  await until('the outbox to empty', async () => (await count(state, 'outbox')) === 0, {
    timeoutMs: 20_000,
    everyMs: 50,
  });
  await finisher.stop();
  expect(kills).toHaveLength(plans.length - 1);

  const lines = deliveries(file);
  const unique = [...new Set(lines.map((line) => line.notice))].sort();
  expect(unique).toEqual(expected); // none lost, none unexpected
  expect(await count(state, 'outbox')).toBe(0);
  expect(await count(state, 'notices')).toBe(110); // one record per (channel, event)

  // Duplicates only where a kill fell between a send and its record, and no two runs delivering at once. Runs
  // 2 and 5 were killed between a send and its record, so those two notices certainly came again.
  const extra = expectDuplicatesOnlyAtKills(expect, lines, kills);
  expect(extra).toContain(19);
  expect(extra).toContain(beforeFirst);

  // The corrected revision follows up the channel's earlier notice of the same event.
  const messages = new Map(lines.map((line) => [line.messageId, line]));
  for (const line of lines) {
    if (line.revision === 1) {
      expect(line).toMatchObject({ kind: 'new', replyTo: '-' });
    } else {
      expect(line).toMatchObject({ kind: 'corrected', eventId: VIDEO_CALL });
      expect(messages.get(line.replyTo)).toMatchObject({ sub: line.sub, eventId: VIDEO_CALL, revision: 1 });
    }
  }
}
