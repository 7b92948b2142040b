// A cache of the validated catalog on disk, so start-up skips YAML parsing and validation when neither the
// data nor the code that validates it changed (issue 17). Never trusted without that check: the key is a
// hash of every data file's path and text and of the validating modules' own source.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildResult, type CatalogEvent, indexCatalog } from './core/catalog.js';
import type { DataError } from './core/errors.js';
import type { Coverage, EventRecord, Mechanism, Person, Topic } from './core/schema.js';
import { packageRoot, readDataFiles } from './dataFiles.js';

/** Bumped when the cached form changes. */
const FORMAT = 1;

/** How many cached catalogs are kept. */
const KEEP = 4;

/** The modules whose code decides what a valid catalog is: a change to any of them is a new key. */
const VALIDATORS = ['schema', 'vocabulary', 'build', 'catalog', 'consistency', 'sourceQuality', 'text', 'dates'];

/** What is stored: the records as validated, in the order buildCatalog indexes them, and its warnings. */
interface Cached {
  format: number;
  events: (EventRecord & { file: string })[];
  people: Person[];
  mechanisms: Mechanism[];
  topics: Topic[];
  coverage: Coverage;
  warnings: DataError[];
}

/** The source of the validating modules, as this process runs them (.ts through tsx, .js when built). */
function validatorsSource(): string {
  return VALIDATORS.map((name) => {
    for (const ext of ['ts', 'js']) {
      const path = fileURLToPath(new URL(`./core/${name}.${ext}`, import.meta.url));
      if (existsSync(path)) return readFileSync(path, 'utf8');
    }
    return `missing ${name}`;
  }).join('\0');
}

/** Where cached catalogs are kept (node_modules/.cache, as tools do); HOTLINE_CACHE_DIR overrides it. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOTLINE_CACHE_DIR ?? join(packageRoot(), 'node_modules', '.cache', 'hotline');
}

/**
 * The catalog of `dir`: from the cache when its key matches, else built (and cached when valid). A cache
 * that cannot be read or written is passed over: the catalog is built as without one. The builder (YAML
 * and the schema library) is loaded only when the cache has no catalog for these files.
 */
export async function loadCatalogCached(dir: string, folder = cacheDir()): Promise<BuildResult> {
  const files = [...readDataFiles(dir)];
  const hash = createHash('sha256').update(`${FORMAT}\0${validatorsSource()}`);
  for (const file of files) hash.update(`\0${file.path}\0${file.text}`);
  const path = join(folder, `catalog-${hash.digest('hex').slice(0, 40)}.json`);
  try {
    const cached = JSON.parse(readFileSync(path, 'utf8')) as Cached;
    if (cached.format === FORMAT) {
      const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((item) => [item.id, item]));
      const catalog = indexCatalog(
        cached.events,
        byId(cached.people),
        byId(cached.mechanisms),
        byId(cached.topics),
        cached.coverage,
      );
      return { ok: true, catalog, warnings: cached.warnings };
    }
  } catch {
    // no cache yet, or one that cannot be read: build
  }
  const { buildCatalog } = await import('./core/build.js');
  const result = buildCatalog(files);
  if (result.ok) {
    const { catalog, warnings } = result;
    const cached: Cached = {
      format: FORMAT,
      events: catalog.events.map(({ start: _s, end: _e, precision: _p, pos: _pos, ...record }: CatalogEvent) => record),
      people: [...catalog.people.values()],
      mechanisms: [...catalog.mechanisms.values()],
      topics: [...catalog.topics.values()],
      coverage: catalog.coverage,
      warnings,
    };
    try {
      mkdirSync(folder, { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(cached));
      renameSync(temporary, path); // whole or not at all: a reader never sees half a file
      // The newest few are kept (the bundled data, a test fixture …); older keys belong to data or code
      // that is gone.
      const others = readdirSync(folder)
        .filter((name) => /^catalog-[0-9a-f]+\.json$/.test(name) && join(folder, name) !== path)
        .map((name) => ({ path: join(folder, name), time: statSync(join(folder, name)).mtimeMs }))
        .sort((a, b) => b.time - a.time);
      for (const old of others.slice(KEEP - 1)) rmSync(old.path, { force: true });
    } catch {
      // a read-only install still starts, without the cache
    }
  }
  return result;
}
