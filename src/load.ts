// Reads the data directory and builds the catalog: parsing and validating every file (the schema, zod).
import { buildCatalog } from './core/build.js';
import type { BuildResult } from './core/catalog.js';
import { defaultDataDir, readDataFiles } from './dataFiles.js';

/** Reads and builds the catalog of a data directory. */
export function loadCatalog(dir: string = defaultDataDir()): BuildResult {
  return buildCatalog(readDataFiles(dir));
}
