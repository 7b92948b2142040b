// Benchmark: load+validate, memory, query latency (p50/p99) and start-up on synthetic catalogs.
// Run: npm run bench  (each size runs in its own process so memory figures are its own).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../commands/index.js';
import { buildCatalog } from '../src/core/build.js';
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
  const ctx = { catalog, commands: COMMANDS, now: NOW };
  const t1 = performance.now();
  searchIndex(catalog);
  const indexMs = performance.now() - t1;
  console.log(`\n## ${size.toLocaleString('en-US')} events`);
  console.log(`load+validate ${ms(loadMs)} · search index (built on first /search) ${ms(indexMs)}`);
  console.log(
    `heap ${mb(after.heapUsed)} (catalog ≈ ${mb(after.heapUsed - before.heapUsed)} + files) · RSS ${mb(process.memoryUsage().rss)}`,
  );
  console.log('| query | p50 | p99 |\n| --- | --- | --- |');
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
}

function startup(size: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-'));
  try {
    for (const file of syntheticData(size)) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.text);
    }
    const args = [join(root, 'bin', 'hotline.js'), 'ask', '/lastcontact level:minister', '--data', dir, '--now', NOW];
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      execFileSync(process.execPath, args, { stdio: 'ignore' });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    console.log(
      `start-up (hotline ask, ${size.toLocaleString('en-US')} events, from process start to answer): median ${ms(times[1] as number)} of 3`,
    );
    if (existsSync('/usr/bin/time')) {
      // GNU time reports the peak resident set size of the whole process, in kilobytes.
      const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8' });
      console.log(`start-up peak RSS: ${mb(Number(run.stderr.trim().split('\n').at(-1)) * 1024)}`);
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
  console.log('');
  startup(100_000);
}
