// The catalog cache's format 2 (issue 17): a damaged or stale file is reported in one line and rebuilt, never
// used; answers from the cache (events made on first use, the stored search index) are the answers of a
// fresh build.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/index.js';
import { loadCatalogCached } from '../src/catalogCache.js';
import type { Catalog } from '../src/core/catalog.js';
import { ask } from '../src/core/dispatch.js';
import { search } from '../src/core/queries/search.js';
import { packageRoot } from '../src/dataFiles.js';
import { loadCatalog } from '../src/load.js';
import { FIXTURE_DIR } from './helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'hotline-cache2-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const NOW = '2026-11-24';

/** Loads through the cache in `folder`, with the lines it reports. */
async function cachedWithLog(data: string, folder: string): Promise<{ catalog: Catalog; lines: string[] }> {
  const lines: string[] = [];
  const result = await loadCatalogCached(data, folder, (line) => lines.push(line));
  if (!result.ok) throw new Error('the data is valid');
  return { catalog: result.catalog, lines };
}

function built(data: string): Catalog {
  const result = loadCatalog(data);
  if (!result.ok) throw new Error('the data is valid');
  return result.catalog;
}

/** Every event and index of a catalog, to compare two catalogs whole. */
const whole = (catalog: Catalog) =>
  JSON.stringify({ events: catalog.events, index: Object.entries(catalog.index).map(([k, v]) => [k, [...v]]) });

/** The one cache file of a folder. */
function onlyFile(folder: string): string {
  const names = readdirSync(folder);
  expect(names).toHaveLength(1);
  return join(folder, names[0] as string);
}

describe('a damaged or stale cache file', () => {
  const data = join(TMP, 'fixture');
  cpSync(FIXTURE_DIR, data, { recursive: true });
  const fresh = whole(built(data));

  const cases: [string, (file: string, bytes: Buffer) => void, RegExp][] = [
    [
      'cut short',
      (file, bytes) => writeFileSync(file, bytes.subarray(0, bytes.length - 100)),
      /is \d+ bytes, not the \d+/,
    ],
    ['cut to a few bytes', (file, bytes) => writeFileSync(file, bytes.subarray(0, 10)), /is cut short \(10 bytes\)/],
    [
      'with a byte flipped in an event',
      (file, bytes) => {
        const copy = Buffer.from(bytes);
        const at = copy.lastIndexOf(Buffer.from('"summary"'));
        copy[at + 12] = (copy[at + 12] as number) ^ 0x20;
        writeFileSync(file, copy);
      },
      /fails its CRC-32 check/,
    ],
    [
      'with a byte flipped in the header',
      (file, bytes) => {
        const copy = Buffer.from(bytes);
        copy[40] = (copy[40] as number) ^ 0x01;
        writeFileSync(file, copy);
      },
      /fails its CRC-32 check/,
    ],
    [
      'of another format',
      (file, bytes) => writeFileSync(file, Buffer.concat([Buffer.from('{"format":1,'), bytes])),
      /is not a catalog cache/,
    ],
  ];

  for (const [name, damage, reason] of cases) {
    it(`${name}: is reported in one line and rebuilt, with the answers of a fresh build`, async () => {
      const folder = join(TMP, `cache-${name.replace(/\W+/g, '-')}`);
      await cachedWithLog(data, folder);
      const file = onlyFile(folder);
      const bytes = readFileSync(file);
      damage(file, bytes);
      const { catalog, lines } = await cachedWithLog(data, folder);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(reason);
      expect(lines[0]).toContain(file);
      expect(whole(catalog)).toBe(fresh);
      // Written anew: the next start uses it and reports nothing.
      expect(readFileSync(file).equals(bytes)).toBe(true);
      const again = await cachedWithLog(data, folder);
      expect(again.lines).toEqual([]);
      expect(whole(again.catalog)).toBe(fresh);
    });
  }

  it('written for another key (other data under this name) is reported and rebuilt, never used', async () => {
    const folder = join(TMP, 'cache-key');
    const other = join(TMP, 'other');
    cpSync(FIXTURE_DIR, other, { recursive: true });
    writeFileSync(join(other, 'topics.yaml'), `${readFileSync(join(other, 'topics.yaml'), 'utf8')}\n# other data\n`);
    await cachedWithLog(data, folder);
    const file = onlyFile(folder);
    const otherFolder = join(TMP, 'cache-other');
    await cachedWithLog(other, otherFolder);
    writeFileSync(file, readFileSync(onlyFile(otherFolder)));
    const { catalog, lines } = await cachedWithLog(data, folder);
    expect(lines).toEqual([
      `hotline: the catalog cache ${file} was written for other data or code (its key differs); building the catalog and writing it anew`,
    ]);
    expect(whole(catalog)).toBe(fresh);
  });

  it('with its search index damaged: the first search reports it and searches an index built from the events', async () => {
    const folder = join(TMP, 'cache-search');
    await cachedWithLog(data, folder);
    const file = onlyFile(folder);
    const copy = readFileSync(file);
    copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0xff; // the search index is last
    writeFileSync(file, copy);
    const { catalog, lines } = await cachedWithLog(data, folder);
    expect(lines).toEqual([]); // the start-up check does not read the search index
    const hits = search(catalog, 'hotline', 10).hits.map((h) => (h.type === 'event' ? h.event.id : `${h.type}`));
    expect(lines).toEqual([
      'hotline: the search index in the catalog cache fails its CRC-32 check; building it from the events',
    ]);
    expect(hits).toEqual(
      search(built(data), 'hotline', 10).hits.map((h) => (h.type === 'event' ? h.event.id : `${h.type}`)),
    );
  });

  it('is left alone when there is none: the first start builds and writes without a word', async () => {
    const folder = join(TMP, 'cache-none');
    const { lines } = await cachedWithLog(data, folder);
    expect(lines).toEqual([]);
    expect(statSync(onlyFile(folder)).size).toBeGreaterThan(0);
  });
});

describe('a catalog of any size', () => {
  it('with no events at all: the same from the cache as built', async () => {
    const data = join(TMP, 'no-events');
    cpSync(FIXTURE_DIR, data, { recursive: true });
    rmSync(join(data, 'events'), { recursive: true, force: true });
    writeFileSync(
      join(data, 'mechanisms.yaml'),
      // A history entry cites a source instead of the events that are gone.
      readFileSync(join(data, 'mechanisms.yaml'), 'utf8').replace(
        /^( *)event: .*$/gm,
        '$1sources:\n$1  - {title: Fixture source, publisher: Example, url: "https://example.org/z"}',
      ),
    );
    const fresh = loadCatalog(data);
    if (!fresh.ok) throw new Error(JSON.stringify(fresh.errors));
    const folder = join(TMP, 'cache-no-events');
    await cachedWithLog(data, folder);
    const { catalog, lines } = await cachedWithLog(data, folder);
    expect(lines).toEqual([]);
    expect(catalog.count).toBe(0);
    expect(whole(catalog)).toBe(whole(fresh.catalog));
    expect(search(catalog, 'hotline', 10)).toEqual(search(fresh.catalog, 'hotline', 10));
  });
});

describe('answers from the cache', () => {
  const data = join(packageRoot(), 'data');
  const folder = join(TMP, 'cache-bundled');

  it('are the answers of a fresh build, for the bundled data, without making every event', async () => {
    const fresh = built(data);
    await cachedWithLog(data, folder); // writes the cache
    const { catalog, lines } = await cachedWithLog(data, folder);
    expect(lines).toEqual([]);
    const lastId = fresh.id(fresh.count - 1);
    const person = [...fresh.index.person.keys()][0] as string;
    const topic = [...fresh.index.topic.keys()][0] as string;
    const queries = [
      '/lastcontact',
      '/lastcontact level:minister',
      `/lastcontact person:${person}`,
      `/lastcontact ${topic} side:PRC`,
      '/timeline since:2020-01-01',
      '/timeline level:leaders page:2',
      `/timeline topic:${topic} order:oldest`,
      '/channels',
      '/digest period:1y',
      `/event ${lastId}`,
      '/event 2024-04-16-no-such-event',
      '/search hotline',
      '/search maritime safety',
      '/search maritme',
      '/search 国防部',
      '/search 2024-04',
      '/search April 2024',
      '/help',
    ];
    for (const line of queries) {
      const [a, b] = await Promise.all([
        ask(line, { catalog, commands: COMMANDS, now: NOW }),
        ask(line, { catalog: fresh, commands: COMMANDS, now: NOW }),
      ]);
      expect(JSON.stringify(a.reply), line).toBe(JSON.stringify(b.reply));
    }
    expect(whole(catalog)).toBe(whole(fresh));
  });
});
