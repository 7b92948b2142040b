// Benchmark (issue 17): the bot's start-up work on the state store, publishCatalog, at 100,000 events from
// the catalog cache, on each store: the first start (every event new), then a restart with data/ unchanged,
// as the bot does it (the catalog's fingerprint matches the one last published), and, for comparison, the
// same restart compared event by event (no fingerprint: every event made, hashed and looked up).
// Run: node bin/run-ts.js bench/publish.bench.ts [--size 100000] [--stores sqlite,redis,postgres]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadCatalogCached } from '../src/catalogCache.js';
import type { Catalog } from '../src/core/catalog.js';
import { publishCatalog } from '../src/events/log.js';
import { startService } from '../src/service.js';
import { openState } from '../src/state/index.js';
import { syntheticData } from './synthetic.js';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    size: { type: 'string', default: '100000' },
    stores: { type: 'string', default: 'sqlite,redis,postgres' },
  },
});
const SIZE = Number(args.size);
const WANTED = new Set((args.stores ?? '').split(','));
const tmp = mkdtempSync(join(tmpdir(), 'hotline-publish-'));
const data = join(tmp, 'data');
for (const file of syntheticData(SIZE)) {
  mkdirSync(dirname(join(data, file.path)), { recursive: true });
  writeFileSync(join(data, file.path), file.text);
}
const cache = join(tmp, 'cache');
const silent = () => {};
/** A fresh catalog from the cache file, as a new process would read it (no event made yet). */
async function fromCache(): Promise<Catalog> {
  const result = await loadCatalogCached(data, cache, silent);
  if (!result.ok) throw new Error('the synthetic data is invalid');
  return result.catalog;
}
await fromCache(); // builds and writes the cache file once

const stores = [
  ['sqlite', 'embedded SQLite', `sqlite:${join(tmp, 'state.db')}`],
  ['redis', 'Redis', process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'],
  ['postgres', 'PostgreSQL', process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test'],
] as const;
const AT = '2026-12-03T00:00:00.000Z';
for (const [key, name, url] of stores) {
  if (!WANTED.has(key)) continue;
  let state: Awaited<ReturnType<typeof openState>>;
  try {
    state = await openState(url, { scope: `pubbench${process.pid}`, timeoutMs: 60_000 });
  } catch (error) {
    console.log(`${name}: skipped (${(error as Error).message})`);
    continue;
  }
  try {
    const time = async (what: string, catalog: Catalog) => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const counts = await publishCatalog(state, catalog, AT);
      const used = process.cpuUsage(cpu);
      console.log(
        `${name}: ${what}: ${((performance.now() - started) / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU (${counts.new} new, ${counts.revised} revised, ${counts.unchanged} unchanged)`,
      );
    };
    await time(`first start, ${SIZE.toLocaleString('en-US')} events`, await fromCache());
    await time('restart, data/ unchanged (fingerprint)', await fromCache());
    await time('restart, compared event by event', { ...(await fromCache()), fingerprint: undefined });
    // The whole of a start as the bot does it: publish, read the log, and the catalog to answer from. On an empty
    // store (its own scope) the log is not read back; on this one, published above, it is read whole the first
    // time, and from the checkpoint that start left the next.
    const starts: [string, string][] = [
      ['bot first start on an empty store (startService)', `pubbench${process.pid}first`],
      ['bot start, log read whole (startService)', `pubbench${process.pid}`],
      ['bot restart (startService)', `pubbench${process.pid}`],
    ];
    for (const [what, scope] of starts) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const service = await startService({
        stateUrl: url,
        catalog: await fromCache(),
        posters: {},
        scope,
        stateTimeoutMs: 60_000,
      });
      const used = process.cpuUsage(cpu);
      console.log(
        `${name}: ${what}: ${((performance.now() - started) / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU, ${service.catalog().count} events to answer from`,
      );
      if (scope !== `pubbench${process.pid}`) await service.state.destroy();
      await service.stop();
    }
    state = await openState(url, { scope: `pubbench${process.pid}`, timeoutMs: 60_000 });
  } finally {
    await state.destroy();
    await state.close();
  }
}
rmSync(tmp, { recursive: true, force: true });
