// Benchmark: load+validate, memory, query latency (p50/p99) and start-up on synthetic catalogs, with and
// without the catalog cache.
// Run: node bin/run-ts.js bench/catalog.bench.ts  (each size runs in its own process so memory figures are
// its own; start-up runs `hotline ask` as a new process: build dist/ first, `npm run build`, or it runs
// through tsx).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../commands/index.js';
import { loadCatalogCached } from '../src/catalogCache.js';
import { buildCatalog } from '../src/core/build.js';
import type { Catalog, DataFile } from '../src/core/catalog.js';
import { matchRecord } from '../src/core/detect/index.js';
import type { Draft } from '../src/core/detect/types.js';
import { ask } from '../src/core/dispatch.js';
import { searchIndex } from '../src/core/queries/search.js';
import { percentile } from './latency.js';
import { syntheticData, vocabularyWords } from './synthetic.js';

const SIZES = [1_000, 10_000, 100_000];
const NOW = '2026-11-24';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const QUERIES: [string, number][] = [
  ['/lastcontact level:minister', 2000],
  ['/lastcontact person:person-1', 2000],
  ['/lastcontact person:"office alias 7"', 2000],
  ['/lastcontact topic-3 level:theater-commander', 2000],
  ['/lastcontact kind:request-refused before:2000-01-01', 2000],
  ['/lastcontact mechanism:mechanism-4 format:video side:PRC', 2000],
  ['/timeline level:minister', 500],
  ['/timeline topic-7 since:2020-01-01 page:2', 500],
  ['/channels', 500],
  ['/digest topic-5', 500],
  ['/digest period:1y', 100],
  ['/search maritime hotline', 200],
  [`/search ${vocabularyWords()[99]}`, 500],
  [`/search ${vocabularyWords()[999]} ${vocabularyWords()[49]}`, 500],
  ['/search 2024-03-01-synthetic', 200],
];

const ms = (n: number) => `${n < 10 ? n.toFixed(3) : n.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function runSize(size: number): Promise<void> {
  const files = syntheticData(size);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  const result = buildCatalog(files);
  const loadMs = performance.now() - t0;
  if (!result.ok) throw new Error(`synthetic data invalid: ${JSON.stringify(result.errors.slice(0, 3))}`);
  const catalog = result.catalog;
  gc?.();
  const after = process.memoryUsage();
  const t1 = performance.now();
  searchIndex(catalog);
  const indexMs = performance.now() - t1;
  console.log(`\n## ${size.toLocaleString('en-US')} events`);
  console.log(`load+validate ${ms(loadMs)} · search index (built on first /search) ${ms(indexMs)}`);
  console.log(
    `heap ${mb(after.heapUsed)} (catalog ≈ ${mb(after.heapUsed - before.heapUsed)} + files) · RSS ${mb(process.memoryUsage().rss)}`,
  );
  // The queries run on the catalog the bot answers from: the cache's (events made on first use).
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-cache-'));
  let cached: Catalog;
  try {
    writeData(join(dir, 'data'), files);
    await loadCatalogCached(join(dir, 'data'), join(dir, 'cache'));
    const t2 = performance.now();
    const loaded = await loadCatalogCached(join(dir, 'data'), join(dir, 'cache'));
    if (!loaded.ok) throw new Error('synthetic data invalid');
    console.log(`from the cache (hash the data, check, read the header) ${ms(performance.now() - t2)}`);
    cached = loaded.catalog;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ctx = { catalog: cached, commands: COMMANDS, now: NOW };
  console.log('| query (catalog from the cache) | p50 | p99 |\n| --- | --- | --- |');
  for (const [line, runs] of QUERIES) {
    const reply = (await ask(line, ctx)).reply;
    if (reply.tone !== 'answer') throw new Error(`${line}: ${reply.fallbackText}`);
    for (let i = 0; i < 50; i++) await ask(line, ctx);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await ask(line, ctx);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(`| \`${line}\` | ${ms(percentile(times, 50))} | ${ms(percentile(times, 99))} |`);
  }
  // A feed item's draft matched against the record, as the watcher does for each new contact it drafts: the
  // first match on a fresh catalog from the cache (events made), then the same again.
  const mid = cached.event(Math.floor(cached.count / 2));
  const draft: Draft = {
    date: mid.start,
    participants: mid.participants.map((p) => ({ ...p })),
    mechanisms: [...mid.mechanisms],
    topics: [],
    sources: [],
    confidence: { date: 1, kind: 0, format: 0, level: 0, participants: 1, mechanisms: 1, topics: 0, readout: 0 },
  };
  gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t3 = performance.now();
  if (matchRecord(draft, cached)?.event === undefined) throw new Error('the draft of an event on record matched none');
  const firstMs = performance.now() - t3;
  gc?.();
  const rssAfter = process.memoryUsage().rss;
  const matchTimes: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    matchRecord(draft, cached);
    matchTimes.push(performance.now() - start);
  }
  matchTimes.sort((a, b) => a - b);
  console.log(
    `a draft matched against the record (matchRecord): first ${ms(firstMs)}, RSS ${mb(rssAfter - rssBefore)} more; then p50 ${ms(percentile(matchTimes, 50))}, p99 ${ms(percentile(matchTimes, 99))}`,
  );
}

function writeData(dir: string, files: readonly DataFile[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.text);
  }
}

/** One `hotline ask` process: wall and CPU milliseconds, peak RSS (GNU time), with the cache in `cache`. */
function askOnce(dir: string, cache: string, line: string): { wall: number; cpu: number; rss: number } {
  const args = [join(root, 'bin', 'hotline.js'), 'ask', line, '--data', dir, '--now', NOW];
  const env = { ...process.env, HOTLINE_CACHE_DIR: cache, STATE_URL: '' };
  const start = performance.now();
  // GNU time reports user and system seconds and the peak resident set size of the process, in kilobytes.
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, ...args], { encoding: 'utf8', env });
  const wall = performance.now() - start;
  if (run.status !== 0) throw new Error(`hotline ask exited ${run.status}: ${run.stderr}`);
  const [user, system, kb] = (run.stderr.trim().split('\n').at(-1) as string).split(' ').map(Number);
  return { wall, cpu: ((user as number) + (system as number)) * 1000, rss: (kb as number) * 1024 };
}

/** Start-up of `hotline ask` at `size` events: without a cache file (build, then write it), then from it. */
function startup(size: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-'));
  const runs = 3;
  try {
    writeData(join(dir, 'data'), syntheticData(size));
    const line = '/lastcontact level:minister';
    const cold = Array.from({ length: runs }, (_, i) => askOnce(join(dir, 'data'), join(dir, `cold-${i}`), line));
    const warm = Array.from({ length: runs }, () => askOnce(join(dir, 'data'), join(dir, 'cold-0'), line));
    const search = Array.from({ length: runs }, () => askOnce(join(dir, 'data'), join(dir, 'cold-0'), '/search talks'));
    const median = (list: { wall: number; cpu: number; rss: number }[], key: 'wall' | 'cpu' | 'rss') =>
      [...list].sort((a, b) => a[key] - b[key])[Math.floor(list.length / 2)]?.[key] as number;
    for (const [name, list] of [
      ['no cache file (build, write it)', cold],
      ['from the cache', warm],
      ['from the cache, `/search talks`', search],
    ] as const) {
      console.log(
        `| ${size.toLocaleString('en-US')} | ${name} | ${ms(median(list, 'wall'))} | ${ms(median(list, 'cpu'))} | ${mb(median(list, 'rss'))} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sizeArg = process.argv.indexOf('--size');
if (sizeArg !== -1) {
  await runSize(Number(process.argv[sizeArg + 1]));
} else {
  console.log(`# Hotline catalog benchmark · node ${process.version} · ${new Date().toISOString().slice(0, 10)}`);
  for (const size of SIZES) {
    execFileSync(
      process.execPath,
      ['--expose-gc', join(root, 'bin', 'run-ts.js'), fileURLToPath(import.meta.url), '--size', String(size)],
      {
        stdio: 'inherit',
      },
    );
  }
  console.log(
    `\n## Start-up: \`hotline ask "/lastcontact level:minister"\` as a new process, median of 3 (load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})\n`,
  );
  console.log('| events | catalog | wall | CPU | peak RSS |\n| --- | --- | --- | --- | --- |');
  for (const size of SIZES) startup(size);
  console.log(`(load after: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
}
