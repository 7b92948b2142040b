// Two instances of the service with digest schedules on one shared store (Redis, PostgreSQL): each due digest
// is posted by exactly one of them, once; when the instance holding the jobs lease stops, the other takes over
// and posts the digests due after that.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, type ExpectStatic, it } from 'vitest';
import { scheduledDigest } from '../../commands/digestSchedule.js';
import { COMMANDS } from '../../commands/index.js';
import type { Poster, PostOptions, PostResult } from '../../src/core/poster.js';
import type { Reply } from '../../src/core/reply.js';
import { scheduleBook } from '../../src/schedules/book.js';
import { type Service, startService } from '../../src/service.js';
import { openState, type State } from '../../src/state/index.js';
import { backends, newScope, reachableOrSkipped } from '../fakes/backends.js';
import { until } from '../fakes/notifierChild.js';
import { fixture } from '../helpers.js';

const LEASE_MS = 1500;
/** Generous: the machine may be busy. */
const WAIT_MS = 120_000;

const tmp = mkdtempSync(join(tmpdir(), 'hotline-schedinst-'));
// The shared stores; an embedded SQLite file is one process's.
const shared = (await backends(tmp)).filter((backend) => backend.name !== 'embedded SQLite');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** One post: which instance posted which schedule's digest (`<channel>#<schedule>`), and whether a file came with it. */
interface Posted {
  instance: string;
  digest: string;
  files: number;
}

/** A console poster that records every digest it posts in `posted`, as `instance`. */
function recorder(instance: string, posted: Posted[]): Poster {
  return {
    async post(channel: string, reply: Reply, options: PostOptions = {}): Promise<PostResult> {
      const id = reply.footer?.match(/Scheduled digest #(\d+)/)?.[1] ?? '?';
      posted.push({ instance, digest: `${channel}#${id}`, files: options.files?.length ?? 0 });
      return { ok: true, messageId: `${instance}-${posted.length}` };
    },
    async direct() {
      return { ok: false, failure: { kind: 'rejected', detail: 'no direct messages in this test' } };
    },
  };
}

/**
 * Adds one weekly schedule in each of `channels`, made eight days ago: each has a slot since then, so it is
 * due at once.
 */
async function scheduleIn(state: State, channels: string[]): Promise<string[]> {
  const made = new Date(Date.now() - 8 * 24 * 3600 * 1000);
  for (const channel of channels) {
    await scheduleBook(state, { platform: 'console', channel }, () => made).add({
      every: 'weekly',
      on: 1,
      at: '09:00',
      tz: 'UTC',
      filters: '',
    });
  }
  return channels.map((channel) => `${channel}#1`);
}

describe.concurrent('digest schedules across two instances', () => {
  describe.each(shared)('$name', (backend) => {
    // In CI a missing server is a failure; locally it is a visible skip with the reason.
    const { skip, reason } = reachableOrSkipped(backend);
    it.skipIf(skip)(
      `each due digest is posted once, by the lease holder; when it stops, the other takes over${reason}`,
      ({ expect }) => twoServices(expect, backend.url),
      3 * WAIT_MS,
    );
  });
});

async function twoServices(expect: ExpectStatic, url: string): Promise<void> {
  const scope = newScope('schedinst');
  const state = await openState(url, { scope });
  const posted: Posted[] = [];
  const services: Service[] = [];
  const stopped = new Set<number>();
  const stop = async (i: number) => {
    if (stopped.has(i)) return;
    stopped.add(i);
    await services[i]?.stop();
  };
  try {
    const first = await scheduleIn(
      state,
      Array.from({ length: 10 }, (_, i) => `a${i + 1}`),
    );
    for (const instance of ['one', 'two']) {
      services.push(
        await startService({
          stateUrl: url,
          scope,
          catalog: fixture(),
          posters: { console: recorder(instance, posted) },
          scheduling: {
            digest: (catalog, schedule, slot, previous) =>
              scheduledDigest({ catalog, commands: COMMANDS }, schedule, slot, previous),
            chart: async (reply) =>
              reply.chart ? { file: { name: 'contacts.png', data: new Uint8Array([137, 80]), alt: 'a chart' } } : {},
          },
          leaseMs: LEASE_MS,
          idleMs: 20,
          refreshMs: 200,
        }),
      );
    }
    const holding = () => services.findIndex((service) => service.runners[0]?.holding());
    await until('one instance to hold the lease', () => holding() >= 0, { timeoutMs: WAIT_MS });
    const holder = holding();
    const names = ['one', 'two'];
    const [holderName, otherName] = [names[holder], names[1 - holder]];

    // Digests due while both run: the holder posts them all, whenever they were made.
    await until('the first digests', () => posted.length >= first.length, { timeoutMs: WAIT_MS });
    const second = await scheduleIn(
      state,
      Array.from({ length: 10 }, (_, i) => `b${i + 1}`),
    );
    await until('the second digests', () => posted.length >= first.length + second.length, { timeoutMs: WAIT_MS });
    expect(new Set(posted.map((p) => p.instance))).toEqual(new Set([holderName]));

    // The holder stops (releasing the lease); digests due after that come from the other.
    await stop(holder);
    await until('the other instance to take over', () => services[1 - holder]?.runners[0]?.holding() === true, {
      timeoutMs: WAIT_MS,
    });
    const third = await scheduleIn(
      state,
      Array.from({ length: 10 }, (_, i) => `c${i + 1}`),
    );
    const all = [...first, ...second, ...third];
    await until('the third digests', () => posted.length >= all.length, { timeoutMs: WAIT_MS });
    await stop(1 - holder);

    // Both stopped: nothing more can come. Every digest exactly once, each with its chart.
    expect(posted.map((p) => p.digest).sort()).toEqual([...all].sort());
    expect(posted.every((p) => p.files === 1)).toBe(true);
    expect(posted.slice(first.length + second.length).map((p) => p.instance)).toEqual(third.map(() => otherName));
  } finally {
    for (const i of services.keys()) await stop(i);
    await state.destroy();
    await state.close();
  }
}
