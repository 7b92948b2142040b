// Benchmark of the exports: the time to write 1,000, 10,000 and 100,000 synthetic events (with Chinese names and
// titles) in each format, in process, as `hotline export` makes them (no event log read), and the size written.
// Run: node bin/run-ts.js bench/export.bench.ts   (a size: node bin/run-ts.js bench/export.bench.ts 10000)
import { performance } from 'node:perf_hooks';
import { buildCatalog } from '../src/core/build.js';
import { EXPORT_FORMATS, exportEvents } from '../src/export/index.js';
import { withoutRevisions } from '../src/export/revisions.js';
import { syntheticData } from './synthetic.js';

const NOW = '2026-11-24';
const asked = process.argv.slice(2).find((a) => /^\d+$/.test(a));
const SIZES = asked ? [Number(asked)] : [1_000, 10_000, 100_000];
const RUNS = 3;

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;
const time = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

console.log(`# Hotline export benchmark · node ${process.version} · ${new Date().toISOString().slice(0, 10)}\n`);
console.log(`Median of ${RUNS} runs after one warm-up (which also loads each format's library).\n`);
console.log('| events | format | size | time | per event |\n| --- | --- | --- | --- | --- |');
for (const count of SIZES) {
  const built = buildCatalog(syntheticData(count, 1, { chinese: true }));
  if (!built.ok) throw new Error('synthetic data invalid');
  const catalog = built.catalog;
  const input = {
    catalog,
    events: withoutRevisions(catalog.events),
    filter: '',
    scope: [],
    generated: `${NOW}T00:00:00.000Z`,
    publicUrl: 'https://hotline.example.org',
  };
  for (const format of EXPORT_FORMATS) {
    let bytes = Buffer.byteLength(await exportEvents(format, input));
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const text = await exportEvents(format, input);
      times.push(performance.now() - start);
      bytes = Buffer.byteLength(text);
    }
    const median = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] as number;
    console.log(
      `| ${count.toLocaleString('en')} | ${format} | ${size(bytes)} | ${time(median)} | ${((median / count) * 1000).toFixed(0)} µs |`,
    );
  }
}
