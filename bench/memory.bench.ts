// Benchmark (issue 17): the process's memory before and after 100,000 state operations on each store
// (90% reads, 10% writes over 50 keys), after a full GC. Run: node --expose-gc bin/run-ts.js bench/memory.bench.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openState } from '../src/state/index.js';

const OPERATIONS = 100_000;
const tmp = mkdtempSync(join(tmpdir(), 'hotline-memory-'));
const stores = [
  ['embedded SQLite', `sqlite:${join(tmp, 'state.db')}`],
  ['Redis', process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'],
  ['PostgreSQL', process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'],
] as const;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rss = () => {
  gc();
  return process.memoryUsage().rss / 1048576;
};

for (const [name, url] of stores) {
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
  } finally {
    await state.destroy();
    await state.close();
  }
}
rmSync(tmp, { recursive: true, force: true });
