// Benchmark: the feed watcher (issue 15) against a local server on 127.0.0.1. How long from a feed item's
// appearance to its draft once a poll starts (conditional GET, parse, the article fetched and read with
// Readability, detection, the drafts book, the seen key), what an unchanged feed (304) costs, and a first poll of
// a 25-item feed. The wait before a poll (the source's interval, 15 min ± 10 %) comes on top: see PERFORMANCE.md.
// Run: node bin/run-ts.js bench/watcher.bench.ts [--runs 40] [--state sqlite::memory:]
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Feed } from '../src/core/schema.js';
import { draftBook } from '../src/drafts/book.js';
import { httpClient } from '../src/feeds/fetch.js';
import { pollSource, type WatchDeps } from '../src/feeds/watch.js';
import { startJobRunner } from '../src/jobs/runner.js';
import { Watcher } from '../src/jobs/watcher.js';
import { loadCatalog } from '../src/load.js';
import { openState } from '../src/state/index.js';
import { summary } from './latency.js';

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: { runs: { type: 'string', default: '40' }, state: { type: 'string', default: 'sqlite::memory:' } },
});
const RUNS = Number(values.runs);
const built = loadCatalog();
if (!built.ok) throw new Error('bad data');
const catalog = built.catalog;

// Synthetic items in the shape of the Department's releases (test text, not real releases): filler items,
// and at run i a new call readout whose one-line description sends the watcher to the article.
const FILLER = (n: number) =>
  `<item><guid isPermaLink="false">filler-${n}</guid><link>{{BASE}}/filler/${n}</link><title>Department announces contracts, part ${n}</title><description>${'Contract awards of the day, listed by service. '.repeat(8)}</description><dc:date>2026-06-02T12:00:00-04:00</dc:date></item>`;
const READOUT = (i: number) =>
  `<item><guid isPermaLink="false">readout-${i}</guid><link>{{BASE}}/readout/${i}</link><title>Readout of Secretary of War Pete Hegseth's Call With People's Republic of China Minister of National Defense Adm. Dong Jun (${i})</title><description>The Department's readout.</description><dc:date>2026-06-02T21:30:00-04:00</dc:date></item>`;
const ARTICLE = `<!DOCTYPE html><html lang="en"><head><title>Readout</title></head><body><nav><a href="/">Home</a></nav><article><h1>Readout</h1>
<p>Secretary of War Pete Hegseth spoke by phone on June 1 with People's Republic of China Minister of National Defense Adm. Dong Jun.</p>
<p>${'The two discussed relations between their militaries. '.repeat(6)}</p></article><footer>Footer</footer></body></html>`;

let items: string[] = [];
let version = 0;
const server = createServer((req, res) => {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (req.url === '/feed') {
    const etag = `"v${version}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag });
    res.end(
      `<?xml version="1.0"?><rss xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel><title>Releases</title>${items.join('').replaceAll('{{BASE}}', base)}</channel></rss>`,
    );
    return;
  }
  if (req.url?.startsWith('/readout/')) return void res.writeHead(200, { 'content-type': 'text/html' }).end(ARTICLE);
  res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><p>Contracts.</p></body></html>');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const source: Feed = {
  name: 'Bench releases',
  url: `${base}/feed`,
  kind: 'rss',
  side: 'US',
  language: 'en',
  confirmed: false,
  interval: 15,
};

const state = await openState(values.state, { scope: `bench_watcher_${process.pid}` });
const http = httpClient();
const deps: WatchDeps = {
  state,
  catalog: () => catalog,
  fetch: http.fetch,
  clock: () => new Date('2026-06-03T12:00:00Z'),
};

// A first poll: 25 items, all new (24 with long descriptions, the readout short: one article fetched).
items = [READOUT(0), ...Array.from({ length: 24 }, (_, n) => FILLER(n))];
let t0 = performance.now();
const first = await pollSource(source, deps);
const firstMs = performance.now() - t0;

// Appearance to draft: a new readout at the top of the feed, then one poll; the draft must exist after it.
const toDraft: number[] = [];
const unchanged: number[] = [];
for (let i = 1; i <= RUNS; i++) {
  items = [READOUT(i), ...items.slice(0, 24)];
  version += 1;
  t0 = performance.now();
  const report = await pollSource(source, deps);
  const ms = performance.now() - t0;
  if (report.proposals.length !== 1) throw new Error(`run ${i}: ${JSON.stringify(report)}`);
  toDraft.push(ms);
  t0 = performance.now();
  const again = await pollSource(source, deps);
  unchanged.push(performance.now() - t0);
  if (again.status !== 'not-modified') throw new Error(`run ${i}: expected 304, got ${again.status}`);
}
// Through the job: a Watcher on a job runner, the source's interval shortened to 1.2 s (the schema's
// minimum is 5 min), a new readout published at a random moment; the time until its proposal is reported.
const INTERVAL_MIN = 0.02;
const fast: Feed = { ...source, name: 'Bench releases (fast)', interval: INTERVAL_MIN };
let proposed: (() => void) | undefined;
const runner = startJobRunner({
  state,
  holder: 'bench',
  lease: 'jobs:feeds',
  idleMs: 50,
  jobs: (holds) => [
    new Watcher({
      state,
      catalog: () => catalog,
      feeds: [fast],
      holds,
      firstPollSpreadMs: 0,
      maxAgeDays: 100_000,
      onReport: (report) => {
        if (report.proposals.length > 0) proposed?.();
      },
    }),
  ],
});
const endToEnd: number[] = [];
const JOB_RUNS = Math.min(RUNS, 15);
for (let i = 0; i < JOB_RUNS; i++) {
  await new Promise((resolve) => setTimeout(resolve, Math.random() * INTERVAL_MIN * 60_000));
  const done = new Promise<void>((resolve) => {
    proposed = resolve;
  });
  items = [READOUT(1000 + i), ...items.slice(0, 24)];
  version += 1;
  t0 = performance.now();
  await done;
  endToEnd.push(performance.now() - t0);
}
await runner.stop();
const mean = endToEnd.reduce((a, b) => a + b, 0) / endToEnd.length;

const drafts = await draftBook(state).list();
console.log(`state ${state.kind} (${values.state}), ${RUNS} runs, bundled data (${catalog.events.length} events)`);
console.log(
  `first poll of 25 new items (1 article fetched): ${firstMs.toFixed(1)} ms, ${first.proposals.length} proposal`,
);
console.log(
  `new item to draft (one poll: GET 200, parse, article, detect, propose): ${summary(toDraft.sort((a, b) => a - b))}`,
);
console.log(`unchanged feed (304): ${summary(unchanged.sort((a, b) => a - b))}`);
console.log(
  `through the job, interval ${INTERVAL_MIN * 60} s, item published at a random moment → proposal: ${summary(endToEnd.sort((a, b) => a - b))} · mean ${mean.toFixed(0)} ms (${JOB_RUNS} runs)`,
);
console.log(`drafts in the book: ${drafts.length} (the readouts join one draft: same call)`);
await http.close();
await state.destroy();
await state.close();
server.close();
