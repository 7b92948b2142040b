// Benchmark of the web view: page latency (p50/p99, over HTTP on 127.0.0.1 with keep-alive) at the bundled data and
// at 100,000 synthetic events, and the export time of all 100,000 events in each format.
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

/** p50 and p99 of `runs` sequential requests of each path, after a warm-up. */
async function pages(label: string, catalog: Catalog, paths: readonly [string, number][]): Promise<void> {
  const web = await startWebServer(
    webListener({
      catalog: () => catalog,
      commands: COMMANDS,
      today: () => NOW,
      baseUrl: () => 'https://hotline.example.org',
    }),
    0,
    '127.0.0.1',
  );
  console.log(`\n## ${label}\n\n| page | status | size | p50 | p99 |\n| --- | --- | --- | --- | --- |`);
  try {
    for (const [path, runs] of paths) {
      const first = await get(`${web.url}${path}`);
      for (let i = 0; i < Math.min(20, runs); i++) await get(`${web.url}${path}`);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await get(`${web.url}${path}`);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const size =
        first.bytes > 1024 * 1024
          ? `${(first.bytes / 1024 / 1024).toFixed(1)} MB`
          : `${Math.round(first.bytes / 1024)} KB`;
      console.log(
        `| \`${path}\` | ${first.status} | ${size} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 99))} |`,
      );
    }
  } finally {
    await web.stop();
  }
}

/** The paths measured: every kind of page, and the feeds of a filtered selection. */
function pathsFor(catalog: Catalog, event: string, person: string, topic: string, runs: number): [string, number][] {
  const feedRuns = Math.max(5, Math.floor(runs / 10));
  return [
    ['/', runs],
    ['/timeline', runs],
    ['/timeline?level=minister&page=2', runs],
    [`/timeline?topic=${topic}&since=2020-01-01`, runs],
    ['/channels', runs],
    ['/channels?date=2022-09-01', runs],
    [`/events/${event}`, runs],
    [`/people/${person}`, runs],
    ['/timeline?levle=minister', runs],
    ['/events/no-such-event', runs],
    [`/feed.atom?topic=${topic}&since=2024-01-01`, feedRuns],
    [`/events.ics?level=minister&since=2024-01-01`, feedRuns],
    [`/events.csv?level=minister&since=2024-01-01`, feedRuns],
    [`/events.json?level=minister&since=2024-01-01`, feedRuns],
    ...(catalog.events.length < 1000
      ? ([
          ['/feed.atom', feedRuns],
          ['/events.csv', feedRuns],
        ] as [string, number][])
      : []),
  ];
}

console.log(`# Hotline web view benchmark · node ${process.version} · ${new Date().toISOString().slice(0, 10)}`);

const bundled = loadCatalog(new URL('../data', import.meta.url).pathname);
if (!bundled.ok) throw new Error('bundled data invalid');
const latest = bundled.catalog.events.at(-1)?.id as string;
await pages(
  `bundled data (${bundled.catalog.events.length} events)`,
  bundled.catalog,
  pathsFor(bundled.catalog, latest, 'dong-jun', 'taiwan', 300),
);

const built = buildCatalog(syntheticData(100_000));
if (!built.ok) throw new Error('synthetic data invalid');
const big = built.catalog;
await pages('100,000 synthetic events', big, pathsFor(big, big.events.at(-1)?.id as string, 'person-1', 'topic-3', 60));

console.log('\n## Export of all 100,000 events (in process, no HTTP)\n\n| format | size | time |\n| --- | --- | --- |');
const events = withoutRevisions(big.events);
for (const format of EXPORT_FORMATS) {
  const input = {
    catalog: big,
    events,
    filter: '',
    scope: [],
    generated: `${NOW}T00:00:00.000Z`,
    publicUrl: 'https://hotline.example.org',
  };
  await exportEvents(format, { ...input, events: events.slice(0, 100) }); // loads the format's library first
  const start = performance.now();
  const text = await exportEvents(format, input);
  const took = performance.now() - start;
  console.log(
    `| ${format} | ${(Buffer.byteLength(text) / 1024 / 1024).toFixed(0)} MB | ${(took / 1000).toFixed(1)} s |`,
  );
}
agent.destroy();
