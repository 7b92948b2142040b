// Parsing off the event loop (src/feeds/parser.ts): the worker answers as the main thread would, the XML entity
// guard still refuses before any parser reads, the main thread keeps running timers while a large feed is parsed,
// and a parse past its time bound (a page too large to parse in time) is cut off, counted as that source's error, and the watcher goes on.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/dataFiles.js';
import { feedMemory } from '../../src/feeds/memory.js';
import { extractText, parseFeedXml } from '../../src/feeds/parse.js';
import { ParseError } from '../../src/feeds/parseError.js';
import { type FeedParser, inThreadParser, type ParseLimits, workerParser } from '../../src/feeds/parser.js';
import type { SourceReport } from '../../src/feeds/watch.js';
import { Watcher } from '../../src/jobs/watcher.js';
import { openState } from '../../src/state/index.js';
import { bundled, runProcess } from '../helpers.js';
import { feed, fixtureText, serve, startFeedServer } from './server.js';

const BASE = 'http://127.0.0.1:9';
const RSS = 'application/rss+xml';

/** An RSS feed of about `bytes` bytes of short items (the fetch limit lets 5 MB through). */
function largeFeed(bytes: number): string {
  const item = (i: number) =>
    `<item><guid>item-${i}</guid><title>Department announces contracts, part ${i}</title><link>${BASE}/a/${i}</link><description>Contract awards of the day.</description></item>`;
  const items: string[] = [];
  for (let i = 0, size = 0; size < bytes; i += 1) {
    items.push(item(i));
    size += (items[i] as string).length;
  }
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${items.join('')}</channel></rss>`;
}

/** A parse that takes well over the tests' bound: a 4.5 MB feed (about 1.3 s on the main thread here). */
const SLOW_FEED = largeFeed(4_500_000);
const RSS_SOURCE = { kind: 'rss' } as const;
/** The bound the cut-off tests give (the watcher's is 15 s), and what a parse past it fails with. */
const BOUND_MS = 400;
const CUT_OFF = 'parsing took more than 0.4 s: cut off (the parser restarts)';

const LAUGHS = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;">]><rss version="2.0"><channel><title>t</title><item><title>&lol1;</title><link>${BASE}/1</link></item></channel></rss>`;

const parsers: FeedParser[] = [];
afterEach(async () => {
  for (const parser of parsers.splice(0)) await parser.close();
});
function worker(limits: Partial<ParseLimits> = {}): FeedParser {
  const parser = workerParser(limits);
  parsers.push(parser);
  return parser;
}

/** Runs `parse` while a 5 ms interval counts its ticks; the ticks that ran before the parse settled. */
async function ticksDuring(parse: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const interval = setInterval(() => {
    ticks += 1;
  }, 5);
  try {
    await parse();
    return ticks;
  } finally {
    clearInterval(interval);
  }
}

describe('the parse worker', () => {
  it('GIVEN a feed, a listing and an article THEN it answers what the main thread would', async () => {
    const parser = worker();
    const xml = fixtureText('wargov-releases.xml', BASE);
    expect(await parser.parseSource({ kind: 'rss' }, xml, `${BASE}/releases`)).toEqual(
      parseFeedXml(xml, `${BASE}/releases`),
    );
    const page = `<html><body><ul class="l"><li><a href="/x/1">Minister meets counterpart</a> 2026-06-02</li></ul></body></html>`;
    expect(await parser.parseSource({ kind: 'html', items: { link: 'ul.l li a' } }, page, `${BASE}/list`)).toEqual([
      { key: `${BASE}/x/1`, title: 'Minister meets counterpart', url: `${BASE}/x/1`, published: '2026-06-02' },
    ]);
    const article = `<html><head><title>Readout</title></head><body><article><h1>Readout</h1><p>${'The two ministers spoke by video about relations between their militaries. '.repeat(4)}</p></article></body></html>`;
    const text = await parser.extractText(article, `${BASE}/a`);
    expect(text).toBe(extractText(article, `${BASE}/a`));
    expect(text).toContain('The two ministers spoke by video');
  });

  it('GIVEN HOTLINE_FROM_SOURCE=1 (dist/ not to be used) THEN the worker runs the TypeScript sources through tsx and answers the same', async () => {
    const before = process.env.HOTLINE_FROM_SOURCE;
    process.env.HOTLINE_FROM_SOURCE = '1'; // read when the worker starts, at the first parse
    try {
      const parser = worker();
      const xml = fixtureText('wargov-releases.xml', BASE);
      expect(await parser.parseSource({ kind: 'rss' }, xml, `${BASE}/releases`)).toEqual(
        parseFeedXml(xml, `${BASE}/releases`),
      );
    } finally {
      if (before === undefined) delete process.env.HOTLINE_FROM_SOURCE;
      else process.env.HOTLINE_FROM_SOURCE = before;
    }
  });

  it('GIVEN XML that declares entities THEN the worker refuses it with the guard’s ParseError, before parsing', async () => {
    const refused = worker().parseSource({ kind: 'rss' }, LAUGHS, BASE);
    await expect(refused).rejects.toThrow(ParseError);
    await expect(refused).rejects.toThrow(
      'refused: the XML declares entities (<!DOCTYPE … [<!ENTITY …>]), which a feed never needs',
    );
  });

  it('GIVEN a large feed (1 MB, 5,000 items) THEN timers keep running on the main thread while the worker parses it (on the calling thread none can)', async () => {
    const xml = largeFeed(1_000_000);
    const parser = worker();
    let items = 0;
    const ticks = await ticksDuring(async () => {
      items = (await parser.parseSource({ kind: 'rss' }, xml, BASE)).length;
    });
    expect(items).toBeGreaterThan(5_000);
    expect(ticks).toBeGreaterThan(0);
    // Why the watcher parses on the worker: parsed on this thread, the same feed lets no timer run until it is done.
    expect(await ticksDuring(() => inThreadParser.parseSource({ kind: 'rss' }, xml, BASE))).toBe(0);
  });

  it('GIVEN a parse past its time bound THEN it is cut off with a ParseError and the next parse runs on a new worker', async () => {
    const parser = worker({ timeoutMs: BOUND_MS });
    await expect(parser.parseSource(RSS_SOURCE, SLOW_FEED, BASE)).rejects.toThrow(new ParseError(CUT_OFF));
    const xml = fixtureText('wargov-releases.xml', BASE);
    expect(await parser.parseSource({ kind: 'rss' }, xml, BASE)).toEqual(parseFeedXml(xml, BASE));
  });

  it('GIVEN a page whose parse outgrows the heap bound THEN the worker alone is ended, the parse fails as a ParseError, and the next parse runs', async () => {
    const parser = worker({ maxHeapMb: 32 });
    // 150,000 empty paragraphs (1.2 MB): Readability's DOM of them outgrows 32 MB.
    const page = `<html><body>${'<p>x</p>'.repeat(150_000)}</body></html>`;
    await expect(parser.extractText(page, BASE)).rejects.toThrow(
      new ParseError('the parser failed: Worker terminated due to reaching memory limit: JS heap out of memory'),
    );
    const xml = fixtureText('wargov-releases.xml', BASE);
    expect(await parser.parseSource({ kind: 'rss' }, xml, BASE)).toEqual(parseFeedXml(xml, BASE));
  });

  it('GIVEN a closed parser THEN a parse is refused, and a parse in flight fails', async () => {
    const parser = worker();
    const inFlight = parser.parseSource(RSS_SOURCE, SLOW_FEED, BASE);
    await parser.close();
    await expect(inFlight).rejects.toThrow(new ParseError('not parsed: the watcher is stopping'));
    await expect(parser.parseSource({ kind: 'rss' }, LAUGHS, BASE)).rejects.toThrow(
      new ParseError('not parsed: the watcher is stopping'),
    );
  });

  it('GIVEN a parser closed while its worker starts THEN the parse waiting on it fails as stopped', async () => {
    const parser = worker();
    const starting = parser.parseSource({ kind: 'rss' }, LAUGHS, BASE);
    // One turn of the loop: the parse now waits on the worker, which takes far longer to load its modules.
    await new Promise((resolve) => setImmediate(resolve));
    await parser.close();
    await expect(starting).rejects.toThrow(new ParseError('not parsed: the watcher is stopping'));
  });
});

describe('the parse worker in the build', () => {
  it('GIVEN the compiled dist/ (npm start) THEN it parses on the worker, and the idle worker does not keep the process alive', async () => {
    // tests/globalSetup.ts rebuilt dist/ if a source was newer. No close(): the process must end by itself.
    const parser = pathToFileURL(join(packageRoot(), 'dist', 'src', 'feeds', 'parser.js')).href;
    const script = `import { workerParser } from ${JSON.stringify(parser)};
      const items = await workerParser().parseSource({ kind: 'rss' }, process.argv[1], 'http://127.0.0.1/');
      const { threadId } = await import('node:worker_threads');
      console.log(JSON.stringify({ items: items.length, threadId }));`;
    // A worker keeping the process alive would keep it running for good: runProcess's bound kills it, and it fails here.
    const { code, stdout, stderr } = await runProcess(process.execPath, [
      '--input-type=module',
      '-e',
      script,
      fixtureText('wargov-releases.xml', BASE),
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const xml = fixtureText('wargov-releases.xml', BASE);
    expect(JSON.parse(stdout)).toEqual({ items: parseFeedXml(xml, 'http://127.0.0.1/').length, threadId: 0 });
  });
});

describe('the watcher and a hostile feed', () => {
  it('GIVEN a source whose parse outlasts the bound THEN that source fails with the cut-off as its error, and the watcher polls the next', async () => {
    const state = await openState('sqlite::memory:');
    const server = await startFeedServer();
    server.routes.set('/hostile', serve(SLOW_FEED, RSS));
    server.routes.set(
      '/releases',
      serve(() => fixtureText('wargov-releases.xml', server.base), RSS),
    );
    const reports: SourceReport[] = [];
    const logs: string[] = [];
    let now = Date.parse('2026-06-03T12:00:00.000Z');
    const watcher = new Watcher({
      state,
      catalog: bundled,
      feeds: [feed('Hostile', `${server.base}/hostile`), feed('Releases', `${server.base}/releases`)],
      clock: () => new Date(now),
      random: () => 0.5,
      log: (level, message) => logs.push(`${level}: ${message}`),
      onReport: (report) => reports.push(report),
      parseLimits: { timeoutMs: BOUND_MS },
    });
    try {
      await watcher.step(); // first polls come within 5 s of start, at random: none due at once
      now += 60_000;
      await watcher.step();
      await watcher.idle();
      expect(reports.map((r) => r.feed).sort()).toEqual(['Hostile', 'Releases']);
      expect(reports.find((r) => r.feed === 'Hostile')).toMatchObject({ status: 'error', error: CUT_OFF, listed: 0 });
      expect(await feedMemory(state).health('Hostile')).toMatchObject({ failures: 1, lastError: { message: CUT_OFF } });
      expect(logs.filter((line) => line.includes('"Hostile"'))).toEqual([
        expect.stringMatching(
          /^warn: feed "Hostile": parsing took more than 0\.4 s: cut off \(the parser restarts\) \(failure 1 in a row; next try after /,
        ),
      ]);
      // The other source, parsed after the cut-off on a new worker, is read as usual.
      expect(reports.find((r) => r.feed === 'Releases')).toMatchObject({ status: 'ok' });
      expect((reports.find((r) => r.feed === 'Releases') as SourceReport).listed).toBeGreaterThan(0);
    } finally {
      await watcher.stop();
      await server.close();
      await state.close();
    }
  });
});
