// One poll of a source against a local server (issue 15): the real shapes of war.gov RSS, an Atom feed and a
// China Military Online listing; conditional GET; the article read when the summary is short; nothing read twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftBook } from '../../src/drafts/book.js';
import { type HttpClient, httpClient } from '../../src/feeds/fetch.js';
import { feedMemory } from '../../src/feeds/memory.js';
import { pollSource, type WatchDeps } from '../../src/feeds/watch.js';
import { openState, type State } from '../../src/state/index.js';
import { type FeedServer, feed, fixtureText, POLL_NOW as NOW, pollDeps, serve, startFeedServer } from './server.js';

describe('pollSource', () => {
  let server: FeedServer;
  let state: State;
  let http: HttpClient;
  let deps: WatchDeps;
  const logs: string[] = [];
  beforeEach(async () => {
    server = await startFeedServer();
    state = await openState('sqlite::memory:');
    http = httpClient({ timeoutMs: 2_000 });
    logs.length = 0;
    deps = pollDeps(state, http.fetch, logs);
    const { base, routes } = server;
    routes.set(
      '/news/rss_releases2.xml',
      serve(() => fixtureText('wargov-releases.xml', base), 'application/rss+xml', '"r1"'),
    );
    routes.set(
      '/News/Releases/Release/Article/0001/readout-call/',
      serve(fixtureText('readout-article.html', base), 'text/html'),
    );
    routes.set(
      '/atom.xml',
      serve(() => fixtureText('prc-atom.xml', base), 'application/atom+xml'),
    );
    routes.set(
      '/2025xb/N/T/index.html',
      serve(() => fixtureText('cmo-listing.html', base), 'text/html; charset=utf-8'),
    );
    routes.set('/2025xb/N/T/16400001.html', serve(fixtureText('cmo-article.html', base), 'text/html'));
  });
  afterEach(async () => {
    await http.destroy();
    await server.close();
    await state.close();
  });

  const releases = () => feed('War releases', `${server.base}/news/rss_releases2.xml`);

  it('GIVEN war.gov RSS with a new call readout THEN one draft: the contact day from the article, both ministers, call, minister', async () => {
    const report = await pollSource(releases(), deps);
    expect(report).toMatchObject({ status: 'ok', listed: 2, fresh: 2, old: 0, left: 0 });
    expect(report.proposals).toEqual([
      {
        title:
          "Readout of Secretary of War Pete Hegseth's Call With People's Republic of China Minister of National Defense Adm. Dong Jun",
        outcome: { outcome: 'created', id: 1 },
      },
    ]);
    const stored = await draftBook(state).get(1);
    expect(stored?.draft.date).toBe('2026-06-01');
    expect(stored?.draft.kind).toBe('call');
    expect(stored?.draft.level).toBe('minister');
    expect(stored?.draft.participants.map((p) => [p.person, p.side])).toEqual([
      ['pete-hegseth', 'US'],
      ['dong-jun', 'PRC'],
    ]);
    expect(stored?.draft.participants.every((p) => p.title)).toBe(true);
    // The publisher's day (dc:date, -04:00), not the UTC one.
    expect(stored?.items).toEqual([
      {
        feed: 'War releases',
        title: stored?.items[0]?.title,
        url: `${server.base}/News/Releases/Release/Article/0001/readout-call/`,
        published: '2026-06-02',
        seenAt: NOW.toISOString(),
      },
    ]);
    // Both descriptions are one line: both articles were asked for (the second one is missing).
    expect(server.count('/News/Releases/Release/Article/0001/readout-call/')).toBe(1);
    expect(report.articleFailures).toEqual([
      { url: `${server.base}/News/Releases/Release/Article/0002/schedule-notice/`, reason: 'HTTP 404' },
    ]);
  });

  it('sends the ETag back: a 304 changes nothing but the times', async () => {
    await pollSource(releases(), deps);
    const before = await feedMemory(state).health('War releases');
    const again = await pollSource(releases(), deps);
    expect(again).toMatchObject({ status: 'not-modified', listed: 0, fresh: 0, proposals: [] });
    const last = server.requests.filter((r) => r.path === '/news/rss_releases2.xml').at(-1);
    expect(last?.headers['if-none-match']).toBe('"r1"');
    expect(await feedMemory(state).health('War releases')).toEqual(before);
    expect((await draftBook(state).list()).length).toBe(1);
  });

  it('after a restart (a new client, the feed without ETag) reads nothing again and fetches no article', async () => {
    server.routes.set(
      '/news/rss_releases2.xml',
      serve(() => fixtureText('wargov-releases.xml', server.base), 'application/rss+xml'),
    );
    await pollSource(releases(), deps);
    await http.destroy();
    http = httpClient({ timeoutMs: 2_000 });
    const report = await pollSource(releases(), { ...deps, fetch: http.fetch });
    expect(report).toMatchObject({ status: 'ok', listed: 2, fresh: 0, proposals: [] });
    expect(server.count('/News/Releases/Release/Article/0001/readout-call/')).toBe(1);
    expect((await feedMemory(state).health('War releases'))?.itemsSeen).toBe(2);
  });

  it('joins an Atom item about the same call to the draft, reading its long summary without the article', async () => {
    await pollSource(releases(), deps);
    const report = await pollSource(feed('Test wire', `${server.base}/atom.xml`, 'atom', { side: 'none' }), deps);
    expect(report).toMatchObject({ status: 'ok', listed: 2, fresh: 2 });
    expect(report.proposals.map((p) => p.outcome)).toEqual([{ outcome: 'joined', id: 1 }]);
    expect(server.count('/wire/20260602/call.html')).toBe(0);
    const stored = await draftBook(state).get(1);
    expect(stored?.items.map((i) => [i.feed, i.published])).toEqual([
      ['War releases', '2026-06-02'],
      ['Test wire', '2026-06-02'],
    ]);
  });

  it('reads a China Military Online listing: links and dates by the selectors, the article for the text, old items skipped', async () => {
    const listing = feed('CMO top news', `${server.base}/2025xb/N/T/index.html`, 'html', {
      side: 'PRC',
      items: { item: 'ul.news-list li', link: 'a', date: '.time' },
    });
    const report = await pollSource(listing, deps);
    expect(report).toMatchObject({ status: 'ok', listed: 3, fresh: 3, old: 1 });
    expect(report.proposals).toEqual([
      { title: 'Chinese, US defense chiefs hold phone call', outcome: { outcome: 'created', id: 1 } },
    ]);
    // The article of the second item is missing: its title alone is read.
    expect(report.articleFailures).toEqual([{ url: `${server.base}/2025xb/N/T/16400002.html`, reason: 'HTTP 404' }]);
    expect(server.count('/2025xb/N/T/16300003.html')).toBe(0);
    const stored = await draftBook(state).get(1);
    expect(stored?.draft.date).toBe('2026-06-01');
    expect(stored?.draft.participants.map((p) => p.person).sort()).toEqual(['dong-jun', 'pete-hegseth']);
  });

  it('an undated listing item about a contact older than the age limit is back catalogue: remembered, not proposed', async () => {
    server.routes.set(
      '/list',
      serve(
        '<html><body><ul class="l"><li><a href="/a/1.html">Defense chiefs held a video call</a></li></ul></body></html>',
        'text/html',
      ),
    );
    server.routes.set(
      '/a/1.html',
      serve(
        `<html><body><article><h1>Defense chiefs held a video call</h1><p>On April 16, 2024, Secretary of Defense Lloyd J. Austin III held a video call with Chinese Minister of National Defense Adm. Dong Jun. ${'Test text for the fixture. '.repeat(5)}</p></article></body></html>`,
        'text/html',
      ),
    );
    const report = await pollSource(
      feed('Undated', `${server.base}/list`, 'html', { items: { link: 'ul.l li a' } }),
      deps,
    );
    expect(report).toMatchObject({ status: 'ok', listed: 1, fresh: 1, old: 1, proposals: [] });
    expect(await draftBook(state).list()).toEqual([]);
    // A new undated item is read against the day it is first seen (Wednesday 3 June): "on Monday" is 1 June,
    // and its source claims no publication day.
    server.routes.set(
      '/list',
      serve(
        '<html><body><ul class="l"><li><a href="/a/2.html">Defense chiefs hold a phone call</a></li><li><a href="/a/1.html">Defense chiefs held a video call</a></li></ul></body></html>',
        'text/html',
      ),
    );
    server.routes.set(
      '/a/2.html',
      serve(
        `<html><body><article><h1>Defense chiefs hold a phone call</h1><p>Secretary of War Pete Hegseth spoke by phone on Monday with Chinese Minister of National Defense Adm. Dong Jun. ${'Test text for the fixture. '.repeat(5)}</p></article></body></html>`,
        'text/html',
      ),
    );
    const next = await pollSource(
      feed('Undated', `${server.base}/list`, 'html', { items: { link: 'ul.l li a' } }),
      deps,
    );
    expect(next).toMatchObject({ listed: 2, fresh: 1, old: 0 });
    const stored = await draftBook(state).get(1);
    expect(stored?.draft.date).toBe('2026-06-01');
    expect(stored?.draft.sources.map((source) => [source.url, source.date])).toEqual([
      [`${server.base}/a/2.html`, undefined],
    ]);
    expect(stored?.items[0]?.published).toBeUndefined();
    expect(
      (await pollSource(feed('Undated', `${server.base}/list`, 'html', { items: { link: 'ul.l li a' } }), deps)).fresh,
    ).toBe(0);
  });

  it('reads no more than maxItemsPerPoll new items, and keeps no ETag until the rest are read', async () => {
    const first = await pollSource(releases(), { ...deps, maxItemsPerPoll: 1 });
    expect(first).toMatchObject({ fresh: 1, left: 1 });
    expect((await feedMemory(state).health('War releases'))?.etag).toBeUndefined();
    const second = await pollSource(releases(), { ...deps, maxItemsPerPoll: 1 });
    expect(second).toMatchObject({ status: 'ok', fresh: 1, left: 0 });
    expect((await feedMemory(state).health('War releases'))?.etag).toBe('"r1"');
  });
});
