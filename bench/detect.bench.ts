// Benchmark: candidate detection (issue 15) on the labelled headlines and summaries of
// tests/fixtures/candidates.yaml, against the bundled data: precision, recall and F1 on contacts, the items
// it gets wrong, how often a detected contact gets the labelled date and record event, and time per item.
// Run: node bin/run-ts.js bench/detect.bench.ts [--runs 20]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CORE_SCHEMA, load } from 'js-yaml';
import { type Detection, detectContact, type FeedItem, matchRecord } from '../src/core/detect/index.js';
import { packageRoot } from '../src/dataFiles.js';
import { loadCatalog } from '../src/load.js';

const { values } = parseArgs({ args: process.argv.slice(3), options: { runs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);

/** One labelled item of the fixture. */
interface Labelled extends FeedItem {
  id: string;
  label: 'contact' | 'not-contact';
  why: string;
  event?: string;
  contact_date?: string;
}

const built = loadCatalog();
if (!built.ok) throw new Error(`bad data: ${JSON.stringify(built.errors)}`);
const catalog = built.catalog;
const items = load(readFileSync(join(packageRoot(), 'tests/fixtures/candidates.yaml'), 'utf8'), {
  schema: CORE_SCHEMA,
}) as Labelled[];

const results = new Map<string, Detection>();
for (const item of items) results.set(item.id, detectContact(item, catalog));

let tp = 0;
let fp = 0;
let fn = 0;
const wrong: string[] = [];
for (const item of items) {
  const verdict = results.get(item.id)?.verdict;
  const truth = item.label === 'contact';
  if (verdict === 'contact' && truth) tp++;
  else if (verdict === 'contact') fp++;
  else if (truth) fn++;
  if ((verdict === 'contact') !== truth) {
    wrong.push(
      `  ${item.id} ${truth ? 'missed    ' : 'false alarm'} ${item.title.slice(0, 90)}\n      labelled: ${item.why.slice(0, 140)}\n      detector: ${results.get(item.id)?.reasons.join('; ')}`,
    );
  }
}
const precision = tp / (tp + fp);
const recall = tp / (tp + fn);
const f1 = (2 * precision * recall) / (precision + recall);

// Fields of the contacts it found, where the fixture says the answer.
const found = items.filter((i) => i.label === 'contact' && results.get(i.id)?.verdict === 'contact');
const dated = found.filter((i) => i.contact_date);
const rightDate = dated.filter((i) => results.get(i.id)?.draft?.date === i.contact_date);
const matched = found.filter((i) => i.event);
const rightEvent = matched.filter((i) => {
  const draft = results.get(i.id)?.draft;
  return draft !== undefined && matchRecord(draft, catalog)?.event === i.event;
});

// Time per item: every item once per run, after one warm-up pass (which builds the matchers).
const times: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  for (const item of items) detectContact(item, catalog);
  times.push((performance.now() - started) / items.length);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;

const zh = items.filter((i) => i.language === 'zh');
const zhRight = zh.filter((i) => (results.get(i.id)?.verdict === 'contact') === (i.label === 'contact'));
console.log(`\n# Candidate detection on tests/fixtures/candidates.yaml (${items.length} items, bundled data)\n`);
console.log(`contacts labelled: ${tp + fn}; detected: ${tp + fp} (true ${tp}, false ${fp}); missed: ${fn}`);
console.log(
  `precision ${precision.toFixed(3)} · recall ${recall.toFixed(3)} · F1 ${f1.toFixed(3)}  (goals: recall ≥ 0.95, precision ≥ 0.8)`,
);
console.log(`Chinese items right: ${zhRight.length}/${zh.length}`);
console.log(
  `of the contacts found: date = labelled contact date ${rightDate.length}/${dated.length}; matched to the labelled event ${rightEvent.length}/${matched.length}`,
);
console.log(
  `time per item: median ${(median * 1000).toFixed(0)} µs over ${RUNS} runs (min ${((times[0] ?? 0) * 1000).toFixed(0)} µs)`,
);
console.log(`\nwrong (${wrong.length}):\n${wrong.join('\n')}`);
