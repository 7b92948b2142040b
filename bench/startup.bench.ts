// Benchmark: `hotline ask` as a whole new process against a bare `node -e 0`, run in turn (A B A B …) so the
// ratio holds on a machine whose speed drifts. Issue 17's goal: `hotline ask "/help"` at most 3× node -e 0.
// Run: node bin/run-ts.js bench/startup.bench.ts [--runs 15]
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ args: process.argv.slice(3), options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);

/** Wall milliseconds of one run of `args` (node), which must exit 0. */
function time(args: string[]): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, STATE_URL: '' } });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number;

const cases: [string, string[]][] = [
  ['hotline ask "/help"', ['bin/hotline.js', 'ask', '/help']],
  ['hotline ask "/lastcontact level:minister"', ['bin/hotline.js', 'ask', '/lastcontact level:minister']],
];
console.log(
  `\n# Start-up: whole process, ${RUNS} runs each, in turn with node -e 0 (median wall time; ratio pair by pair)\n`,
);
console.log('| command | median | node -e 0 | ratio |');
console.log('| --- | --- | --- | --- |');
for (const [name, args] of cases) {
  time(args); // warm the catalog cache and the file system
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(time(args));
    b.push(time(['-e', '0']));
    ratios.push((a.at(-1) as number) / (b.at(-1) as number));
  }
  console.log(`| ${name} | ${median(a).toFixed(0)} ms | ${median(b).toFixed(0)} ms | ${median(ratios).toFixed(2)}× |`);
}
