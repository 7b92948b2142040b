// Issue 15's example item as a local feed serves it: a new Hegseth–Dong Jun call readout in the shape of the
// Department's releases feed (RSS 2.0 with dc:date) and its article page. Test text written for Hotline's tests,
// not a real release. Used by the feeds CLI test and the acceptance round trips (console, Slack, Discord).
import { type Day, MONTH_NAMES } from '../../src/core/dates.js';
import { type FeedServer, feed } from './server.js';

export const READOUT_TITLE =
  "Readout of Secretary of War Pete Hegseth's Call With People's Republic of China Minister of National Defense Adm. Dong Jun";
/** Where the server serves the feed and the item's article. */
export const READOUT_FEED_PATH = '/releases.xml';
export const READOUT_ARTICLE_PATH = '/News/Releases/Release/Article/9001/readout/';

/** The days of the item: when the feed dates it, and the day of the call its article names. */
export interface ReadoutDays {
  published: Day;
  call: Day;
}

/** The feed: the readout listed (dated `published`), or no item yet (`published` undefined). */
export function readoutFeedXml(base: string, published: Day | undefined): string {
  const item =
    published === undefined
      ? ''
      : `<item><guid isPermaLink="false">release-9001</guid>
<link>${base}${READOUT_ARTICLE_PATH}</link>
<title>${READOUT_TITLE}</title>
<description>The Department's readout of the Secretary's call.</description>
<dc:date>${published}T18:00:00Z</dc:date></item>
`;
  return `<?xml version="1.0" encoding="utf-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel>
<title>
U.S. Department of War Releases
</title>
<link>${base}/News/Releases/</link>
<description>Releases</description>
${item}</channel></rss>`;
}

/** The article page: the call's day written as the Department writes it ("on June 2"), inside page furniture. */
export function readoutArticle(call: Day): string {
  const monthDay = `${MONTH_NAMES[Number(call.slice(5, 7)) - 1]} ${Number(call.slice(8, 10))}`;
  return `<!DOCTYPE html><html lang="en"><head><title>Readout</title></head><body>
<nav><a href="/">Home</a> <a href="/News/">News</a></nav>
<article><h1>${READOUT_TITLE}</h1>
<p>Secretary of War Pete Hegseth spoke by phone on ${monthDay} with People's Republic of China Minister of National Defense Adm. Dong Jun.</p>
<p>The two discussed relations between their militaries. This page is test text, written for the tests; it reports nothing that happened.</p>
</article></body></html>`;
}

/**
 * Serves the feed (with an ETag, answering 304 when it is unchanged) and the article on `server`. The item is
 * listed from the start, or (`listed: false`) once `publish()` is called: a readout appearing while a watcher runs.
 */
export function serveReadout(server: FeedServer, days: ReadoutDays, listed = true): { publish: () => void } {
  let published = listed;
  server.routes.set(READOUT_FEED_PATH, (req, res) => {
    const etag = published ? '"v1"' : '"v0"';
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/rss+xml', etag })
      .end(readoutFeedXml(server.base, published ? days.published : undefined));
  });
  server.routes.set(READOUT_ARTICLE_PATH, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(readoutArticle(days.call));
  });
  return {
    publish: () => {
      published = true;
    },
  };
}

/**
 * The watcher's options for a running service that reads the readout feed of `server`: polled every second or
 * so, the item of 2 June 2026 read whatever its age.
 */
export function readoutWatch(server: FeedServer) {
  return {
    feeds: [feed('war.gov releases', `${server.base}${READOUT_FEED_PATH}`, 'rss', { interval: 0.01 })],
    limits: { timeoutMs: 2_000 },
    maxAgeDays: 100_000,
    firstPollSpreadMs: 0,
  };
}
