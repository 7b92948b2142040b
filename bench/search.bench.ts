// Benchmark: /search on a synthetic catalog (Chinese names and titles included): the index build (or, from
// the catalog cache, reading the stored index at the first search), then p50/p99 of common, rare, prefix,
// misspelt, partly matching, Chinese and date queries, at the bot's limit (10) and at a deep page (101).
// Wall time includes any moment another process had the core; CPU time (process.cpuUsage) is what the
// query itself cost, so a loaded machine shows in the difference.
// Run: node bin/run-ts.js bench/search.bench.ts [--size 100000] [--runs 500] [--built]
// (--built: the catalog built in process and its index built from the events, instead of the cache's.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCatalogCached } from '../src/catalogCache.js';
import { buildCatalog } from '../src/core/build.js';
import type { Catalog } from '../src/core/catalog.js';
import { type SearchHit, search, searchIndex } from '../src/core/queries/search.js';
import { percentile } from './latency.js';
import { syntheticData, vocabularyWords } from './synthetic.js';

const NOW = '2026-11-24';

const option = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const size = option('--size', 100_000);
const runs = option('--runs', 500);

const words = vocabularyWords();
const QUERIES: [string, number][] = [
  // The most common words of the synthetic prose together (Zipf: words[0] is 'talks', in most events).
  [`${words[0]} ${words[1]}`, 10],
  [`${words[1]} ${words[2]} ${words[3]}`, 10],
  ['maritime hotline', 10],
  ['maritime hotline', 101],
  ['talks', 10],
  ['talks maritime safety hotline crisis communication Taiwan strait', 10],
  [words[99] as string, 10],
  [`${words[999]} ${words[49]}`, 10],
  ['zha', 10],
  ['maritme hotlne', 10],
  ['maritime zzzqqq', 10],
  ['talks maritime safety hotline crisis zzzqqq', 10],
  ['国防部', 10],
  ['海上军事安全磋商', 10],
  ['zhao liu5', 10],
  ['2024-03', 10],
  ['2024-03-01', 10],
  ['April 2024', 10],
];

const ms = (n: number) => `${n < 10 ? n.toFixed(3) : n.toFixed(1)} ms`;
const keep = (h: SearchHit) => h.type !== 'event' || h.event.start <= NOW;

const fromCache = !process.argv.includes('--built');

/** The catalog as the bot has it: from the catalog cache (written by a first load), or built in process. */
async function catalogToSearch(): Promise<Catalog> {
  const files = syntheticData(size, 1, { chinese: true });
  if (!fromCache) {
    const built = buildCatalog(files);
    if (!built.ok) throw new Error(`synthetic data invalid: ${JSON.stringify(built.errors.slice(0, 3))}`);
    return built.catalog;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hotline-search-bench-'));
  try {
    for (const file of files) {
      mkdirSync(dirname(join(dir, 'data', file.path)), { recursive: true });
      writeFileSync(join(dir, 'data', file.path), file.text);
    }
    const log = (line: string) => console.error(line);
    await loadCatalogCached(join(dir, 'data'), join(dir, 'cache'), log); // builds and writes the cache
    const cached = await loadCatalogCached(join(dir, 'data'), join(dir, 'cache'), log);
    if (!cached.ok) throw new Error('synthetic data invalid');
    return cached.catalog;
  } finally {
    rmSync(dir, { recursive: true, force: true }); // the open cache file stays readable until closed
  }
}

const catalog = await catalogToSearch();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
searchIndex(catalog);
const indexCpu = process.cpuUsage(cpu0);
console.log(
  `## ${size.toLocaleString('en-US')} events · ${fromCache ? 'catalog from the cache · stored search index read' : 'catalog built in process · search index built'} ${ms(performance.now() - t0)} (CPU ${ms((indexCpu.user + indexCpu.system) / 1000)}) · RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`,
);
console.log(
  '| query | limit | hits | match | p50 | p99 | CPU p50 | CPU p99 |\n| --- | --- | --- | --- | --- | --- | --- | --- |',
);
for (const [query, limit] of QUERIES) {
  const first = search(catalog, query, limit, keep);
  for (let i = 0; i < 20; i++) search(catalog, query, limit, keep);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    search(catalog, query, limit, keep);
    const used = process.cpuUsage(startCpu);
    times.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const [p50, p99] = [percentile(times, 50), percentile(times, 99)];
  console.log(
    `| \`${query}\` | ${limit} | ${first.hits.length} | ${first.match} | ${ms(p50)} | ${ms(p99)} | ${ms(percentile(cpu, 50))} | ${ms(percentile(cpu, 99))} |`,
  );
}
