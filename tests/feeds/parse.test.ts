// Parsing what sources answer (issue 15): dates as publishers write them, the XML guard, RDF, listings with and
// without selectors, and the charset of a Chinese page.
import { RssFeed } from '@rowanmanning/feed-parser/lib/feed/rss.js';
import { describe, expect, it, vi } from 'vitest';
import { decode } from '../../src/feeds/fetch.js';
import { DATE_TEXT_MAX, extractText, guardXml, listingDay, parseFeedXml, parseListing } from '../../src/feeds/parse.js';
import { ParseError } from '../../src/feeds/parseError.js';
import { backoffUntil, MAX_BACKOFF_MS, nextPollAt } from '../../src/feeds/timing.js';
import { sameSite } from '../../src/feeds/watch.js';

describe('listingDay', () => {
  it.each([
    ['2026-06-02', '2026-06-02'],
    ['发布时间：2026年6月2日 09:30', '2026-06-02'],
    ['2026/6/2', '2026-06-02'],
    ['2 June 2026 Hegseth meets', '2026-06-02'],
    ['Jun. 2, 2026', '2026-06-02'],
    ['Tue, 02 Jun 2026 21:30:00 -0400', '2026-06-02'],
    ['2026-06-02T21:30:00-04:00', '2026-06-02'],
    ['2026-02-30', undefined],
    ['no date', undefined],
  ])('%s → %s', (text, day) => {
    expect(listingDay(text)).toBe(day);
  });
});

describe('guardXml', () => {
  it('removes a DOCTYPE without a subset, refuses entity declarations, HTML and non-XML', () => {
    expect(
      guardXml('\uFEFF  <?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "x"><rss/>'),
    ).toBe('<?xml version="1.0"?><rss/>');
    const refused = (text: string) => {
      try {
        guardXml(text);
        return 'accepted';
      } catch (error) {
        expect(error).toBeInstanceOf(ParseError);
        return (error as Error).message;
      }
    };
    expect(refused('<!DOCTYPE rss [<!ENTITY a "b">]><rss/>')).toMatch(/^refused: the XML declares entities/);
    expect(refused('<?xml version="1.0"?>\n<!DOCTYPE feed [\n<!ENTITY % p SYSTEM "http://x/">%p;]><feed/>')).toMatch(
      /^refused/,
    );
    expect(refused('<!doctype html><html></html>')).toBe('not XML: an HTML page (is the URL a feed?)');
    expect(refused('Service Unavailable')).toBe('not XML: the answer does not start with "<"');
    // A line of junk before the document (a server's PHP notice) is skipped.
    expect(guardXml('PHP Notice: undefined index in feed.php on line 3\n<?xml version="1.0"?><rss/>')).toBe(
      '<?xml version="1.0"?><rss/>',
    );
    // A "<" inside a comment or a processing instruction before the DOCTYPE does not end the prolog early.
    const lol = '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">';
    for (const head of ['<!-- <a -->', '<?foo <a?>', '<!-- x --><?pi ?>\n<!-- <rss> -->']) {
      expect(refused(`<?xml version="1.0"?>${head}<!DOCTYPE rss [${lol}]><rss/>`)).toMatch(
        /^refused: the XML declares/,
      );
    }
    expect(refused('<?xml version="1.0"?><!ENTITY x "y"><rss/>')).toMatch(/^refused: the XML declares/);
    // Comments and instructions themselves are kept; a DOCTYPE without a subset after them is dropped.
    expect(guardXml('<?xml version="1.0"?><!-- <a --><!DOCTYPE rss SYSTEM "x"><rss/>')).toBe(
      '<?xml version="1.0"?><!-- <a --><rss/>',
    );
    // Text inside the document that looks like a declaration is content, not a declaration.
    expect(refused('<rss><channel><description><![CDATA[<!ENTITY x "y">]]></description></channel></rss>')).toBe(
      'accepted',
    );
  });
});

describe('parseFeedXml', () => {
  it('reads the feed’s own link once, however many items it has (each read searches the whole document)', () => {
    const getter = vi.spyOn(RssFeed.prototype, 'url', 'get');
    try {
      const items = Array.from(
        { length: 50 },
        (_, i) => `<item><title>Item ${i}</title><link>/a/${i}</link></item>`,
      ).join('');
      const parsed = parseFeedXml(
        `<rss version="2.0"><channel><title>t</title><link>http://127.0.0.1/</link>${items}</channel></rss>`,
        'http://127.0.0.1/feed',
      );
      expect(parsed.map((p) => p.url).slice(0, 2)).toEqual(['http://127.0.0.1/a/0', 'http://127.0.0.1/a/1']);
      expect(parsed).toHaveLength(50);
      expect(getter).toHaveBeenCalledTimes(1);
    } finally {
      getter.mockRestore();
    }
  });

  it('reads RSS 1.0 (RDF) with dc:date', () => {
    const rdf = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://127.0.0.1/"><title>RDF test</title><link>http://127.0.0.1/</link></channel>
<item rdf:about="http://127.0.0.1/a/1"><title>First item</title><link>http://127.0.0.1/a/1</link>
<description>A &lt;b&gt;short&lt;/b&gt; text.</description><dc:date>2026-06-02T08:00:00+08:00</dc:date></item>
</rdf:RDF>`;
    expect(parseFeedXml(rdf, 'http://127.0.0.1/rdf')).toEqual([
      {
        key: 'http://127.0.0.1/a/1',
        title: 'First item',
        url: 'http://127.0.0.1/a/1',
        summary: 'A short text.',
        published: '2026-06-02',
      },
    ]);
  });

  it('drops items without a link or a title, and links that are not http(s)', () => {
    const xml = `<rss version="2.0"><channel><title>t</title>
<item><title>No link</title></item>
<item><link>http://127.0.0.1/no-title</link></item>
<item><title>Script</title><link>javascript:alert(1)</link></item>
<item><title>Kept</title><link>/kept</link></item></channel></rss>`;
    expect(parseFeedXml(xml, 'http://127.0.0.1/feed').map((i) => i.url)).toEqual(['http://127.0.0.1/kept']);
  });

  it('names a document that is XML but no feed', () => {
    expect(() => parseFeedXml('<html-ish><p>x</p></html-ish>', 'http://127.0.0.1/')).toThrow(
      'not a feed: no rss, rdf:RDF or feed element',
    );
  });
});

describe('parseListing', () => {
  const page = `<html><body><div class="nav"><a href="/">Home</a><a href="/about">About us</a></div>
<ul class="list1"><li><a href="./202606/t20260602_1.shtml">王毅同美国国务卿通电话</a><span class="time">2026-06-02</span></li>
<li><a href="https://other.example/x">A link to a story on another site entirely</a></li>
<li><a href="./202606/t20260601_2.shtml">外交部发言人答记者问</a><span class="time">2026-06-01</span></li></ul></body></html>`;

  it('with a link selector: the links, titles and dates of the list', () => {
    expect(parseListing(page, 'https://127.0.0.1/web/wjdt/', { link: 'ul.list1 li a' })).toEqual([
      {
        key: 'https://127.0.0.1/web/wjdt/202606/t20260602_1.shtml',
        title: '王毅同美国国务卿通电话',
        url: 'https://127.0.0.1/web/wjdt/202606/t20260602_1.shtml',
        published: '2026-06-02',
      },
      {
        key: 'https://other.example/x',
        title: 'A link to a story on another site entirely',
        url: 'https://other.example/x',
      },
      {
        key: 'https://127.0.0.1/web/wjdt/202606/t20260601_2.shtml',
        title: '外交部发言人答记者问',
        url: 'https://127.0.0.1/web/wjdt/202606/t20260601_2.shtml',
        published: '2026-06-01',
      },
    ]);
  });

  it('without selectors: headline-long links to the same site only', () => {
    expect(parseListing(page, 'https://127.0.0.1/web/wjdt/').map((i) => i.title)).toEqual([
      '王毅同美国国务卿通电话',
      '外交部发言人答记者问',
    ]);
  });

  it('names a selector that is not CSS', () => {
    expect(() => parseListing(page, 'https://127.0.0.1/', { link: 'ul[[' })).toThrow(
      'the listing selector "ul[[" is not valid CSS',
    );
    expect(() => parseListing(page, 'https://127.0.0.1/', { item: 'ul.list1 li', link: 'a', date: 'span[[' })).toThrow(
      'the listing selector "span[[" is not valid CSS',
    );
  });

  it('with item selectors: the first link and date of each item', () => {
    const items = parseListing(page, 'https://127.0.0.1/web/wjdt/', {
      item: 'ul.list1 li',
      link: 'a',
      date: '.time',
    });
    expect(items.map((i) => [i.title, i.published])).toEqual([
      ['王毅同美国国务卿通电话', '2026-06-02'],
      ['A link to a story on another site entirely', undefined],
      ['外交部发言人答记者问', '2026-06-01'],
    ]);
  });

  it(`reads a link's date from the first ${DATE_TEXT_MAX.toLocaleString('en-US')} characters around it, not its parent's whole text`, () => {
    // Each link nested in the one before: every parent's text held all the links after it, and reading it whole
    // for each link made the page quadratic (20,000 links: a minute). Now the date must be near the link.
    const nested = (links: number, tail: string) =>
      `<html><body>${Array.from({ length: links }, (_, i) => `<div><a href="/news/${i}">Minister meets counterpart, part ${i}</a>`).join('')}${tail}${'</div>'.repeat(links)}</body></html>`;
    const near = parseListing(nested(3, ' 2026-06-02'), 'https://127.0.0.1/list', { link: 'a' });
    expect(near.map((i) => i.published)).toEqual(['2026-06-02', '2026-06-02', '2026-06-02']);
    // 100 links of about 40 characters: the date after them is past the bound for the first links.
    const far = parseListing(nested(100, ' 2026-06-02'), 'https://127.0.0.1/list', { link: 'a' });
    expect(far).toHaveLength(100);
    expect(far[0]?.published).toBeUndefined();
    expect(far[99]?.published).toBe('2026-06-02');
  });
});

describe('decode', () => {
  it('reads the charset from the header, else the XML declaration or the meta tag', () => {
    const gbk = Buffer.from([0xd6, 0xd0, 0xc3, 0xc0]); // 中美 in GBK
    expect(decode(gbk, 'text/html; charset=GBK')).toBe('中美');
    const declared = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="gb2312"?><t>'), gbk]);
    expect(decode(declared, 'application/xml')).toBe('<?xml version="1.0" encoding="gb2312"?><t>中美');
    const meta = Buffer.concat([Buffer.from('<html><head><meta charset="gbk"></head><body>'), gbk]);
    expect(decode(meta, 'text/html')).toBe('<html><head><meta charset="gbk"></head><body>中美');
    expect(decode(Buffer.from('中美'), 'text/html; charset=not-a-charset')).toBe('中美');
  });
});

describe('extractText', () => {
  it('gives the article, paragraphs on lines of their own, without the navigation; nothing from an empty page', () => {
    const html = `<html><body><nav><a href="/">Home</a></nav><article><h1>Title</h1>
<p>${'First paragraph of the article text. '.repeat(4)}</p><p>Second paragraph.</p></article><footer>Foot</footer></body></html>`;
    expect(extractText(html, 'http://127.0.0.1/a')).toBe(
      `Title\n${'First paragraph of the article text. '.repeat(4).trim()}\nSecond paragraph.`,
    );
    expect(extractText('<html><body></body></html>', 'http://127.0.0.1/a')).toBeUndefined();
  });
});

describe('timing and sites', () => {
  it('polls every interval ± 10 %, backs off doubling up to a day, never before Retry-After', () => {
    expect(nextPollAt(0, 15, 0)).toBe(13.5 * 60_000);
    expect(nextPollAt(0, 15, 0.5)).toBe(15 * 60_000);
    expect(backoffUntil(0, 15, 1, 0.5)).toBe(30 * 60_000);
    expect(backoffUntil(0, 15, 3, 0.5)).toBe(120 * 60_000);
    expect(backoffUntil(0, 15, 40, 0.5)).toBe(MAX_BACKOFF_MS);
    expect(backoffUntil(0, 15, 1, 0.5, 3 * 60 * 60_000)).toBe(3 * 60 * 60_000);
  });

  it('an article is on the source’s site when its host is, www. aside', () => {
    expect(sameSite('https://www.war.gov/News/x', ['https://war.gov/feed'])).toBe(true);
    expect(sameSite('http://169.254.169.254/latest', ['https://www.war.gov/feed'])).toBe(false);
    expect(sameSite('not a url', ['https://www.war.gov/feed'])).toBe(false);
  });
});

describe('countFeedReport', () => {
  it('counts polls by outcome and proposals by what the book did', async () => {
    const { createMetrics, countFeedReport } = await import('../../src/ops/metrics.js');
    const metrics = createMetrics();
    const count = countFeedReport(metrics);
    const base = { feed: 'f', listed: 1, fresh: 1, old: 0, articleFailures: [], left: 0, nextPoll: '' };
    count({ ...base, status: 'ok', proposals: [{ title: 't', outcome: { outcome: 'created', id: 1 } }] });
    count({ ...base, status: 'not-modified', proposals: [] });
    count({ ...base, status: 'error', error: 'HTTP 503', proposals: [] });
    const text = await metrics.registry.metrics();
    expect(text).toContain('hotline_feed_polls_total{outcome="ok"} 1\n');
    expect(text).toContain('hotline_feed_polls_total{outcome="not_modified"} 1\n');
    expect(text).toContain('hotline_feed_polls_total{outcome="error"} 1\n');
    expect(text).toContain('hotline_feed_proposals_total{outcome="created"} 1\n');
  });
});
