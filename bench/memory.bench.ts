// Benchmark (issue 17): the process's memory, after a full GC, on each store:
//   1. before and after 100,000 state operations (90% reads, 10% writes over 50 keys);
//   2. before and after a 10,000-channel fan-out: one event, one subscription per channel, delivered by the
//      notifier to a poster that accepts every post at once (the store's work only: fill, delivery, records).
// Each line gives the RSS and, in brackets, the V8 heap in use (after the same GC): RSS that grows while the heap
// does not is memory V8 or a driver keeps reserved, not objects still held.
// Run: node --expose-gc bin/run-ts.js bench/memory.bench.ts [--channels 10000] [--stores sqlite,redis,postgres] [--fan-outs 1]
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
    'fan-outs': { type: 'string', default: '1' },
  },
});
const CHANNELS = Number(args.channels);
const FAN_OUTS = Number(args['fan-outs']);
const WANTED = new Set((args.stores ?? '').split(','));
const heap = () => process.memoryUsage().heapUsed / 1048576;

const OPERATIONS = 100_000;
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
    // A second fan-out (same channels, a second subscription each; still one notice per channel) tells a leak
    // (it grows again) from memory reserved once (it does not).
    for (let round = 0; round < FAN_OUTS; round++) await fanOut(name, state, round);
  } finally {
    await state.destroy();
    await state.close();
  }
}
rmSync(tmp, { recursive: true, force: true });

/** RSS before and after the `round`-th event fanned out to CHANNELS channels (subscriptions made before `before`). */
async function fanOut(name: string, state: State, round: number): Promise<void> {
  const loaded = loadCatalog(FIXTURE_DIR);
  if (!loaded.ok) throw new Error('the fixture data is invalid');
  const { catalog } = loaded;
  const draft = { kind: 'events', include: {}, exclude: {} } as const;
  for (let i = 0; i < CHANNELS; i += 100) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(CHANNELS, i + 100); j++)
      batch.push(
        subscriptionBook(state, { platform: 'console', channel: `C${String(j).padStart(9, '0')}` }).add(draft),
      );
    await Promise.all(batch);
  }
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
  const before = rss();
  const heapBefore = heap();
  const started = performance.now();
  // A different event each round (publishing the same one again is 'unchanged' and notifies no one).
  const event = catalog.events[round % catalog.events.length] as NonNullable<(typeof catalog.events)[0]>;
  await publish(state, recordOf(event), new Date().toISOString());
  while (posted < CHANNELS) await notifier.step();
  const seconds = (performance.now() - started) / 1000;
  const after = rss();
  const heapAfter = heap();
  console.log(
    `${name}: RSS ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after a ${CHANNELS.toLocaleString('en-US')}-channel fan-out in ${seconds.toFixed(1)} s (${(after - before).toFixed(0)} MB) [heap ${heapBefore.toFixed(0)} → ${heapAfter.toFixed(0)} MB]`,
  );
}
