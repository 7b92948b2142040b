// The web view over real HTTP: status codes, headers, escaping, errors that say what was wrong, ETags and HEAD.
import { request } from 'node:http';
import { connect } from 'node:net';
import { XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { type Catalog, type CatalogEvent, indexCatalog } from '../../src/core/catalog.js';
import { EventSchema } from '../../src/core/schema.js';
import { INVISIBLE } from '../../src/core/text.js';
import { recordOf } from '../../src/events/log.js';
import type { Revision } from '../../src/export/revisions.js';
import { WEB_EXPORT_LIMIT } from '../../src/web/feeds.js';
import { webListener } from '../../src/web/router.js';
import { type RunningWeb, startWebServer } from '../../src/web/server.js';
import { bundled, fixture } from '../helpers.js';
import { HOSTILE_EVENT, HOSTILE_PATHS, HOSTILE_PERSON, hostileCatalog, SCRIPT } from './hostile.js';

const NOW = '2024-06-30';
const EVENT = '2024-04-16-austin-dong-video-call';
let catalog: Catalog = hostileCatalog();
let web: RunningWeb;

beforeAll(async () => {
  const revision = (number: number, summary: string): Revision => ({
    number,
    publishedAt: `2024-0${number + 4}-01T00:00:00.000Z`,
    record: { ...recordOf(fixture().byId.get(EVENT) as never), summary },
  });
  web = await startWebServer(
    webListener({
      catalog: () => catalog,
      commands: COMMANDS,
      today: () => NOW,
      baseUrl: () => 'https://hotline.example.org',
      clock: () => new Date('2024-06-30T12:00:00Z'),
      revisions: {
        // The fixture event was corrected once; every other event has one revision.
        of: async (event) => (event.id === EVENT ? [revision(1, 'First wording.'), revision(2, event.summary)] : []),
        withRevisions: async (events) => events.map((event) => ({ event, revisions: [] })),
      },
    }),
    0,
    '127.0.0.1',
  );
});
afterAll(() => web.stop());

/** One request with node:http (fetch hides HEAD bodies and some headers): status, headers and body. */
function call(
  path: string,
  method = 'GET',
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${web.url}${path}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('pages', () => {
  it('GIVEN / THEN 200 HTML with the board of channels and the latest contacts, and every safe header', async () => {
    const res = await call('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[^']+';/);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers.etag).toMatch(/^"[\w-]{32}"$/);
    expect(res.body).toContain('<h2>Dialogue channels · 30 June 2024</h2>');
    expect(res.body).toContain('<h2>Timeline</h2>');
    expect(res.body).toContain(`<a href="/events/${EVENT}">${EVENT}</a>`);
    expect(res.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('GIVEN /events/<id> THEN both readouts side by side, every source, citations with the page URL, and revisions', async () => {
    const res = await call(`/events/${EVENT}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<h1>Video call: Lloyd Austin – Dong Jun</h1>');
    expect(res.body).toMatch(
      /<div class="columns"><section><h3>US side<\/h3><p>Fixture US emphasis[\s\S]*<section><h3>PRC side<\/h3><p>Fixture PRC emphasis/,
    );
    expect(res.body).toContain(
      '<a href="https://example.org/us-readout" rel="noopener noreferrer nofollow">Fixture US readout</a>',
    );
    expect(res.body).toContain(
      '<a href="https://example.org/prc-readout" rel="noopener noreferrer nofollow">Fixture PRC readout</a>',
    );
    expect(res.body).toContain(
      `“Video call: Lloyd Austin – Dong Jun, 16 April 2024.” Hotline: US–China Military-to-Military Contacts. Event <a href="/events/${EVENT}">${EVENT}</a>, recorded 24 November 2026. <a href="https://hotline.example.org/events/${EVENT}" rel="noopener noreferrer nofollow">https://hotline.example.org/events/${EVENT}</a>. Accessed 30 June 2024.`,
    );
    expect(res.body).toContain('U.S. Department of Defense. “Fixture US readout.” (US readout.) 16 April 2024.');
    expect(res.body).toContain('<li>Revision 1 · published 1 May 2024 · first record</li>');
    expect(res.body).toContain('<li>Revision 2 · published 1 June 2024 · changed: summary</li>');
    expect(res.body).toContain('<a href="/people/dong-jun">Dong Jun</a>');
    expect(res.body).toContain('<a href="/channels?mechanism=defense-minister-channel">');
  });

  it('GIVEN /timeline with filters as query parameters THEN the /timeline answer, with the export links of the same selection', async () => {
    const res = await call('/timeline?level=minister&order=oldest');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<h1>Timeline · minister level</h1>');
    expect(res.body).toContain('<a href="/feed.atom?order=oldest&amp;level=minister">Atom feed</a>');
    expect(res.body).toMatch(/events?, all dates to 30 June 2024, oldest first/);
  });

  it('GIVEN /channels?date= THEN the board as of that date; ?mechanism= one channel and its history', async () => {
    const res = await call('/channels?date=2022-09-01');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<h1>Dialogue channels · 1 September 2022</h1>');
    const one = await call('/channels?mechanism=defense-minister-channel');
    expect(one.body).toContain('<h3>History</h3>');
  });

  it('GIVEN /people/<id> THEN the person, their positions, and their contacts', async () => {
    const res = await call('/people/dong-jun');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<h1>Dong Jun <span lang="zh">董军</span></h1>');
    expect(res.body).toContain('<li>Minister of National Defense (29 December 2023 – present)</li>');
    expect(res.body).toContain(`<a href="/events/${EVENT}">`);
  });

  it('GIVEN no page shows state THEN none mentions subscriptions, schedules or drafts', async () => {
    for (const path of ['/', '/timeline', `/events/${EVENT}`, '/channels', '/people/dong-jun']) {
      expect((await call(path)).body).not.toMatch(/subscription|\/subscribe|\/digest|schedules|draft/i);
    }
  });
});

describe('feeds and exports take the same filters', () => {
  it('GIVEN /feed.atom?topic=taiwan THEN a valid Atom feed linking to event pages, with rel="self"', async () => {
    const res = await call('/feed.atom?topic=taiwan');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(res.body)).toBe(true);
    expect(res.body).toContain(`https://hotline.example.org/events/${EVENT}`);
    expect(res.body).toContain('href="https://hotline.example.org/feed.atom?topic=taiwan"');
  });

  it('GIVEN /events.ics, /events.csv, /events.json THEN each parses, with its media type', async () => {
    const ics = await call('/events.ics?level=minister');
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const calendar = new ICAL.Component(ICAL.parse(ics.body));
    expect(calendar.getAllSubcomponents('vevent').length).toBeGreaterThan(0);
    const csv = await call('/events.csv?level=minister');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="hotline-events.csv"');
    expect(csv.body.startsWith('\uFEFF')).toBe(true);
    expect(Papa.parse(csv.body.slice(1), { newline: '\r\n', skipEmptyLines: true }).errors).toEqual([]);
    // The hostile event is not valid against the schema (its bidi marks and javascript: address): left out.
    const json = await call('/events.json?person=lloyd-austin');
    const parsed = JSON.parse(json.body) as { version: number; generated: string; events: unknown[] };
    expect(parsed.version).toBe(1);
    expect(parsed.generated).toBe('2024-06-30T12:00:00.000Z');
    for (const event of parsed.events) expect(EventSchema.safeParse(event).success).toBe(true);
  });

  it('GIVEN a bad filter on an export THEN 400, in /timeline words, with a link to a correct export', async () => {
    const res = await call('/events.json?levle=minister');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('/export has no option &quot;levle&quot;. Did you mean level:?');
    expect(res.body).toContain('Try: <a href="/events.json?level=minister">/events.json?level=minister</a>');
  });
});

describe('bad input', () => {
  it.each([
    [
      '/timeline?levle=minister',
      '/timeline has no option &quot;levle&quot;. Did you mean level:?',
      '/timeline?level=minister',
    ],
    ['/timeline?level=ministre', 'Did you mean minister?', '/timeline?level=minister'],
    [
      '/timeline?since=2024-13-01',
      'since: &quot;2024-13-01&quot; is not a date',
      '/timeline?topic=taiwan&amp;since=2023-01-01',
    ],
    ['/timeline?level=minister&level=leaders', 'level is given more than once', '/timeline?level=minister'],
    ['/timeline?page=99', 'page: there is 1 page; page 99 is past the end.', '/timeline?page=1'],
    ['/channels?date=yesterday', 'date: &quot;yesterday&quot; is not a date', '/channels?date=2022-09-01'],
    [
      '/timeline?person=Nobody%20Known',
      'No person or title matches &quot;Nobody Known&quot;',
      '/timeline?person=Dong+Jun',
    ],
  ])('GIVEN %s THEN 400 saying what was wrong, with a link to a correct example', async (path, message, example) => {
    const res = await call(path);
    expect(res.status).toBe(400);
    expect(res.body).toContain('<h1>Could not answer that</h1>');
    expect(res.body).toContain(message);
    expect(res.body).toContain(`Try: <a href="${example}">`);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
  });

  it.each([
    [
      '/events/2024-04-16-nope',
      'No event has the id &quot;2024-04-16-nope&quot;. Did you mean 2024-04-16-austin-dong-video-call?',
      `/events/${EVENT}`,
    ],
    ['/people/nobody', 'No person has the id &quot;nobody&quot;.', '/people/'],
    ['/nothing-here', 'There is no page at /nothing-here.', '/timeline'],
    ['/events/', 'There is no page at /events/.', '/timeline'],
    ['/events/a/b', 'There is no page at /events/a/b.', '/timeline'],
  ])('GIVEN %s THEN 404 saying what is not there, with a link to a page that is', async (path, message, example) => {
    const res = await call(path);
    expect(res.status).toBe(404);
    expect(res.body).toContain('<h1>Not found</h1>');
    expect(res.body).toContain(message);
    expect(res.body).toContain(`Try: <a href="${example}`);
  });

  it('GIVEN empty boxes of the filter form (name=) THEN they are no filter, not an error', async () => {
    const res = await call('/timeline?topic=&level=minister&since=&before=');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<h1>Timeline · minister level</h1>');
  });

  it.each([
    '/timeline?topic=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '/timeline?person=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%E2%80%AE',
    '/events/2024-01-01-%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    '/people/%3Cscript%3E%E2%80%AE',
    '/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  ])('GIVEN markup or bidi marks in the address (%s) THEN the error page shows them as text', async (path) => {
    const res = await call(path);
    expect([400, 404]).toContain(res.status);
    expect(res.body).not.toMatch(/<script|<img/i);
    expect(res.body).not.toMatch(INVISIBLE);
    // Shown decoded and escaped, or (an unknown path) as the encoded address it came as.
    expect(res.body).toMatch(/&lt;(script|img)|%3Cscript/);
  });

  it('GIVEN a badly encoded id THEN 400', async () => {
    expect((await call('/events/%E0%A4%A')).status).toBe(400);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('GIVEN %s THEN 405 with Allow: GET, HEAD', async (method) => {
    const res = await call(`/events/${EVENT}`, method);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });
});

describe('caching', () => {
  it('GIVEN HEAD THEN the headers of GET and no body', async () => {
    const [get, head] = [await call('/timeline'), await call('/timeline', 'HEAD')];
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(get.body)));
  });

  it('GIVEN If-None-Match with the ETag THEN 304 without a body; a changed record THEN 200 and a new ETag', async () => {
    const first = await call(`/events/${EVENT}`);
    const etag = first.headers.etag as string;
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await call(`/events/${EVENT}`, 'GET', { 'If-None-Match': tag });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toBe('public, max-age=300');
    }
    expect((await call(`/events/${EVENT}`, 'GET', { 'If-None-Match': '"other"' })).status).toBe(200);
    const before = catalog;
    const base = fixture();
    catalog = indexCatalog(
      base.events.map((e) => (e.id === EVENT ? { ...e, summary: 'Corrected summary.' } : e)),
      base.people,
      base.mechanisms,
      base.topics,
      base.coverage,
    );
    try {
      const changed = await call(`/events/${EVENT}`, 'GET', { 'If-None-Match': etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
    } finally {
      catalog = before;
    }
  });
});

describe('hostile text shows as text', () => {
  it.each(HOSTILE_PATHS)(
    'GIVEN %s THEN no markup, script or bidi mark from the data reaches the page',
    async (path) => {
      const res = await call(path);
      expect(res.status).toBe(200);
      expect(res.body).not.toMatch(/<script|<b>|<i>|href="javascript:/i);
      expect(res.body).not.toMatch(INVISIBLE);
      expect(res.body).toContain(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &quot;double&quot; &#39;single&#39; &amp; &lt;b&gt;bold&lt;/b&gt;',
      );
    },
  );

  it('GIVEN a source or position whose address is not http(s) THEN it is shown but not linked', async () => {
    const event = await call(`/events/${HOSTILE_EVENT}`);
    expect(event.body).toContain('Script link &lt;script&gt;');
    expect(event.body).not.toContain('href="javascript');
    expect((await call(`/people/${HOSTILE_PERSON}`)).body).not.toContain('source</a>');
  });

  it('GIVEN an address with quotes and ampersands THEN it is escaped in the attribute', async () => {
    const event = await call(`/events/${HOSTILE_EVENT}`);
    expect(event.body).toContain('href="https://example.org/us?a=1&amp;b=&quot;2&quot;"');
    expect(SCRIPT).toContain('<script>');
  });
});

describe('paging on the bundled data', () => {
  let bundledWeb: RunningWeb;
  beforeAll(async () => {
    const data = bundled();
    bundledWeb = await startWebServer(
      webListener({ catalog: () => data, commands: COMMANDS, today: () => '2026-11-24' }),
      0,
      '127.0.0.1',
    );
  });
  afterAll(() => bundledWeb.stop());

  it('GIVEN more than a page of events THEN the page buttons are links to the other pages', async () => {
    const first = await (await fetch(`${bundledWeb.url}/timeline?level=minister`)).text();
    expect(first).toContain('<a href="/timeline?page=2&amp;level=minister">Next page</a>');
    const second = await (await fetch(`${bundledWeb.url}/timeline?page=2&level=minister`)).text();
    expect(second).toContain('<a href="/timeline?level=minister">Previous page</a>');
    expect(second).toContain('Page 2 of');
  });
});

describe('limits', () => {
  it('GIVEN an export over the limit THEN 400 saying how many events and how to narrow it, with an example', async () => {
    const base = fixture();
    const template = base.byId.get(EVENT) as CatalogEvent;
    const many = Array.from({ length: WEB_EXPORT_LIMIT + 1 }, (_, i) => ({
      ...template,
      id: `2023-01-01-copy-${i}`,
      date: '2023-01-01',
    }));
    const large = indexCatalog(many, base.people, base.mechanisms, base.topics, base.coverage);
    const server = await startWebServer(
      webListener({ catalog: () => large, commands: COMMANDS, today: () => NOW }),
      0,
      '127.0.0.1',
    );
    try {
      const refused = await fetch(`${server.url}/events.ics?level=minister`);
      expect(refused.status).toBe(400);
      const body = await refused.text();
      expect(body).toContain('This selection holds 1,001 events; the web view exports at most 1,000 at a time.');
      expect(body).toContain('Try: <a href="/events.ics?since=2024-01-01&amp;level=minister">');
      expect((await fetch(`${server.url}/events.ics?level=minister&since=2024-01-01`)).status).toBe(200);
      // Pages are not exports: the timeline of the same selection is answered a page at a time.
      expect((await fetch(`${server.url}/timeline?level=minister`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('GIVEN a client dribbling header lines past the headers timeout THEN it gets 408 and the connection is closed within about a second', async () => {
    const data = fixture();
    const server = await startWebServer(
      webListener({ catalog: () => data, commands: COMMANDS, today: () => NOW }),
      0,
      '127.0.0.1',
      { headersTimeout: 300, requestTimeout: 400 },
    );
    const socket = connect(server.port, '127.0.0.1');
    const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 50);
    try {
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk;
      });
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
      // Node checks the timeouts every connectionsCheckingInterval: at its default (30 s) the socket is closed 30 s
      // later, past this test's time limit (5 s), and the test fails on it.
      await new Promise((resolve) => socket.once('close', resolve));
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    } finally {
      clearInterval(drip);
      socket.destroy();
      await server.stop();
    }
  });
});
