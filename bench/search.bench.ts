// Benchmark: /search on a synthetic catalog (Chinese names and titles included): the index build, then
// p50/p99 of common, rare, prefix, misspelt, partly matching, Chinese and date queries, at the bot's
// limit (10) and at a deep page (101). Wall time includes any moment another process had the core; CPU
// time (process.cpuUsage) is what the query itself cost, so a loaded machine shows in the difference.
// Run: node bin/run-ts.js bench/search.bench.ts [--size 100000] [--runs 500]
import { performance } from 'node:perf_hooks';
import { buildCatalog } from '../src/core/build.js';
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
  ['April 2024', 10],
];

const ms = (n: number) => `${n < 10 ? n.toFixed(3) : n.toFixed(1)} ms`;
const keep = (h: SearchHit) => h.type !== 'event' || h.event.start <= NOW;

const built = buildCatalog(syntheticData(size, 1, { chinese: true }));
if (!built.ok) throw new Error(`synthetic data invalid: ${JSON.stringify(built.errors.slice(0, 3))}`);
const catalog = built.catalog;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
searchIndex(catalog);
const indexCpu = process.cpuUsage(cpu0);
console.log(
  `## ${size.toLocaleString('en-US')} events · search index ${ms(performance.now() - t0)} (CPU ${ms((indexCpu.user + indexCpu.system) / 1000)})`,
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
