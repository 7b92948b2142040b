// The catalog cache (issue 17): a hit gives exactly the catalog a build gives; any change to the data
// makes a new key; a damaged cache file is passed over, never trusted.
import {
  appendFileSync,
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeCatalog, loadCatalogCached } from '../src/catalogCache.js';
import type { Catalog } from '../src/core/catalog.js';
import { loadCatalog } from '../src/load.js';
import { FIXTURE_DIR } from './helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'hotline-cache-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const snapshot = (catalog: Catalog) =>
  JSON.stringify({
    events: catalog.events,
    people: [...catalog.people.entries()],
    mechanisms: [...catalog.mechanisms.entries()],
    topics: [...catalog.topics.entries()],
    coverage: catalog.coverage,
    index: Object.fromEntries(Object.entries(catalog.index).map(([k, v]) => [k, [...v.entries()]])),
    starts: catalog.starts,
    longestSpan: catalog.longestSpan,
  });

describe('the catalog cache', () => {
  const data = join(TMP, 'data');
  const cache = join(TMP, 'cache');
  cpSync(FIXTURE_DIR, data, { recursive: true });

  it('gives, from the cache, exactly the catalog a build gives', async () => {
    const built = loadCatalog(data);
    const first = await loadCatalogCached(data, cache);
    expect(readdirSync(cache)).toHaveLength(1);
    const second = await loadCatalogCached(data, cache);
    if (!built.ok || !first.ok || !second.ok) throw new Error('the fixture is valid');
    expect(snapshot(second.catalog)).toBe(snapshot(built.catalog));
    expect(second.warnings).toEqual(built.warnings);
    // Built or read back, the same files give the same fingerprint: the key, whose first 40 digits name the file.
    expect(first.catalog.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(second.catalog.fingerprint).toBe(first.catalog.fingerprint);
    expect(readdirSync(cache)).toEqual([`catalog-${first.catalog.fingerprint?.slice(0, 40)}.bin`]);
    expect(built.catalog.fingerprint).toBeUndefined();
  });

  it('builds anew when a data file changes, and keeps the newest four', async () => {
    const [before] = readdirSync(cache);
    const earlier = await loadCatalogCached(data, cache);
    appendFileSync(join(data, 'topics.yaml'), '\n# a comment changes the key\n');
    const changed = await loadCatalogCached(data, cache);
    expect(changed.ok).toBe(true);
    if (!earlier.ok || !changed.ok) throw new Error('the fixture is valid');
    expect(changed.catalog.fingerprint).not.toBe(earlier.catalog.fingerprint);
    const after = readdirSync(cache);
    expect(after).toHaveLength(2);
    expect(after).toContain(before);
    for (let i = 0; i < 4; i++) {
      appendFileSync(join(data, 'topics.yaml'), `\n# change ${i}\n`);
      await loadCatalogCached(data, cache);
    }
    expect(readdirSync(cache)).toHaveLength(4);
  });

  it('passes over a damaged cache file and builds', async () => {
    for (const name of readdirSync(cache)) writeFileSync(join(cache, name), '{"format":1,"events":[{"id":');
    const result = await loadCatalogCached(data, cache);
    const built = loadCatalog(data);
    if (!result.ok || !built.ok) throw new Error('the fixture is valid');
    expect(snapshot(result.catalog)).toBe(snapshot(built.catalog));
  });

  it('gives two data folders the same key only for the same files: bytes that spell a path are no second file', async () => {
    // Folder one: people.yaml and topics.yaml. Folder two: one people.yaml holding people.yaml's bytes, then
    // "\0topics.yaml\0" and topics.yaml's bytes; no topics.yaml. Hashed path, bytes, path, bytes without the
    // lengths, both fed the key the same bytes: the second folder was served the first one's cached catalog
    // (and the bot, seeing the fingerprint, published none of its events).
    const one = join(TMP, 'frame-one');
    const two = join(TMP, 'frame-two');
    const shared = join(TMP, 'cache-frame');
    cpSync(FIXTURE_DIR, one, { recursive: true });
    cpSync(FIXTURE_DIR, two, { recursive: true });
    const people = readFileSync(join(one, 'people.yaml'));
    const topics = readFileSync(join(one, 'topics.yaml'));
    writeFileSync(join(two, 'people.yaml'), Buffer.concat([people, Buffer.from('\0topics.yaml\0'), topics]));
    rmSync(join(two, 'topics.yaml'));
    const first = await loadCatalogCached(one, shared);
    if (!first.ok) throw new Error('the fixture is valid');
    const second = await loadCatalogCached(two, shared);
    expect(second.ok && second.catalog.fingerprint).not.toBe(first.catalog.fingerprint);
    // The second folder is read as it is: a NUL byte is no YAML, so it does not load.
    expect(second.ok).toBe(false);
    expect(second).toEqual(loadCatalog(two));
  });

  it('passes over a cache file any user may write: the key is no secret, and a file planted under it was served', async () => {
    // HOTLINE_CACHE_DIR on a shared directory (/tmp): anyone can compute the key of public data and code, and
    // a file written under it with another catalog (here: one summary rewritten) passed every check.
    const data = join(TMP, 'plant-data');
    const other = join(TMP, 'plant-other');
    const shared = join(TMP, 'cache-plant');
    cpSync(FIXTURE_DIR, data, { recursive: true });
    cpSync(FIXTURE_DIR, other, { recursive: true });
    const events = join(other, 'events', '2024.yaml');
    writeFileSync(
      events,
      readFileSync(events, 'utf8').replace('Fixture video call between the ministers.', 'Planted.'),
    );
    const genuine = await loadCatalogCached(data, shared);
    const planted = loadCatalog(other);
    if (!genuine.ok || !planted.ok || genuine.catalog.fingerprint === undefined)
      throw new Error('the fixture is valid');
    const key = genuine.catalog.fingerprint;
    const file = join(shared, `catalog-${key.slice(0, 40)}.bin`);
    // A new file in its place (the genuine catalog still reads its events from the file it opened).
    writeFileSync(`${file}.planted`, Buffer.concat(encodeCatalog(planted.catalog, planted.warnings, key)));
    chmodSync(`${file}.planted`, 0o666);
    renameSync(`${file}.planted`, file);
    const lines: string[] = [];
    const loaded = await loadCatalogCached(data, shared, (line) => lines.push(line));
    if (!loaded.ok) throw new Error('the fixture is valid');
    expect(snapshot(loaded.catalog)).toBe(snapshot(genuine.catalog));
    expect(snapshot(loaded.catalog)).not.toBe(snapshot(planted.catalog));
    expect(lines).toEqual([
      `hotline: the catalog cache ${file} is writable by any user; building the catalog and writing it anew`,
    ]);
    // Written anew by this user, it is used at the next start without a word.
    lines.length = 0;
    expect((await loadCatalogCached(data, shared, (line) => lines.push(line))).ok).toBe(true);
    expect(lines).toEqual([]);
  });

  it('never caches a catalog with errors', async () => {
    appendFileSync(join(data, 'events', '2024.yaml'), '\n- id: broken\n');
    const result = await loadCatalogCached(data, join(TMP, 'cache-errors'));
    expect(result.ok).toBe(false);
    expect(() => readdirSync(join(TMP, 'cache-errors'))).toThrow();
  });
});
