// Benchmark: how long the event loop is blocked while the watcher parses a large answer, on the main thread (as
// before) and on the parse worker (src/feeds/parser.ts). Each input is parsed `--runs` times by each parser while
// perf_hooks.monitorEventLoopDelay samples the main thread's loop (every 10 ms: a delay is the time between two
// samples, so an idle loop shows about 10 ms); the table gives the longest delay seen in any run, the highest 99th
// percentile of a run, and the parse's mean wall time. Inputs: a 4.9 MB RSS feed of short items (under the 5 MB fetch
// limit), a 4.9 MB HTML listing read without selectors, a 4.9 MB article page read with Readability, and a hostile
// listing of nested links.
// Run: node bin/run-ts.js bench/parse.bench.ts [--runs 3]
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type FeedParser, inThreadParser, workerParser } from '../src/feeds/parser.js';

const { values } = parseArgs({ args: process.argv.slice(3), options: { runs: { type: 'string', default: '3' } } });
const RUNS = Number(values.runs);
const BASE = 'http://127.0.0.1:9/';
const SIZE = 4_900_000;

/** `part(i)` repeated until the parts hold `bytes` characters. */
function repeat(bytes: number, part: (i: number) => string): string {
  const parts: string[] = [];
  for (let i = 0, size = 0; size < bytes; i += 1) {
    parts.push(part(i));
    size += (parts[i] as string).length;
  }
  return parts.join('');
}

const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${repeat(
  SIZE,
  (i) =>
    `<item><guid>item-${i}</guid><title>Department announces contracts, part ${i}</title><link>${BASE}a/${i}</link><description>Contract awards of the day.</description></item>`,
)}</channel></rss>`;
const listing = `<html><body><ul>${repeat(
  SIZE,
  (i) => `<li><a href="/news/${i}">Minister meets his counterpart in Beijing, part ${i}</a> 2026-06-02</li>`,
)}</ul></body></html>`;
const article = `<html><head><title>Readout</title></head><body><article><h1>Readout</h1>${repeat(
  SIZE,
  (i) => `<p>Paragraph ${i}: the two ministers spoke by video about relations between their militaries.</p>`,
)}</article></body></html>`;

// Hostile: each link nested in the one before, so the text read around each for its date holds all the links
// after it (quadratic: 20,000 such links, 1.7 MB, take about a minute).
const nested = `<html><body>${Array.from(
  { length: 4_000 },
  (_, i) => `<div><a href="/news/${i}">Minister meets counterpart, part ${i}</a>`,
).join('')}${'</div>'.repeat(4_000)}</body></html>`;

const inputs: [string, (parser: FeedParser) => Promise<unknown>][] = [
  ['RSS feed, 4.9 MB', (parser) => parser.parseSource({ kind: 'rss' }, feed, BASE)],
  ['HTML listing, 4.9 MB', (parser) => parser.parseSource({ kind: 'html' }, listing, BASE)],
  ['article (Readability), 4.9 MB', (parser) => parser.extractText(article, BASE)],
  ['nested listing, 4,000 links (0.3 MB)', (parser) => parser.parseSource({ kind: 'html' }, nested, BASE)],
];

const worker = workerParser();
// The worker starts at its first parse (module loading included): started before measuring.
await worker.parseSource({ kind: 'rss' }, '<rss version="2.0"><channel><title>t</title></channel></rss>', BASE);

console.log(`Node ${process.version}; ${RUNS} runs per row`);
console.log('| input | parsed on | longest loop delay | p99 loop delay | parse (wall) |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const [name, parse] of inputs) {
  for (const [where, parser] of [
    ['main thread', inThreadParser],
    ['worker', worker],
  ] as const) {
    let wall = 0;
    let longest = 0;
    let p99 = 0;
    for (let run = 0; run < RUNS; run += 1) {
      // A monitor per run: one enabled again would count the time it was off as a delay.
      const delays = monitorEventLoopDelay({ resolution: 10 });
      delays.enable();
      // Its first sample only sets where the next is measured from: taken before the parse starts.
      await new Promise((resolve) => setTimeout(resolve, 25));
      const started = performance.now();
      await parse(parser);
      wall += performance.now() - started;
      // One more sample after the parse, so a parse that blocked the loop is counted.
      await new Promise((resolve) => setTimeout(resolve, 20));
      delays.disable();
      longest = Math.max(longest, delays.max);
      p99 = Math.max(p99, delays.percentile(99));
    }
    const ms = (ns: number) => `${Math.round(ns / 1e6).toLocaleString('en-US')} ms`;
    console.log(
      `| ${name} | ${where} | ${ms(longest)} | ${ms(p99)} | ${Math.round(wall / RUNS).toLocaleString('en-US')} ms |`,
    );
  }
}
await worker.close();
