// Benchmark: the digest's chart (issue 14) on the bundled data: the first render (which loads chart.js and the
// canvas and registers the font), then p50/p99 of renders after a warm-up, and the PNG's size.
// Run: node bin/run-ts.js bench/chart.bench.ts [--runs 20]
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CHART_HEIGHT, CHART_WIDTH, renderContactsChart } from '../src/charts/contactsChart.js';
import { shiftDays } from '../src/core/dates.js';
import { contactsByMonth } from '../src/core/queries/contactsByMonth.js';
import { loadCatalog } from '../src/load.js';
import { summary, timeSequential } from './latency.js';

const { values } = parseArgs({ args: process.argv.slice(3), options: { runs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);

const built = loadCatalog();
if (!built.ok) throw new Error(`bad data: ${JSON.stringify(built.errors)}`);
const catalog = built.catalog;
// A weekly digest ending on the day the record is reviewed to: a fixed day, so runs compare.
const to = catalog.coverage.reviewedTo;
const window = { from: shiftDays(to, -6), to };

let started = performance.now();
const series = contactsByMonth(catalog, {}, { to, window });
const seriesMs = performance.now() - started;

started = performance.now();
const first = await renderContactsChart(series);
const firstMs = performance.now() - started;

const times = await timeSequential(RUNS, 3, async () => {
  const t = performance.now();
  await renderContactsChart(series);
  return performance.now() - t;
});

console.log(`\n# Chart: contacts per month by level, ${CHART_WIDTH}×${CHART_HEIGHT}, bundled data to ${to}\n`);
console.log(`series (contactsByMonth, ${series.total} contacts in 12 months): ${seriesMs.toFixed(2)} ms`);
console.log(`first render (loads chart.js and the canvas, registers the font): ${firstMs.toFixed(0)} ms`);
console.log(`${RUNS} renders after 3 warm-up: ${summary(times)}`);
console.log(`PNG: ${(first.length / 1024).toFixed(1)} KB`);
