// Test helpers: catalogs from the fixture and the bundled data, and transcript-style command runs.
import { join } from 'node:path';
import { COMMANDS } from '../commands/index.js';
import { renderText } from '../src/console/render.js';
import type { Catalog } from '../src/core/catalog.js';
import type { Day } from '../src/core/dates.js';
import { ask } from '../src/core/dispatch.js';
import type { Reply } from '../src/core/reply.js';
import { loadCatalog, packageRoot } from '../src/load.js';

/** The folder of the small invented fixture dataset. */
export const FIXTURE_DIR = join(packageRoot(), 'tests', 'fixtures', 'data');

const cache = new Map<string, Catalog>();

/** A catalog built from a data folder (cached); fails the test run if the data is bad. */
export function catalogOf(dir: string): Catalog {
  const cached = cache.get(dir);
  if (cached) return cached;
  const result = loadCatalog(dir);
  if (!result.ok) throw new Error(`bad data in ${dir}: ${JSON.stringify(result.errors, null, 1)}`);
  cache.set(dir, result.catalog);
  return result.catalog;
}

/** The invented fixture catalog (stable, exact expectations). */
export const fixture = (): Catalog => catalogOf(FIXTURE_DIR);

/** The bundled catalog in data/. */
export const bundled = (): Catalog => catalogOf(join(packageRoot(), 'data'));

/** Runs a command line as a person would type it and returns the Reply. */
export function runCommand(line: string, now: Day, catalog: Catalog = fixture()): Reply {
  return ask(line, { catalog, commands: COMMANDS, now }).reply;
}

/** Runs a command line and returns what the console would print. */
export function transcript(line: string, now: Day, catalog: Catalog = fixture()): string {
  return renderText(runCommand(line, now, catalog));
}
