// Reads the data directory's files from disk (the only file IO behind the core). Building the catalog
// from them is src/load.ts, which loads the validating schema.
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataFile } from './core/catalog.js';

/** The bundled data directory: HOTLINE_DATA if set, else data/ at the package root. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOTLINE_DATA) return resolve(env.HOTLINE_DATA);
  return join(packageRoot(), 'data');
}

/** The folder holding package.json, found from this file (works from src/ and dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above src/dataFiles.ts');
    dir = up;
  }
  return dir;
}

/**
 * Every .yaml/.yml file under `dir`, with paths relative to it, read one at a time as they are
 * consumed (so a large data set is never all in memory as text). Throws if `dir` is not a directory.
 */
export function readDataFiles(dir: string): Iterable<DataFile> {
  const paths = dataFilePaths(dir);
  return (function* () {
    for (const { path, full } of paths) yield { path, text: readDataFile(full) };
  })();
}

/**
 * The .yaml/.yml files under `dir` in the order readDataFiles reads them: each one's path relative to `dir`
 * (with "/" separators) and its full path. Throws if `dir` is not a directory.
 */
export function dataFilePaths(dir: string): { path: string; full: string }[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`data directory not found: ${dir}`);
  const paths: string[] = [];
  const walk = (folder: string) => {
    // By code unit, not localeCompare: the order only needs to be fixed, and a collator costs a process ~7 ms to load.
    const entries = readdirSync(folder, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) paths.push(full);
    }
  };
  walk(dir);
  return paths.map((full) => ({ path: relative(dir, full).split(sep).join('/'), full }));
}

/** The largest data or ingest file read, in bytes: a year of the record is about 100 KB. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads one data or ingest file as text: a regular file (not a device, a FIFO or a directory) of at most
 * MAX_FILE_BYTES, or an Error saying which and how to proceed.
 */
export function readDataFile(path: string): string {
  return readDataFileBytes(path).toString('utf8');
}

/**
 * Reads one data or ingest file's bytes, with readDataFile's checks (for hashing: no text is decoded). With
 * `scratch`, the bytes are read into its buffer (grown when too small) and a view of them is returned,
 * valid until the next read into it.
 */
export function readDataFileBytes(path: string, scratch?: { buffer: Buffer }): Buffer {
  const info = statSync(path);
  if (!info.isFile()) throw new Error(`${path} is not a regular file`);
  if (info.size > MAX_FILE_BYTES) {
    throw new Error(
      `${path} is ${(info.size / 1048576).toFixed(1)} MB; files of up to ${MAX_FILE_BYTES / 1048576} MB are read: split it into smaller files`,
    );
  }
  if (!scratch) return readFileSync(path);
  const fd = openSync(path, 'r');
  try {
    if (scratch.buffer.length < info.size)
      scratch.buffer = Buffer.allocUnsafe(Math.max(info.size, 2 * scratch.buffer.length));
    let done = 0;
    for (let n = 1; n > 0 && done < info.size; done += n)
      n = readSync(fd, scratch.buffer, done, info.size - done, done);
    return scratch.buffer.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}
