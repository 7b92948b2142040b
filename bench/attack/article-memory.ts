// What a 4.9 MB page costs Readability on this thread: a page of real paragraphs, and a hostile one of 612,500
// empty paragraphs. Prints the time, and the heap in use after; run under /usr/bin/time for the peak RSS:
//   /usr/bin/time -f '%M KB' node bin/run-ts.js bench/attack/article-memory.ts empty
import { performance } from 'node:perf_hooks';
import { extractText } from '../../src/feeds/parse.js';

const SIZE = 4_900_000;
const which = process.argv[3] ?? 'paragraphs';
const body =
  which === 'empty'
    ? '<p>x</p>'.repeat(SIZE / 8)
    : Array.from(
        { length: Math.ceil(SIZE / 96) },
        (_, i) => `<p>Paragraph ${i}: the two ministers spoke by video about relations between their militaries.</p>`,
      ).join('');
const started = performance.now();
const text = extractText(`<html><body>${body}</body></html>`, 'http://127.0.0.1/');
console.log(
  `${which}: ${Math.round(performance.now() - started)} ms, ${text?.length ?? 0} characters of text, ` +
    `${Math.round(process.memoryUsage().heapUsed / 1e6)} MB of heap in use after`,
);
