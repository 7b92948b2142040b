// Reads the data directory and builds the catalog: parsing and validating every file (the schema, zod).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog, FEEDS_FILE } from './core/build.js';
import type { BuildResult } from './core/catalog.js';
import { checkFeeds, type FeedsResult } from './core/feeds.js';
import { defaultDataDir, readDataFile, readDataFiles } from './dataFiles.js';

/** Reads and builds the catalog of a data directory. */
export function loadCatalog(dir: string = defaultDataDir()): BuildResult {
  return buildCatalog(readDataFiles(dir));
}

/**
 * Reads and checks a data directory's feeds.yaml. Undefined when there is none: the file is optional, and a
 * missing directory is for the catalog's load to report. Errors name the file "feeds.yaml", like the others.
 */
export function loadFeeds(dir: string = defaultDataDir()): FeedsResult | undefined {
  const path = join(dir, FEEDS_FILE);
  if (!existsSync(path)) return undefined;
  return checkFeeds({ path: FEEDS_FILE, text: readDataFile(path) });
}
