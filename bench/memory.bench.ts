// Benchmark (issue 17): the process's memory, after a full GC, on each store:
//   1. before and after 100,000 state operations (90% reads, 10% writes over 50 keys);
//   2. before and after a 10,000-channel fan-out: one event, one subscription per channel, delivered by the
//      notifier to a poster that accepts every post at once (the store's work only: fill, delivery, records).
// Each fan-out line gives the RSS before, right after (after a full GC) and settled (after SETTLE_MS idle and a
// full GC), and in brackets the V8 heap in use and reserved: RSS that grows while the heap in use does not is
// memory V8 or a driver keeps reserved for a while, not objects still held; the settled reading shows whether it
// comes back, and the rounds whether anything accumulates.
// Run: node --expose-gc bin/run-ts.js bench/memory.bench.ts [--channels 10000] [--stores sqlite,redis,postgres] [--fan-outs 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Poster } from '../src/core/poster.js';
import { publish, recordOf } from '../src/events/log.js';
import { Notifier } from '../src/jobs/notifier.js';
import { loadCatalog } from '../src/load.js';
import { openState, type State } from '../src/state/index.js';
import { subscriptionBook } from '../src/subscriptions/book.js';
import { FIXTURE_DIR } from '../tests/helpers.js';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    channels: { type: 'string', default: '10000' },
    stores: { type: 'string', default: 'sqlite,redis,postgres' },
    'fan-outs': { type: 'string', default: '3' },
  },
});
const CHANNELS = Number(args.channels);
const FAN_OUTS = Number(args['fan-outs']);
const WANTED = new Set((args.stores ?? '').split(','));
const heap = () => process.memoryUsage().heapUsed / 1048576;
const heapReserved = () => process.memoryUsage().heapTotal / 1048576;

const OPERATIONS = 100_000;
/** How long the process idles before a settled reading. */
const SETTLE_MS = 2_000;
const tmp = mkdtempSync(join(tmpdir(), 'hotline-memory-'));
const stores = [
  ['sqlite', 'embedded SQLite', `sqlite:${join(tmp, 'state.db')}`],
  ['redis', 'Redis', process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'],
  ['postgres', 'PostgreSQL', process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'],
] as const;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rss = () => {
  gc();
  return process.memoryUsage().rss / 1048576;
};

for (const [key, name, url] of stores) {
  if (!WANTED.has(key)) continue;
  let state: Awaited<ReturnType<typeof openState>>;
  try {
    state = await openState(url, { scope: `membench${process.pid}` });
  } catch (error) {
    console.log(`${name}: skipped (${(error as Error).message})`);
    continue;
  }
  try {
    for (let i = 0; i < 50; i++) await state.subscriptions.set(`k${i}`, { i });
    for (let i = 0; i < 5_000; i++) await state.subscriptions.get(`k${i % 50}`);
    const before = rss();
    for (let i = 0; i < OPERATIONS; i++) {
      if (i % 10 === 0) await state.subscriptions.set(`k${i % 50}`, { i });
      else await state.subscriptions.get(`k${i % 50}`);
    }
    const after = rss();
    console.log(
      `${name}: RSS ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after ${OPERATIONS.toLocaleString('en-US')} operations (${(after - before).toFixed(0)} MB)`,
    );
    // Further fan-outs to the same channels (a new event each) tell a leak (RSS climbs round after round) from
    // memory reserved once (it does not).
    await subscribeChannels(state);
    for (let round = 0; round < FAN_OUTS; round++) await fanOut(name, state, round);
  } finally {
    await state.destroy();
    await state.close();
  }
}
rmSync(tmp, { recursive: true, force: true });

/** One subscription to every event in each of CHANNELS channels. */
async function subscribeChannels(state: State): Promise<void> {
  const draft = { kind: 'events', include: {}, exclude: {} } as const;
  for (let i = 0; i < CHANNELS; i += 100) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(CHANNELS, i + 100); j++)
      batch.push(
        subscriptionBook(state, { platform: 'console', channel: `C${String(j).padStart(9, '0')}` }).add(draft),
      );
    await Promise.all(batch);
  }
}

/** RSS after a full GC, once the process has been idle for `ms` (V8 and the allocator give memory back lazily). */
async function settledRss(ms: number): Promise<number> {
  rss();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return rss();
}

/**
 * RSS before the `round`-th event fanned out to CHANNELS channels, right after it (after a full GC) and once
 * settled (SETTLE_MS idle, then a full GC).
 */
async function fanOut(name: string, state: State, round: number): Promise<void> {
  const loaded = loadCatalog(FIXTURE_DIR);
  if (!loaded.ok) throw new Error('the fixture data is invalid');
  const { catalog } = loaded;
  let posted = 0;
  const poster: Poster = {
    async post() {
      posted += 1;
      return { ok: true, messageId: String(posted) };
    },
    async direct() {
      return { ok: true, messageId: 'dm' };
    },
  };
  const notifier = new Notifier({ state, catalog: () => catalog, posters: { console: poster } });
  await notifier.step(); // the subscriptions read once, nothing to deliver yet
  const before = await settledRss(SETTLE_MS);
  const heapBefore = heap();
  const reservedBefore = heapReserved();
  const started = performance.now();
  // A different event each round (publishing the same one again is 'unchanged' and notifies no one).
  const event = catalog.events[round % catalog.events.length] as NonNullable<(typeof catalog.events)[0]>;
  await publish(state, recordOf(event), new Date().toISOString());
  while (posted < CHANNELS) await notifier.step();
  const seconds = (performance.now() - started) / 1000;
  const after = rss();
  const heapAfter = heap();
  const reservedAfter = heapReserved();
  const settled = await settledRss(SETTLE_MS);
  const mb = (value: number) => `${value.toFixed(0)} MB`;
  const delta = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(0)} MB`;
  console.log(
    `${name}: fan-out ${round + 1} to ${CHANNELS.toLocaleString('en-US')} channels in ${seconds.toFixed(1)} s: RSS ${mb(before)} before, ${mb(after)} right after (${delta(after - before)}), ${mb(settled)} settled (${delta(settled - before)}) [heap in use ${heapBefore.toFixed(0)} → ${heapAfter.toFixed(0)} MB, reserved ${reservedBefore.toFixed(0)} → ${reservedAfter.toFixed(0)} MB]`,
  );
}
