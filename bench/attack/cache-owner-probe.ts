// A catalog cache file owned by another user (run as root, which may chown): node bin/run-ts.js bench/attack/cache-owner-probe.ts
// Prints what loadCatalogCached says of it: passed over and rebuilt, or used.
import { chownSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogCached } from '../../src/catalogCache.js';
import { FIXTURE_DIR } from '../../tests/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'hotline-owner-'));
const data = join(dir, 'data');
const cache = join(dir, 'cache');
cpSync(FIXTURE_DIR, data, { recursive: true });
await loadCatalogCached(data, cache);
const [name] = readdirSync(cache);
chownSync(join(cache, name ?? ''), 65534, 65534);
const lines: string[] = [];
const loaded = await loadCatalogCached(data, cache, (line) => lines.push(line));
console.log(loaded.ok ? 'loaded' : 'failed', lines.length > 0 ? lines : 'used without a word (the other user’s file)');
rmSync(dir, { recursive: true, force: true });
