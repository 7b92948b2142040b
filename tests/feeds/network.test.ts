// What the feed watcher may connect to: public addresses, and a source's own host and port as configured.
// A loopback or private address in any notation, a name that resolves to one, a redirect to one, are refused
// as the connection is opened; a source's feed that redirects elsewhere does not widen where its articles are
// read from. Names such as feeds.example resolve to 127.0.0.1 through an injected lookup: nothing here
// reaches beyond 127.0.0.1.
import type { LookupFunction } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftBook } from '../../src/drafts/book.js';
import { type Fetch, FetchError, type FetchOptions, type HttpClient, httpClient } from '../../src/feeds/fetch.js';
import { feedMemory } from '../../src/feeds/memory.js';
import { pollSource, type WatchDeps } from '../../src/feeds/watch.js';
import { Watcher } from '../../src/jobs/watcher.js';
import { openState, type State } from '../../src/state/index.js';
import { bundled } from '../helpers.js';
import { type FeedServer, feed, POLL_NOW as NOW, pollDeps, redirect, serve, startFeedServer } from './server.js';

const catalog = bundled();
const RSS = 'application/rss+xml';
const HTML = 'text/html';

/** Names this test's lookup knows, all on 127.0.0.1 (as a hostile or rebinding DNS would answer); the rest fail. */
const NAMES = ['localhost', 'feeds.example', 'www.feeds.example', 'mirror.example', 'intranet.example'];
const lookup: LookupFunction = (hostname, options, callback) => {
  if (!NAMES.includes(hostname)) {
    callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
  } else if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

/** An RSS document with one item whose summary is short (the article is fetched). */
const rss = (link: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Readout of Secretary of War Pete Hegseth's Call With PRC Minister of National Defense Adm. Dong Jun</title><link>${link}</link><description>Secretary Hegseth spoke by phone with Adm. Dong Jun.</description><pubDate>Tue, 02 Jun 2026 10:00:00 GMT</pubDate></item></channel></rss>`;
const ARTICLE = `<html><body><article><h1>Readout</h1><p>Secretary of War Pete Hegseth spoke by phone with Chinese Minister of National Defense Adm. Dong Jun. ${'Test text for the fixture. '.repeat(8)}</p></article></body></html>`;

const port = (server: FeedServer) => new URL(server.base).port;
const loopback = (host: string) => `refused to connect to ${host}: not a public address (loopback)`;

describe('httpClient: connections to non-public addresses', () => {
  let server: FeedServer;
  let other: FeedServer;
  let http: HttpClient;
  beforeEach(async () => {
    server = await startFeedServer({ '/page': serve('<p>internal</p>', HTML), '/feed': serve(rss('x'), RSS) });
    other = await startFeedServer({ '/page': serve('<p>another service</p>', HTML) });
    http = httpClient({ timeoutMs: 2_000 }, { lookup });
  });
  afterEach(async () => {
    await http.destroy();
    await server.close();
    await other.close();
  });

  it('refuses a loopback address in every notation, the server never asked', async () => {
    const p = port(server);
    const cases: [string, string][] = [
      [`http://127.0.0.1:${p}/page`, '127.0.0.1'],
      [`http://2130706433:${p}/page`, '127.0.0.1'],
      [`http://0x7f.1:${p}/page`, '127.0.0.1'],
      [`http://0x7f000001:${p}/page`, '127.0.0.1'],
      [`http://0177.0.0.01:${p}/page`, '127.0.0.1'],
      [`http://127.1:${p}/page`, '127.0.0.1'],
      [`http://[::1]:${p}/page`, '::1'],
      [`http://[::ffff:127.0.0.1]:${p}/page`, '::ffff:7f00:1'],
      [`http://[0:0:0:0:0:ffff:7f00:1]:${p}/page`, '::ffff:7f00:1'],
      [`http://[64:ff9b::7f00:1]:${p}/page`, '64:ff9b::7f00:1'],
    ];
    for (const [url, host] of cases) {
      const outcome = await http.fetch(url).then(
        (answer) => `fetched (${answer.status})`,
        (error: Error) => `${error.name}: ${error.message}`,
      );
      expect([url, outcome]).toEqual([url, `FetchError: ${loopback(host)}`]);
    }
    expect(server.requests).toEqual([]);
  });

  it('checks what a name resolves to, not the name: a name on a loopback address is refused', async () => {
    await expect(http.fetch(`http://intranet.example:${port(server)}/page`)).rejects.toThrow(
      new FetchError(loopback('intranet.example (127.0.0.1)')),
    );
    expect(server.requests).toEqual([]);
  });

  it("lets the source's own host and port through, as configured, and nothing else on that machine", async () => {
    const source = { source: `${server.base}/feed` };
    expect(await http.fetch(`${server.base}/page`, {}, source)).toMatchObject({
      status: 'ok',
      body: '<p>internal</p>',
    });
    // The same address written otherwise is the same host.
    expect(await http.fetch(`http://2130706433:${port(server)}/page`, {}, source)).toMatchObject({ status: 'ok' });
    // Another port of the same host is another service (Redis on 6379, a database): refused.
    await expect(http.fetch(`${other.base}/page`, {}, source)).rejects.toThrow(new FetchError(loopback('127.0.0.1')));
    // Another name for the same address is not the configured host.
    await expect(http.fetch(`http://localhost:${port(server)}/page`, {}, source)).rejects.toThrow(
      new FetchError(loopback('localhost (127.0.0.1)')),
    );
    expect(other.requests).toEqual([]);
    expect(server.count('/page')).toBe(2);
  });

  it("refuses a redirect from the source's own host to a non-public one, before asking it", async () => {
    server.routes.set('/jump', redirect(`http://intranet.example:${port(other)}/page`, 302));
    await expect(http.fetch(`${server.base}/jump`, {}, { source: `${server.base}/feed` })).rejects.toThrow(
      new FetchError(loopback('intranet.example (127.0.0.1)')),
    );
    expect(other.requests).toEqual([]);
  });
});

describe('httpClient: a name with no address', () => {
  it('fails as a name not found, saying which, when the lookup answers an empty list', async () => {
    // Before: undici's connect read the first of no addresses ("Cannot destructure property 'address' of
    // 'addresses[0]'"), the line a source's report and the log showed.
    const empty: LookupFunction = (_hostname, options, callback) =>
      options.all ? callback(null, []) : callback(null, '', 4);
    const http = httpClient({ timeoutMs: 2_000 }, { lookup: empty });
    try {
      await expect(http.fetch('http://nothing.example:8/feed')).rejects.toThrow(
        new FetchError('ENOTFOUND: no address for nothing.example'),
      );
    } finally {
      await http.destroy();
    }
  });
});

describe('pollSource: a source whose feed or links lead to non-public addresses', () => {
  let server: FeedServer;
  let other: FeedServer;
  let state: State;
  let http: HttpClient;
  let deps: WatchDeps;
  const logs: string[] = [];
  beforeEach(async () => {
    server = await startFeedServer({ '/a/1': serve(ARTICLE, HTML) });
    other = await startFeedServer({ '/secret': serve(ARTICLE, HTML) });
    other.routes.set('/feed.xml', serve(rss(`${other.base}/secret`), RSS));
    state = await openState('sqlite::memory:');
    http = httpClient({ timeoutMs: 2_000 }, { lookup });
    logs.length = 0;
    deps = pollDeps(state, http.fetch, logs);
  });
  afterEach(async () => {
    await http.destroy();
    await server.close();
    await other.close();
    await state.close();
  });

  it('GIVEN a source configured on a name that resolves to 127.0.0.1 THEN its feed and its articles there are read', async () => {
    const site = `http://feeds.example:${port(server)}`;
    server.routes.set('/feed.xml', serve(rss(`${site}/a/1`), RSS));
    const report = await pollSource(feed('Feeds example', `${site}/feed.xml`), deps);
    expect(report).toMatchObject({ status: 'ok', listed: 1, fresh: 1, articleFailures: [] });
    expect(server.count('/a/1')).toBe(1);
    expect(logs).toEqual([]);
  });

  it("GIVEN an article on the source's site (www.) whose name resolves to a loopback address THEN refused, logged with the source's name, the summary read", async () => {
    const p = port(server);
    const link = `http://www.feeds.example:${p}/a/1`;
    server.routes.set('/feed.xml', serve(rss(link), RSS));
    const report = await pollSource(feed('Feeds example', `http://feeds.example:${p}/feed.xml`), deps);
    const reason = loopback('www.feeds.example (127.0.0.1)');
    expect(report).toMatchObject({ status: 'ok', listed: 1, fresh: 1 });
    expect(report.articleFailures).toEqual([{ url: link, reason }]);
    expect(logs).toEqual([`info: feed "Feeds example": article ${link}: ${reason}; the summary is read instead`]);
    expect(server.count('/a/1')).toBe(0);
    // The item is read from its summary, as for any article that cannot be fetched.
    expect(report.proposals.map((p) => p.outcome)).toEqual([{ outcome: 'created', id: 1 }]);
    expect((await draftBook(state).get(1))?.draft.kind).toBe('call');
  });

  it.each([
    ['127.0.0.1', (p: string) => `http://127.0.0.1:${p}/feed.xml`, '127.0.0.1'],
    ['decimal', (p: string) => `http://2130706433:${p}/feed.xml`, '127.0.0.1'],
    ['hexadecimal', (p: string) => `http://0x7f.0.0.1:${p}/feed.xml`, '127.0.0.1'],
    ['IPv4-mapped IPv6', (p: string) => `http://[::ffff:127.0.0.1]:${p}/feed.xml`, '::ffff:7f00:1'],
    ['a name', (p: string) => `http://mirror.example:${p}/feed.xml`, 'mirror.example (127.0.0.1)'],
  ])(
    "GIVEN a source on localhost whose feed redirects to another host on a loopback address (%s) THEN the redirect is refused as the source's failure, the other host never asked",
    async (_notation, target, host) => {
      server.routes.set('/feed.xml', redirect(target(port(other)), 301));
      const report = await pollSource(feed('Moved away', `http://localhost:${port(server)}/feed.xml`), deps);
      expect(report).toMatchObject({ status: 'error', error: loopback(host), listed: 0, articleFailures: [] });
      expect(other.requests).toEqual([]);
      expect(await feedMemory(state).health('Moved away')).toMatchObject({
        failures: 1,
        lastError: { message: loopback(host) },
        backoffUntil: '2026-06-03T12:30:00.000Z',
      });
      expect(logs).toEqual([
        `warn: feed "Moved away": ${loopback(host)} (failure 1 in a row; next try after 2026-06-03T12:30:00.000Z)`,
      ]);
    },
  );
});

describe('Watcher (the job): a refused source', () => {
  it('is one failing source among others: recorded, logged with its name, backed off; the watcher goes on', async () => {
    const server = await startFeedServer({ '/a/1': serve(ARTICLE, HTML) });
    const other = await startFeedServer({ '/secret': serve(ARTICLE, HTML) });
    other.routes.set('/feed.xml', serve(rss(`${other.base}/secret`), RSS));
    server.routes.set('/good.xml', serve(rss(`${server.base}/a/1`), RSS));
    // Configured on localhost, the feed moves to another port of the machine (what a hijacked feed would do).
    server.routes.set('/moved.xml', redirect(`${other.base}/feed.xml`, 302));
    const state = await openState('sqlite::memory:');
    const logs: string[] = [];
    const now = NOW.getTime() + 60_000;
    const watcher = new Watcher({
      state,
      catalog: () => catalog,
      feeds: [
        feed('Moved away', `http://localhost:${port(server)}/moved.xml`),
        feed('Good', `${server.base}/good.xml`),
      ],
      clock: () => new Date(now),
      random: () => 0.5,
      limits: { timeoutMs: 2_000 },
      log: (level, message) => logs.push(`${level}: ${message}`),
      firstPollSpreadMs: 0,
    });
    try {
      await watcher.step();
      await watcher.idle();
      expect(other.requests).toEqual([]);
      expect(await feedMemory(state).health('Moved away')).toMatchObject({
        failures: 1,
        lastError: { message: loopback('127.0.0.1') },
      });
      expect(logs).toEqual([
        `warn: feed "Moved away": ${loopback('127.0.0.1')} (failure 1 in a row; next try after 2026-06-03T12:31:00.000Z)`,
      ]);
      expect(await feedMemory(state).health('Good')).toMatchObject({ failures: 0, itemsSeen: 1 });
      expect(server.count('/a/1')).toBe(1);
    } finally {
      await watcher.stop();
      await server.close();
      await other.close();
      await state.close();
    }
  });
});

describe("pollSource: a feed's redirect does not widen the source's site", () => {
  it('GIVEN a feed that answers from another host THEN articles there are not fetched; those on the configured host are, each fetch naming the source', async () => {
    const state = await openState('sqlite::memory:');
    try {
      const source = 'https://feeds.example/feed.xml';
      const items = [
        `<item><title>Budget hearings scheduled</title><link>https://mirror.example/a/1</link><description>Short.</description></item>`,
        `<item><title>Budget talks continue</title><link>https://www.feeds.example/a/2</link><description>Short.</description></item>`,
      ].join('');
      const calls: [string, FetchOptions | undefined][] = [];
      // A fake network (public hosts cannot be reached from a test): the feed answers from mirror.example.
      const fetch: Fetch = async (url, _validators, options) => {
        calls.push([url, options]);
        if (url === source) {
          return {
            status: 'ok',
            url: 'https://mirror.example/feed.xml',
            body: `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${items}</channel></rss>`,
          };
        }
        return { status: 'ok', url, body: ARTICLE };
      };
      const report = await pollSource(feed('Mirrored', source), {
        state,
        catalog: () => catalog,
        fetch,
        clock: () => NOW,
      });
      expect(report).toMatchObject({ status: 'ok', listed: 2, fresh: 2 });
      expect(report.articleFailures).toEqual([
        { url: 'https://mirror.example/a/1', reason: "not fetched: on another site than the source's" },
      ]);
      expect(calls.map(([url, options]) => [url, options?.source])).toEqual([
        [source, source],
        ['https://www.feeds.example/a/2', source],
      ]);
      // An article's redirect is held to the configured site too.
      const mayFollow = calls[1]?.[1]?.mayFollow;
      expect(mayFollow?.('https://feeds.example/a/3')).toBe(true);
      expect(mayFollow?.('https://mirror.example/a/3')).toBe(false);
    } finally {
      await state.close();
    }
  });
});
