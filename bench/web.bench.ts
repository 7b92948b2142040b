// Benchmark of the web view: page latency (p50/p99, over HTTP on 127.0.0.1 with keep-alive) at the bundled data and
// at 100,000 synthetic events, made afresh and from the answer cache, and the export time of 100,000 events per format.
// Run: node bin/run-ts.js bench/web.bench.ts
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { COMMANDS } from '../commands/index.js';
import { buildCatalog } from '../src/core/build.js';
import type { Catalog } from '../src/core/catalog.js';
import { EXPORT_FORMATS, exportEvents } from '../src/export/index.js';
import { withoutRevisions } from '../src/export/revisions.js';
import { loadCatalog } from '../src/load.js';
import { webListener } from '../src/web/router.js';
import { startWebServer } from '../src/web/server.js';
import { percentile } from './latency.js';
import { syntheticData } from './synthetic.js';

const NOW = '2026-11-24';
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One GET: resolves with the status and the size of the body once it is all read. */
function get(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    })
      .on('error', reject)
      .end();
  });
}

/** Sorted times of `runs` sequential requests of `url`, after a warm-up. */
async function timed(url: string, runs: number): Promise<number[]> {
  for (let i = 0; i < Math.min(20, runs); i++) await get(url);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await get(url);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

/**
 * p50 and p99 of each path made afresh every time (the answer cache off: what the first reader of a page waits),
 * and p50 from the cache (every reader after, until the record changes).
 */
async function pages(label: string, catalog: Catalog, paths: readonly [string, number][]): Promise<void> {
  const server = (cacheAnswers: boolean) =>
    startWebServer(
      webListener({
        catalog: () => catalog,
        commands: COMMANDS,
        today: () => NOW,
        baseUrl: () => 'https://hotline.example.org',
        cacheAnswers,
      }),
      0,
      '127.0.0.1',
    );
  const [fresh, cached] = await Promise.all([server(false), server(true)]);
  console.log(`\n## ${label}\n`);
  console.log('| page | status | size | made: p50 | made: p99 | cached: p50 |\n| --- | --- | --- | --- | --- | --- |');
  try {
    for (const [path, runs] of paths) {
      const first = await get(`${fresh.url}${path}`);
      const made = await timed(`${fresh.url}${path}`, runs);
      const hits = await timed(`${cached.url}${path}`, Math.max(runs, 50));
      const kb = first.bytes / 1024;
      const size = kb > 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${Math.round(kb)} KB`;
      const [p50, p99, hit] = [percentile(made, 50), percentile(made, 99), percentile(hits, 50)].map(ms);
      console.log(`| \`${path}\` | ${first.status} | ${size} | ${p50} | ${p99} | ${hit} |`);
    }
  } finally {
    await Promise.all([fresh.stop(), cached.stop()]);
  }
}

/** The paths measured: every kind of page, errors, and the exports of a selection. */
function pathsFor(catalog: Catalog, person: string, topic: string, runs: number): [string, number][] {
  const feedRuns = Math.max(5, Math.floor(runs / 10));
  const whole = catalog.events.length <= 1000;
  return [
    ['/', runs],
    ['/timeline', runs],
    ['/timeline?level=minister&page=2', runs],
    [`/timeline?topic=${topic}&since=2020-01-01`, runs],
    ['/channels', runs],
    ['/channels?date=2022-09-01', runs],
    [`/events/${catalog.events.at(-1)?.id}`, runs],
    [`/people/${person}`, runs],
    ['/timeline?levle=minister', runs],
    [`/events/${catalog.events.at(-1)?.id.slice(0, 11)}no-such-event`, runs],
    // The whole record where it is small; a few hundred events at 100,000 (over HTTP, at most 1,000).
    [whole ? '/feed.atom' : `/feed.atom?topic=${topic}&since=2025-01-01`, feedRuns],
    [whole ? '/events.ics' : '/events.ics?level=minister&since=2025-06-01', feedRuns],
    [whole ? '/events.csv' : '/events.csv?level=minister&since=2025-06-01', feedRuns],
    [whole ? '/events.json' : '/events.json?level=minister&since=2025-06-01', feedRuns],
  ];
}

console.log(`# Hotline web view benchmark · node ${process.version} · ${new Date().toISOString().slice(0, 10)}`);

const bundled = loadCatalog(new URL('../data', import.meta.url).pathname);
if (!bundled.ok) throw new Error('bundled data invalid');
const small = bundled.catalog;
await pages(`bundled data (${small.events.length} events)`, small, pathsFor(small, 'dong-jun', 'taiwan', 300));

const built = buildCatalog(syntheticData(100_000));
if (!built.ok) throw new Error('synthetic data invalid');
const big = built.catalog;
await pages('100,000 synthetic events', big, pathsFor(big, 'person-1', 'topic-3', 100));

console.log('\n## Export of all 100,000 events (in process, no HTTP; `hotline export`)\n');
console.log('| format | size | time |\n| --- | --- | --- |');
const events = withoutRevisions(big.events);
const input = {
  catalog: big,
  events,
  filter: '',
  scope: [],
  generated: `${NOW}T00:00:00.000Z`,
  publicUrl: 'https://hotline.example.org',
};
for (const format of EXPORT_FORMATS) {
  await exportEvents(format, { ...input, events: events.slice(0, 100) }); // loads the format's library first
  const start = performance.now();
  const text = await exportEvents(format, input);
  const seconds = (performance.now() - start) / 1000;
  console.log(`| ${format} | ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(0)} MB | ${seconds.toFixed(1)} s |`);
}
agent.destroy();
