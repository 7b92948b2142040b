// A source that is down, slow, huge, redirects, not XML, malformed or hostile (issue 15, "Bad input"): each is
// logged with the source's name, backed off, and changes nothing else.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftBook } from '../../src/drafts/book.js';
import { checkDraftEvent } from '../../src/drafts/event.js';
import { type HttpClient, httpClient } from '../../src/feeds/fetch.js';
import { feedMemory } from '../../src/feeds/memory.js';
import { pollSource, type WatchDeps } from '../../src/feeds/watch.js';
import { Watcher } from '../../src/jobs/watcher.js';
import { openState, type State } from '../../src/state/index.js';
import { bundled } from '../helpers.js';
import {
  type FeedServer,
  feed,
  fixtureText,
  POLL_NOW as NOW,
  pollDeps,
  redirect,
  serve,
  startFeedServer,
} from './server.js';

const catalog = bundled();
const RSS = 'application/rss+xml';

/** An RSS document with one item. */
const rss = (item: string, prolog = '') =>
  `<?xml version="1.0"?>${prolog}<rss version="2.0"><channel><title>t</title>${item}</channel></rss>`;

const laughs = () => {
  let entities = '<!ENTITY lol "lol">';
  for (let i = 1; i <= 9; i++) entities += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
  return rss('<item><title>&lol9;</title><link>http://127.0.0.1/1</link></item>', `<!DOCTYPE rss [${entities}]>`);
};

describe('a bad source', () => {
  let server: FeedServer;
  let state: State;
  let http: HttpClient;
  let deps: WatchDeps;
  const logs: string[] = [];
  beforeEach(async () => {
    server = await startFeedServer();
    state = await openState('sqlite::memory:');
    http = httpClient({ timeoutMs: 300, maxBytes: 20_000 });
    logs.length = 0;
    deps = pollDeps(state, http.fetch, logs);
  });
  afterEach(async () => {
    await http.destroy();
    await server.close();
    await state.close();
  });

  /** Polls a source served by `route` at /feed and returns the error, after checking nothing else changed. */
  async function failing(route: Parameters<FeedServer['routes']['set']>[1], kind: 'rss' | 'html' = 'rss') {
    server.routes.set('/feed', route);
    const report = await pollSource(feed('Bad source', `${server.base}/feed`, kind), deps);
    expect(report.status).toBe('error');
    expect(report.proposals).toEqual([]);
    expect(await draftBook(state).list()).toEqual([]);
    const health = await feedMemory(state).health('Bad source');
    expect(health).toMatchObject({ failures: 1, itemsSeen: 0, lastError: { at: NOW.toISOString() } });
    expect(health?.lastSuccess).toBeUndefined();
    // Twice the 15-minute interval after a first failure, jitter 0 at random 0.5.
    expect(health?.backoffUntil).toBe('2026-06-03T12:30:00.000Z');
    expect(logs).toEqual([
      `warn: feed "Bad source": ${report.error} (failure 1 in a row; next try after 2026-06-03T12:30:00.000Z)`,
    ]);
    return report.error;
  }

  it('a server that never answers: no answer within the configured time', async () => {
    expect(await failing(() => {})).toBe('no answer within 300 ms');
  });

  it('a body past the size limit, declared or streamed, is abandoned', async () => {
    const declared = await failing((_req, res) => {
      res.writeHead(200, { 'content-type': RSS, 'content-length': '50000' }).end('x'.repeat(50_000));
    });
    expect(declared).toBe('too large: 50000 bytes (the limit is 20000)');
    await state.feeds.delete('source:Bad source');
    logs.length = 0;
    const streamed = await failing((_req, res) => {
      res.writeHead(200, { 'content-type': RSS });
      // Chunked, no Content-Length: counted as it comes.
      for (let i = 0; i < 50; i++) res.write('x'.repeat(1_000));
      res.end();
    });
    expect(streamed).toBe('too large: more than 20000 bytes');
  });

  it('an answer that is not XML, or an HTML page where a feed was expected', async () => {
    expect(await failing(serve('{"items": []}', 'application/json'))).toBe(
      'not XML: the answer does not start with "<"',
    );
    await state.feeds.delete('source:Bad source');
    logs.length = 0;
    expect(await failing(serve('<!DOCTYPE html><html><body>Moved</body></html>', 'text/html'))).toBe(
      'not XML: an HTML page (is the URL a feed?)',
    );
  });

  it('an HTTP error, with the status', async () => {
    expect(await failing((_req, res) => res.writeHead(503).end())).toBe('HTTP 503');
  });

  it('billion laughs: refused before any entity expands', async () => {
    expect(await failing(serve(laughs(), RSS))).toBe(
      'refused: the XML declares entities (<!DOCTYPE … [<!ENTITY …>]), which a feed never needs',
    );
  });

  it('an external entity: refused, the file never read', async () => {
    const xxe = rss(
      '<item><title>a &xxe; b</title><link>http://127.0.0.1/1</link></item>',
      '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    );
    expect(await failing(serve(xxe, RSS))).toBe(
      'refused: the XML declares entities (<!DOCTYPE … [<!ENTITY …>]), which a feed never needs',
    );
  });

  it('a redirect loop: more than the bound', async () => {
    expect(await failing(redirect('/feed', 302))).toBe('more than 5 redirects');
  });

  it('a listing whose selectors match nothing', async () => {
    server.routes.set('/feed', serve('<html><body><p>Nothing here</p></body></html>', 'text/html'));
    const report = await pollSource(
      feed('Bad source', `${server.base}/feed`, 'html', { items: { link: 'ul.list1 li a' } }),
      deps,
    );
    expect(report.error).toBe('no items: the listing has no links the selectors match');
  });
});

describe('a source that redirects or is sloppy', () => {
  let server: FeedServer;
  let state: State;
  let http: HttpClient;
  let deps: WatchDeps;
  beforeEach(async () => {
    server = await startFeedServer();
    state = await openState('sqlite::memory:');
    http = httpClient({ timeoutMs: 2_000 });
    deps = { state, catalog: () => catalog, fetch: http.fetch, clock: () => NOW, random: () => 0.5 };
  });
  afterEach(async () => {
    await http.destroy();
    await server.close();
    await state.close();
  });

  it('follows defense.gov → war.gov style redirects; relative links resolve against the final address', async () => {
    server.routes.set('/old/feed.xml', redirect('/moved/feed.xml', 301));
    server.routes.set('/moved/feed.xml', redirect(`${server.base}/new/feed.xml`, 308));
    server.routes.set(
      '/new/feed.xml',
      serve(rss('<item><title>Budget hearings scheduled</title><link>items/1.html</link></item>'), RSS),
    );
    server.routes.set('/new/items/1.html', serve('<html><body><p>Short.</p></body></html>', 'text/html'));
    const report = await pollSource(feed('Moved', `${server.base}/old/feed.xml`), deps);
    expect(report).toMatchObject({ status: 'ok', listed: 1, fresh: 1 });
    expect(server.count('/new/items/1.html')).toBe(1);
  });

  it('reads malformed XML as real feeds send it: a stray &, HTML entities XML does not define, no channel link', async () => {
    const sloppy = `<?xml version="1.0"?><rss version="2.0"><channel><title>News & views</title>
      <item><title>Secretary of War Pete Hegseth speaks by phone with Chinese Minister of National Defense Dong Jun</title>
      <link>${server.base}/a/1</link><description>Q&A&nbsp;&mdash; Secretary of War Pete Hegseth held a call with Chinese defense minister Dong Jun on Monday & discussed military relations. This text is written for Hotline's tests, long enough that no article is fetched for it at all.</description>
      <pubDate>Tue, 02 Jun 2026 10:00:00 GMT</pubDate></item></channel></rss>`;
    server.routes.set('/feed', serve(sloppy, RSS));
    const report = await pollSource(feed('Sloppy', `${server.base}/feed`), deps);
    expect(report).toMatchObject({ status: 'ok', listed: 1, fresh: 1 });
    expect(report.proposals.map((p) => p.outcome)).toEqual([{ outcome: 'created', id: 1 }]);
    expect((await draftBook(state).get(1))?.draft.date).toBe('2026-06-01');
  });

  it('an item listed twice is read once', async () => {
    const item = `<item><guid>same</guid><title>Budget hearings scheduled</title><link>${server.base}/a/1</link><description>${'Long enough. '.repeat(30)}</description></item>`;
    server.routes.set('/feed', serve(rss(item + item), RSS));
    const report = await pollSource(feed('Twice', `${server.base}/feed`), deps);
    expect(report).toMatchObject({ status: 'ok', listed: 2, fresh: 1 });
  });

  it('an article that cannot be fetched: the draft is made from the summary', async () => {
    const item = `<item><title>Readout of Secretary of War Pete Hegseth's Call With PRC Minister of National Defense Adm. Dong Jun</title>
      <link>${server.base}/gone</link><description>Secretary Hegseth spoke by phone with Adm. Dong Jun.</description>
      <pubDate>Tue, 02 Jun 2026 10:00:00 GMT</pubDate></item>`;
    server.routes.set('/feed', serve(rss(item), RSS));
    server.routes.set('/gone', (_req, res) => res.writeHead(500).end());
    const report = await pollSource(feed('Summary only', `${server.base}/feed`), deps);
    expect(report.articleFailures).toEqual([{ url: `${server.base}/gone`, reason: 'HTTP 500' }]);
    expect(report.proposals.map((p) => p.outcome)).toEqual([{ outcome: 'created', id: 1 }]);
    expect((await draftBook(state).get(1))?.draft.kind).toBe('call');
  });
});

describe('links to another site', () => {
  it('never fetches an article off the source’s site: the summary is read instead', async () => {
    const server = await startFeedServer();
    const state = await openState('sqlite::memory:');
    const http = httpClient({ timeoutMs: 2_000 });
    try {
      // Same server, another host name: what a feed pointing at an intranet address looks like.
      const elsewhere = server.base.replace('127.0.0.1', 'localhost');
      const item = `<item><title>Budget hearings scheduled</title><link>${elsewhere}/internal/admin</link><description>Short.</description></item>`;
      server.routes.set('/feed', serve(rss(item), RSS));
      const report = await pollSource(feed('Elsewhere', `${server.base}/feed`), {
        state,
        catalog: () => catalog,
        fetch: http.fetch,
        clock: () => NOW,
      });
      expect(report.articleFailures).toEqual([
        { url: `${elsewhere}/internal/admin`, reason: "not fetched: on another site than the source's" },
      ]);
      expect(server.count('/internal/admin')).toBe(0);
    } finally {
      await http.destroy();
      await server.close();
      await state.close();
    }
  });
});

describe('invisible marks in a feed’s text', () => {
  it('are dropped as the item is read: the draft’s source title can be published (editors cannot edit it)', async () => {
    const server = await startFeedServer();
    const state = await openState('sqlite::memory:');
    const http = httpClient({ timeoutMs: 2_000 });
    try {
      // A zero-width space, a byte-order mark, a right-to-left override and a noncharacter, as pages carry them.
      const item = `<item><title>Readout of Secretary of War Pete Hegseth\u200b's Call With PRC Minister of National Defense Adm.\ufeff Dong Jun\u202e\ufffe</title>
        <link>${server.base}/gone</link><description>Secretary Hegseth spoke by phone with Adm. Dong Jun.\u200b</description>
        <pubDate>Tue, 02 Jun 2026 10:00:00 GMT</pubDate></item>`;
      server.routes.set('/feed', serve(rss(item), RSS));
      server.routes.set('/gone', (_req, res) => res.writeHead(500).end());
      await pollSource(feed('Marks', `${server.base}/feed`), {
        state,
        catalog: () => catalog,
        fetch: http.fetch,
        clock: () => NOW,
      });
      const stored = await draftBook(state).get(1);
      expect(stored?.draft.sources.map((s) => s.title)).toEqual([
        "Readout of Secretary of War Pete Hegseth's Call With PRC Minister of National Defense Adm. Dong Jun",
      ]);
      const checked = checkDraftEvent(stored as NonNullable<typeof stored>, catalog, '2026-06-03');
      expect(checked.ok ? [] : checked.errors.map((e) => e.field)).not.toContain('sources.0.title');
    } finally {
      await http.destroy();
      await server.close();
      await state.close();
    }
  });
});

describe('an article on the source’s site that redirects elsewhere', () => {
  it('does not follow the redirect off the site: the summary is read instead, the other address never asked', async () => {
    const server = await startFeedServer();
    const state = await openState('sqlite::memory:');
    const http = httpClient({ timeoutMs: 2_000 });
    try {
      const elsewhere = server.base.replace('127.0.0.1', 'localhost');
      const item = `<item><title>Budget hearings scheduled</title><link>${server.base}/jump</link><description>Short.</description></item>`;
      server.routes.set('/feed', serve(rss(item), RSS));
      server.routes.set('/jump', (_req, res) => res.writeHead(302, { location: `${elsewhere}/internal/admin` }).end());
      server.routes.set('/internal/admin', serve('<html><body><p>internal</p></body></html>', 'text/html'));
      const report = await pollSource(feed('Jumps', `${server.base}/feed`), {
        state,
        catalog: () => catalog,
        fetch: http.fetch,
        clock: () => NOW,
      });
      expect(report.articleFailures).toEqual([
        {
          url: `${server.base}/jump`,
          reason: `not followed: a redirect to another site than the source's (${new URL(elsewhere).host})`,
        },
      ]);
      expect(server.count('/internal/admin')).toBe(0);
    } finally {
      await http.destroy();
      await server.close();
      await state.close();
    }
  });
});

describe('Watcher (the job)', () => {
  let server: FeedServer;
  let state: State;
  beforeEach(async () => {
    server = await startFeedServer();
    state = await openState('sqlite::memory:');
  });
  afterEach(async () => {
    await server.close();
    await state.close();
  });

  it('polls a source when due, backs a failing one off until its time, and remembers across restarts', async () => {
    let now = NOW.getTime();
    server.routes.set('/down', (_req, res) => res.writeHead(502).end());
    server.routes.set(
      '/releases',
      serve(() => fixtureText('wargov-releases.xml', server.base), RSS, '"e1"'),
    );
    const feeds = [feed('Down', `${server.base}/down`), feed('Releases', `${server.base}/releases`)];
    const make = () =>
      new Watcher({
        state,
        catalog: () => catalog,
        feeds,
        clock: () => new Date(now),
        random: () => 0.5,
        limits: { timeoutMs: 2_000 },
      });
    let watcher = make();
    await watcher.step(); // first polls come within 5 s of start, at random: none due at once
    expect(server.requests).toEqual([]);
    now += 60_000;
    await watcher.step();
    await watcher.idle();
    expect(server.count('/down')).toBe(1);
    expect(server.count('/releases')).toBe(1);
    expect((await draftBook(state).list()).length).toBe(1);
    // 20 minutes on: the good source is due again (15 min), the failing one is backed off to 30.
    now += 20 * 60_000;
    await watcher.step();
    await watcher.idle();
    expect(server.count('/down')).toBe(1);
    expect(server.count('/releases')).toBe(2);
    await watcher.stop();
    // A restart reads the due times from state: 11 minutes on, only the failing source is due.
    now += 11 * 60_000;
    watcher = make();
    await watcher.step();
    await watcher.idle();
    expect(server.count('/down')).toBe(2);
    expect(server.count('/releases')).toBe(2);
    expect(await feedMemory(state).health('Down')).toMatchObject({ failures: 2, lastError: { message: 'HTTP 502' } });
    await watcher.stop();
  });
});
