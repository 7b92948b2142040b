// The feeds file (data/feeds.yaml): every bad or hostile entry is named by file, source name and field, and
// `hotline data check` lists those problems with the record's and counts the sources when all is well.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDataError } from '../../src/core/errors.js';
import { checkFeeds, feedsSummary } from '../../src/core/feeds.js';
import { loadFeeds } from '../../src/load.js';
import { FIXTURE_DIR, runProcess } from '../helpers.js';

const GOOD = `- name: Example releases
  url: "https://example.org/news/rss.xml"
  kind: rss
  side: US
  language: en
  confirmed: true
  note: An invented source for the tests.
- name: Example listing
  url: "http://example.cn/list/index.html"
  kind: html
  side: PRC
  language: zh
  confirmed: false
  interval: 60
  items:
    item: "#list .item"
    link: ".tit a"
    date: ".time"
`;

function errorsOf(text: string): string[] {
  const result = checkFeeds({ path: 'feeds.yaml', text });
  if (result.ok) throw new Error('expected errors');
  return result.errors.map(formatDataError);
}

describe('checkFeeds', () => {
  it('reads a good file, with the default interval where none is given', () => {
    const result = checkFeeds({ path: 'feeds.yaml', text: GOOD });
    if (!result.ok) throw new Error(result.errors.map(formatDataError).join('\n'));

    expect(result.feeds.map((f) => [f.name, f.interval, f.items?.link])).toEqual([
      ['Example releases', 15, undefined],
      ['Example listing', 60, '.tit a'],
    ]);
    expect(feedsSummary(result.feeds)).toBe('2 feeds (1 confirmed)');
  });

  it('names the source and field of an unknown kind, a bad URL, a missing field and an unknown field', () => {
    const text = GOOD.replace('kind: rss', 'kind: json')
      .replace('"http://example.cn/list/index.html"', '"javascript:alert(1)"')
      .replace('  confirmed: true\n', '')
      .replace('  interval: 60', '  intervals: 60');

    expect(errorsOf(text)).toEqual([
      'feeds.yaml: Example releases: kind: "json" is not one of rss, atom, html',
      'feeds.yaml: Example releases: confirmed: is required',
      'feeds.yaml: Example listing: url: must be an http(s) URL with no spaces',
      'feeds.yaml: Example listing: intervals: unknown field; check its spelling against docs/DATA.md',
    ]);
  });

  it('GIVEN a source with no kind, side or language THEN each is named as required, not as "undefined"', () => {
    const text = GOOD.replace('  kind: rss\n', '').replace('  side: PRC\n', '').replace('  language: zh\n', '');
    expect(errorsOf(text)).toEqual([
      'feeds.yaml: Example releases: kind: is required',
      'feeds.yaml: Example listing: side: is required',
      'feeds.yaml: Example listing: language: is required',
    ]);
  });

  it('refuses a name or an address used twice (scheme, host case and a final slash aside)', () => {
    const twice = `${GOOD}- name: "example RELEASES"
  url: "http://EXAMPLE.org/news/rss.xml/"
  kind: atom
  side: none
  language: en
  confirmed: false
`;
    expect(errorsOf(twice)).toEqual([
      'feeds.yaml: example RELEASES: name: duplicate name (also "Example releases")',
      'feeds.yaml: example RELEASES: url: the same address as "Example releases"; poll each feed once',
    ]);
  });

  it('refuses listing hints on a feed, a bad side and language, and a silly interval', () => {
    const text = GOOD.replace('  note: An invented', '  items: {link: a}\n  note: An invented')
      .replace('side: PRC', 'side: China')
      .replace('language: zh', 'language: Chinese')
      .replace('interval: 60', 'interval: 0.5');

    expect(errorsOf(text)).toEqual([
      'feeds.yaml: Example releases: items: listing hints are for kind: html only; remove "items"',
      'feeds.yaml: Example listing: side: "China" is not one of US, PRC, none',
      'feeds.yaml: Example listing: language: must be a two-letter language code, e.g. "zh"',
      'feeds.yaml: Example listing: interval: must be a whole number of minutes',
    ]);
  });

  it('refuses hostile files: not a list, an alias bomb, control characters, a name that is a mapping', () => {
    expect(errorsOf('name: x\nurl: y\n')).toEqual(['feeds.yaml: must be a list of records, each starting with "- "']);
    expect(errorsOf('- &a {name: x}\n- *a\n')[0]).toMatch(/^feeds\.yaml: line 2, column 3: YAML aliases/);
    expect(errorsOf(GOOD.replace('Example releases', 'Example\u202ereleases'))).toEqual([
      'feeds.yaml: Example\u202ereleases: name: contains an invisible or control character (U+202E); delete it',
    ]);
    expect(errorsOf(GOOD.replace('- name: Example releases', '- name: {a: 1}'))).toEqual([
      'feeds.yaml: record 1: name: must be a string',
    ]);
  });
});

describe('data/feeds.yaml', () => {
  it('is valid, and every source says whether its address was confirmed', () => {
    const result = loadFeeds();
    if (!result?.ok) throw new Error(result ? result.errors.map(formatDataError).join('\n') : 'no data/feeds.yaml');
    expect(result.feeds.length).toBeGreaterThanOrEqual(20);
    expect(result.feeds.some((f) => f.confirmed)).toBe(true);
    expect(new Set(result.feeds.map((f) => f.side))).toEqual(new Set(['US', 'PRC', 'none']));
  });
});

describe('hotline data check with a feeds file', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hotline-feeds-test-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('counts the sources in its ok line, and lists a bad source with the record and exits 1', async () => {
    const dir = join(tmp, 'data');
    cpSync(FIXTURE_DIR, dir, { recursive: true });
    writeFileSync(join(dir, 'feeds.yaml'), GOOD);
    const good = await runProcess(process.execPath, ['bin/hotline.js', 'data', 'check', dir]);
    expect(good.stdout).toBe(`${dir}: ok · 7 events, 5 people, 2 mechanisms, 3 topics · 2 feeds (1 confirmed)\n`);
    expect(good.code).toBe(0);

    writeFileSync(join(dir, 'feeds.yaml'), GOOD.replace('kind: rss', 'kind: podcast'));
    const bad = await runProcess(process.execPath, ['bin/hotline.js', 'data', 'check', dir]);
    expect(bad.stderr).toBe(
      `feeds.yaml: Example releases: kind: "podcast" is not one of rss, atom, html\n${dir}: 1 error\n`,
    );
    expect(bad.stdout).toBe('');
    expect(bad.code).toBe(1);
  });
});
