// Benchmark: candidate detection (issue 15) on the labelled items of tests/fixtures/candidates.yaml, against
// the bundled data, read three ways: the title alone; the feed's item (title and summary, where the feed has
// one); and the watcher's real input, the item with the article's opening text (`text`, fetched when a feed
// has only a headline). For each: precision, recall and F1 on contacts and the items it gets wrong; for the
// watcher's input also how often a detected contact gets the labelled date and record event, and time per item.
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
  /** Where the article's opening text (`text`) was read. */
  text_source?: string;
  /** `held-out`: labelled before the detector first read it, added after its rules were set. */
  set?: 'held-out';
}

const built = loadCatalog();
if (!built.ok) throw new Error(`bad data: ${JSON.stringify(built.errors)}`);
const catalog = built.catalog;
const items = load(readFileSync(join(packageRoot(), 'tests/fixtures/candidates.yaml'), 'utf8'), {
  schema: CORE_SCHEMA,
}) as Labelled[];

/** The three readings of an item: what the detector is given. */
const MODES = {
  'title only': (i: Labelled): FeedItem => ({ ...i, summary: undefined, text: undefined }),
  'feed item (title + summary)': (i: Labelled): FeedItem => ({ ...i, text: undefined }),
  'with article text (the watcher)': (i: Labelled): FeedItem => i,
} as const;
type Mode = keyof typeof MODES;

interface Score {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  wrong: string[];
  results: Map<string, Detection>;
}

function score(mode: Mode, subset: readonly Labelled[] = items): Score {
  const results = new Map<string, Detection>();
  for (const item of subset) results.set(item.id, detectContact(MODES[mode](item), catalog));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const wrong: string[] = [];
  for (const item of subset) {
    const verdict = results.get(item.id)?.verdict;
    const truth = item.label === 'contact';
    if (verdict === 'contact' && truth) tp++;
    else if (verdict === 'contact') fp++;
    else if (truth) fn++;
    if ((verdict === 'contact') !== truth) {
      wrong.push(
        `  ${item.id} ${truth ? 'missed     ' : 'false alarm'} ${item.title.slice(0, 90)}\n      labelled: ${item.why.slice(0, 140)}\n      detector: ${results.get(item.id)?.reasons.join('; ')}`,
      );
    }
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn, wrong, results };
}

const scores = new Map<Mode, Score>(Object.keys(MODES).map((m) => [m as Mode, score(m as Mode)]));
const heldOut = items.filter((i) => i.set === 'held-out');
const heldOutScores = new Map<Mode, Score>(Object.keys(MODES).map((m) => [m as Mode, score(m as Mode, heldOut)]));
const watcher = scores.get('with article text (the watcher)') as Score;

// Fields of the contacts it found from the watcher's input, where the fixture says the answer.
const found = items.filter((i) => i.label === 'contact' && watcher.results.get(i.id)?.verdict === 'contact');
const dated = found.filter((i) => i.contact_date);
const rightDate = dated.filter((i) => watcher.results.get(i.id)?.draft?.date === i.contact_date);
const matched = found.filter((i) => i.event);
const rightEvent = matched.filter((i) => {
  const draft = watcher.results.get(i.id)?.draft;
  return draft !== undefined && matchRecord(draft, catalog)?.event === i.event;
});

// Time per item (watcher's input): every item once per run, after the passes above built the matchers.
const times: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  for (const item of items) detectContact(item, catalog);
  times.push((performance.now() - started) / items.length);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;

const contacts = items.filter((i) => i.label === 'contact').length;
const withText = items.filter((i) => i.text).length;
const withSummary = items.filter((i) => i.summary).length;
const zh = items.filter((i) => i.language === 'zh');
const zhRight = zh.filter((i) => (watcher.results.get(i.id)?.verdict === 'contact') === (i.label === 'contact'));
console.log(`\n# Candidate detection on tests/fixtures/candidates.yaml (${items.length} items, bundled data)\n`);
console.log(
  `${contacts} contacts, ${items.length - contacts} near misses; ${withSummary} items with a feed summary, ${withText} with the article's opening text`,
);
console.log('goals: recall ≥ 0.95, precision ≥ 0.8\n');
console.log('| input | precision | recall | F1 | true | false alarms | missed |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [mode, s] of scores) {
  console.log(
    `| ${mode} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.f1.toFixed(3)} | ${s.tp} | ${s.fp} | ${s.fn} |`,
  );
}
const heldOutContacts = heldOut.filter((i) => i.label === 'contact').length;
console.log(
  `\nheld out (${heldOut.length} items: ${heldOutContacts} contacts, ${heldOut.length - heldOutContacts} near misses; labelled first, added after the rules were set):\n`,
);
console.log('| input | precision | recall | true | false alarms | missed |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [mode, s] of heldOutScores) {
  console.log(`| ${mode} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.tp} | ${s.fp} | ${s.fn} |`);
}
console.log(`\nwith article text: Chinese items right ${zhRight.length}/${zh.length}`);
console.log(
  `of the contacts found with article text: date = labelled contact date ${rightDate.length}/${dated.length}; matched to the labelled event ${rightEvent.length}/${matched.length}`,
);
console.log(
  `time per item (with article text): median ${(median * 1000).toFixed(0)} µs over ${RUNS} runs (min ${((times[0] ?? 0) * 1000).toFixed(0)} µs)`,
);
for (const [mode, s] of scores) console.log(`\n## wrong, ${mode} (${s.wrong.length}):\n${s.wrong.join('\n')}`);
