// A cache of the validated catalog on disk, so start-up skips YAML parsing and validation when neither the
// data nor the code that validates it changed (issue 17). Never trusted without that check: the key is a
// SHA-256 of every data file's path, length and bytes and of the source of the validating modules and of this one
// (which decides the layout), and the file is checked by its size and CRC-32 before use. A file that fails
// is reported in one line and rebuilt.
//
// Format 2 (docs/PERFORMANCE.md): a compact header (start days, index postings, people, mechanisms, topics,
// coverage, warnings, byte offsets) read at start; the ids read when first needed; each event's JSON
// stored apart and read when a query first asks for it (src/core/lazyCatalog.ts); the search index's
// typed arrays read on the first search.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import type { BuildResult, Catalog, CatalogEvent, StoredSearch } from './core/catalog.js';
import type { DataError } from './core/errors.js';
import { lazyCatalog } from './core/lazyCatalog.js';
import { buildText } from './core/queries/search.js';
import type { TextIndexParts } from './core/queries/textIndex.js';
import type { Coverage, EventRecord, Mechanism, Person, Topic } from './core/schema.js';
import { dataFilePaths, packageRoot, readDataFileBytes, readDataFiles } from './dataFiles.js';

/** Bumped when the cached form changes. */
export const FORMAT = 2;

/** How many cached catalogs are kept. */
const KEEP = 4;

/** The first bytes of a cache file. */
const MAGIC = Buffer.from('HOTLINE\n', 'latin1');

/**
 * The fixed start of a file: magic (8 bytes), then as 32-bit little-endian numbers the format, the file's
 * size, the CRC-32 of bytes [PREFIX, mainEnd), mainEnd (where the search index begins), the header's
 * length in bytes, and a zero.
 */
const PREFIX = 32;

/**
 * The modules whose code decides what a valid catalog is, or how it is stored: a change to any of them is
 * a new key.
 */
const VALIDATORS = [
  'schema',
  'vocabulary',
  'build',
  'catalog',
  'lazyCatalog',
  'consistency',
  'people',
  'sourceQuality',
  'text',
  'dates',
  'queries/search',
  'queries/textIndex',
];

/** A part of the file: its offset and length in bytes. */
type Section = [offset: number, length: number];

/** The typed arrays of a stored text index, by name. */
const TEXT_ARRAYS = {
  start: Int32Array,
  postings: Int32Array,
  frequency: Uint16Array,
  docsWith: Int32Array,
  lengths: Uint16Array,
  meanLength: Float64Array,
} as const;
type TextArrayName = keyof typeof TEXT_ARRAYS;

/** What the header holds (JSON). */
interface Header {
  format: number;
  /** The full key the file was written for (its name holds only part of it). */
  key: string;
  /** The start days as runs: each day and how many events in a row start on it. */
  starts: [day: string, count: number][];
  /** Catalog.longestSpan. */
  longestSpan: number;
  /** The event ids, joined by newlines (ids are slugs), read when first needed. */
  ids: Section;
  people: Person[];
  mechanisms: Mechanism[];
  topics: Topic[];
  coverage: Coverage;
  warnings: DataError[];
  /** Per index, per key: the section of the postings array (Int32, in positions). */
  index: Record<keyof Catalog['index'], [value: string, from: number, count: number][]>;
  /** The postings (Int32 little-endian), each event's byte offset in `events` (count + 1 of them, Uint32), the events' JSON. */
  postings: Section;
  offsets: Section;
  events: Section;
  /** The stored search index: its terms (JSON), arrays, boosts and size, and the CRC-32 of its bytes. */
  search: {
    terms: Section;
    arrays: Record<TextArrayName, Section>;
    boosts: number[];
    docCount: number;
    crc: number;
  };
}

/** Reports a cache file that was not used (one line); the default writes it to stderr. */
export type CacheLog = (line: string) => void;

const stderrLog: CacheLog = (line) => process.stderr.write(`${line}\n`);

/** The source of the validating modules, as this process runs them (.ts through tsx, .js when built). */
function validatorsSource(): string {
  // This module's own source too: it decides the file's layout (a change without a new FORMAT is a new key).
  const own = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  return [
    own,
    ...VALIDATORS.map((name) => {
      for (const ext of ['ts', 'js']) {
        const path = fileURLToPath(new URL(`./core/${name}.${ext}`, import.meta.url));
        if (existsSync(path)) return readFileSync(path, 'utf8');
      }
      return `missing ${name}`;
    }),
  ].join('\0');
}

/** Where cached catalogs are kept (node_modules/.cache, as tools do); HOTLINE_CACHE_DIR overrides it. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOTLINE_CACHE_DIR ?? join(packageRoot(), 'node_modules', '.cache', 'hotline');
}

/**
 * The catalog of `dir`: from the cache when a file for its key is there and whole, else built (and cached
 * when valid). A cache file that is damaged or was written for another key is reported through `log` and
 * rebuilt; one that cannot be read or written is passed over. The builder (YAML and the schema library) is
 * loaded only when the cache has no catalog for these files.
 */
export async function loadCatalogCached(
  dir: string,
  folder = cacheDir(),
  log: CacheLog = stderrLog,
): Promise<BuildResult> {
  // The typed arrays are stored in this machine's byte order: it is part of the key.
  const hash = createHash('sha256').update(`${FORMAT}\0${endianness()}\0${validatorsSource()}`);
  // The files' bytes are read one at a time for the key (no text decoded), and read again as text only
  // when the catalog must be built.
  const scratch = { buffer: Buffer.alloc(0) }; // one buffer for every file: no garbage per file
  for (const { path, full } of dataFilePaths(dir)) {
    const bytes = readDataFileBytes(full, scratch);
    // The length as well: else a file whose bytes spell "\0next.yaml\0…" keys as two files would.
    hash.update(`\0${path}\0${bytes.length}\0`).update(bytes);
  }
  const key = hash.digest('hex');
  const path = join(folder, `catalog-${key.slice(0, 40)}.bin`);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
  } catch {
    // no cache for this key yet
  }
  if (fd !== undefined) {
    const opened = openCached(fd, key, log);
    if (opened.ok) return fingerprinted(opened.result, key);
    closeSync(fd);
    log(`hotline: the catalog cache ${path} ${opened.reason}; building the catalog and writing it anew`);
  }
  const { buildCatalog } = await import('./core/build.js');
  const result = buildCatalog(readDataFiles(dir));
  if (result.ok) {
    try {
      mkdirSync(folder, { recursive: true });
      // Its own name per writer (threads of one process share the pid): two writers never mix their bytes.
      const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      const out = openSync(temporary, 'w');
      try {
        for (const chunk of encodeCatalog(result.catalog, result.warnings, key)) {
          for (let done = 0; done < chunk.length; ) done += writeSync(out, chunk, done, chunk.length - done);
        }
      } catch (error) {
        rmSync(temporary, { force: true }); // a full disk leaves no half file behind
        throw error;
      } finally {
        closeSync(out);
      }
      renameSync(temporary, path); // whole or not at all: a reader never sees half a file
      // The newest few are kept (the bundled data, a test fixture …); older keys belong to data or code
      // that is gone. Format 1's .json files go too.
      const others = readdirSync(folder)
        .filter((name) => /^catalog-[0-9a-f]+\.(json|bin)$/.test(name) && join(folder, name) !== path)
        .map((name) => ({ path: join(folder, name), time: statSync(join(folder, name)).mtimeMs }))
        .sort((a, b) => b.time - a.time);
      for (const old of others.slice(KEEP - 1)) rmSync(old.path, { force: true });
    } catch {
      // a read-only install still starts, without the cache
      return fingerprinted(result, key);
    }
    // Answers come from the file just written, as at every later start: the built catalog (hundreds of
    // megabytes at 100,000 events) is let go.
    let written: number;
    try {
      written = openSync(path, 'r');
    } catch {
      return fingerprinted(result, key); // removed at once by another process keeping its newest four
    }
    const opened = openCached(written, key, log);
    if (opened.ok) return fingerprinted(opened.result, key);
    closeSync(written);
    log(
      `hotline: the catalog cache ${path} ${opened.reason} just after it was written; answering from the built catalog`,
    );
  }
  return fingerprinted(result, key);
}

/** The result with its catalog marked with the key of the files and code it came from. */
function fingerprinted(result: BuildResult, key: string): BuildResult {
  if (result.ok) result.catalog.fingerprint = key;
  return result;
}

/** The cache file's bytes for a catalog: the prefix, the header, the postings, the events, the search index. */
export function encodeCatalog(catalog: Catalog, warnings: readonly DataError[], key: string): Buffer[] {
  // The file as a list of pieces, written in turn: never copied whole into one buffer (at 100,000 events
  // it is over 100 MB).
  const chunks: Buffer[] = [];
  let at = 0;
  // Sections start at multiples of 8 (relative to the end of the header), so typed arrays can view them.
  const add = (bytes: ArrayBufferView): Section => {
    const padding = (8 - (at % 8)) % 8;
    if (padding > 0) chunks.push(Buffer.alloc(padding));
    at += padding;
    chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const section: Section = [at, bytes.byteLength];
    at += bytes.byteLength;
    return section;
  };
  const postings: number[] = [];
  const index = {} as Header['index'];
  for (const [name, map] of Object.entries(catalog.index) as [
    keyof Catalog['index'],
    ReadonlyMap<string, readonly number[]>,
  ][]) {
    index[name] = [];
    for (const [value, list] of map) {
      index[name].push([value, postings.length, list.length]);
      for (const pos of list) postings.push(pos);
    }
  }
  const postingsSection = add(new Int32Array(postings));
  const ids = Array.from({ length: catalog.count }, (_, pos) => catalog.id(pos));
  if (ids.some((id) => id.includes('\n'))) throw new Error('an event id holds a newline');
  const idsSection = add(Buffer.from(ids.join('\n')));
  const starts: Header['starts'] = [];
  for (const day of catalog.starts) {
    const last = starts.at(-1);
    if (last?.[0] === day) last[1]++;
    else starts.push([day, 1]);
  }
  const offsets = new Uint32Array(catalog.count + 1);
  const texts: Buffer[] = [];
  let length = 0;
  for (let pos = 0; pos < catalog.count; pos++) {
    const { start: _s, end: _e, precision: _p, pos: _pos, ...record }: CatalogEvent = catalog.event(pos);
    const text = Buffer.from(JSON.stringify(record));
    texts.push(text);
    length += text.length;
    offsets[pos + 1] = length;
  }
  const offsetsSection = add(offsets);
  const eventsSection = add(Buffer.concat(texts, length));
  const mainEnd = at;
  const text: TextIndexParts = buildText(catalog).toParts();
  const terms = add(Buffer.from(JSON.stringify(text.terms)));
  const arrays = {} as Header['search']['arrays'];
  for (const name of Object.keys(TEXT_ARRAYS) as TextArrayName[]) arrays[name] = add(text[name]);
  /** The CRC-32 of the body's bytes in [from, to), chunk by chunk, continuing `crc`. */
  const crcOf = (from: number, to: number, crc = 0): number => {
    let start = 0;
    let value = crc;
    for (const chunk of chunks) {
      const end = start + chunk.length;
      if (end > from && start < to)
        value = crc32(chunk.subarray(Math.max(0, from - start), Math.min(chunk.length, to - start)), value);
      start = end;
    }
    return value;
  };
  const header: Header = {
    format: FORMAT,
    key,
    ids: idsSection,
    starts,
    longestSpan: catalog.longestSpan,
    people: [...catalog.people.values()],
    mechanisms: [...catalog.mechanisms.values()],
    topics: [...catalog.topics.values()],
    coverage: catalog.coverage,
    warnings: [...warnings],
    index,
    postings: postingsSection,
    offsets: offsetsSection,
    events: eventsSection,
    search: {
      terms,
      arrays,
      boosts: [...text.boosts],
      docCount: text.docCount,
      crc: crcOf(terms[0], at),
    },
  };
  // Offsets in the header are relative to the body; the body starts after the header, padded to 8.
  const json = Buffer.from(JSON.stringify(header));
  const bodyStart = PREFIX + json.length + ((8 - (json.length % 8)) % 8);
  const head = Buffer.alloc(bodyStart);
  MAGIC.copy(head, 0);
  json.copy(head, PREFIX);
  head.writeUInt32LE(FORMAT, 8);
  head.writeUInt32LE(bodyStart + at, 12); // throws past 4 GiB: then no cache is written
  head.writeUInt32LE(bodyStart + mainEnd, 20);
  head.writeUInt32LE(json.length, 24);
  head.writeUInt32LE(crcOf(0, mainEnd, crc32(head.subarray(PREFIX))), 16);
  return [head, ...chunks];
}

type Opened = { ok: true; result: BuildResult } | { ok: false; reason: string };

/**
 * The catalog of an open cache file, when it is whole (size and CRC-32) and was written for `key`; else why
 * not. Takes the file descriptor: it stays open while the catalog lives, to read events as they are asked for.
 */
function openCached(fd: number, key: string, log: CacheLog): Opened {
  try {
    const info = fstatSync(fd);
    // The key is no secret (public data, public code): a file someone else wrote, or could have, is not
    // trusted (HOTLINE_CACHE_DIR on a shared directory such as /tmp). The file opened is the one checked.
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid)
      return { ok: false, reason: `belongs to another user (uid ${info.uid})` };
    if ((info.mode & 0o002) !== 0) return { ok: false, reason: 'is writable by any user' };
    const { size } = info;
    if (size < PREFIX) return { ok: false, reason: `is cut short (${size} bytes)` };
    const prefix = Buffer.alloc(PREFIX);
    readFully(fd, prefix, 0);
    if (!prefix.subarray(0, MAGIC.length).equals(MAGIC)) return { ok: false, reason: 'is not a catalog cache' };
    const format = prefix.readUInt32LE(8);
    if (format !== FORMAT) return { ok: false, reason: `has format ${format}, not ${FORMAT}` };
    const recorded = prefix.readUInt32LE(12);
    if (recorded !== size) return { ok: false, reason: `is ${size} bytes, not the ${recorded} it was written with` };
    const mainEnd = prefix.readUInt32LE(20);
    const headerLength = prefix.readUInt32LE(24);
    if (mainEnd > size || PREFIX + headerLength > mainEnd) return { ok: false, reason: 'has a damaged prefix' };
    // The header and the postings are kept; the events are only checked here, read in pieces.
    const bodyStart = PREFIX + headerLength + ((8 - (headerLength % 8)) % 8);
    const head = Buffer.alloc(headerLength);
    let crc = 0;
    readFully(fd, head, PREFIX);
    crc = crc32(head, crc);
    const piece = Buffer.alloc(Math.min(4 << 20, mainEnd));
    for (let at = PREFIX + headerLength; at < mainEnd; ) {
      const n = readSync(fd, piece, 0, Math.min(piece.length, mainEnd - at), at);
      if (n === 0) return { ok: false, reason: 'is cut short' };
      crc = crc32(piece.subarray(0, n), crc);
      at += n;
    }
    if (crc >>> 0 !== prefix.readUInt32LE(16)) return { ok: false, reason: 'fails its CRC-32 check (damaged)' };
    const header = JSON.parse(head.toString('utf8')) as Header;
    if (header.key !== key) return { ok: false, reason: 'was written for other data or code (its key differs)' };
    return { ok: true, result: catalogOf({ fd }, header, bodyStart, size, log) };
  } catch (error) {
    return { ok: false, reason: `cannot be read (${(error as Error).message})` };
  }
}

/** Closes a cache file when nothing can read from it any more. */
const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/**
 * The lazy catalog over a checked cache file. `file` is shared by the functions that read from it: when
 * they are all gone, it is collected and the file closed.
 */
function catalogOf(file: { fd: number }, header: Header, bodyStart: number, size: number, log: CacheLog): BuildResult {
  closer.register(file, file.fd);
  const at = ([offset, length]: Section) => [bodyStart + offset, length] as const;
  const read = (section: Section): Buffer => {
    const [position, length] = at(section);
    const buffer = Buffer.alloc(length);
    readFully(file.fd, buffer, position);
    return buffer;
  };
  const postingBytes = read(header.postings);
  const postings = new Int32Array(postingBytes.buffer, postingBytes.byteOffset, postingBytes.length / 4);
  const index = {} as Catalog['index'];
  for (const [name, values] of Object.entries(header.index) as [keyof Catalog['index'], Header['index']['level']][]) {
    index[name] = new PostingsMap(postings, values);
  }
  const offsetBytes = read(header.offsets);
  const offsets = new Uint32Array(offsetBytes.buffer, offsetBytes.byteOffset, offsetBytes.length / 4);
  const [eventsAt] = at(header.events);
  const record = (pos: number): EventRecord & { file: string } => {
    const from = offsets[pos] as number;
    const buffer = Buffer.alloc((offsets[pos + 1] as number) - from);
    readFully(file.fd, buffer, eventsAt + from);
    return JSON.parse(buffer.toString('utf8')) as EventRecord & { file: string };
  };
  const storedSearch = (): StoredSearch | undefined => {
    const [start] = at(header.search.terms);
    const bytes = Buffer.alloc(size - start);
    readFully(file.fd, bytes, start);
    // Checked when first read (it is not part of the start-up check): a damaged one is reported and rebuilt.
    if (crc32(bytes) !== header.search.crc) {
      log('hotline: the search index in the catalog cache fails its CRC-32 check; building it from the events');
      return undefined;
    }
    const view = ([offset, length]: Section) =>
      bytes.subarray(bodyStart + offset - start, bodyStart + offset - start + length);
    const arrays = {} as Record<TextArrayName, Int32Array | Uint16Array | Float64Array>;
    for (const name of Object.keys(TEXT_ARRAYS) as TextArrayName[]) {
      const part = view(header.search.arrays[name]);
      const Type = TEXT_ARRAYS[name];
      // A view of the bytes read when aligned (sections start at multiples of 8 in the file), else a copy.
      const bytes =
        part.byteOffset % 8 === 0 ? part.buffer : part.buffer.slice(part.byteOffset, part.byteOffset + part.length);
      const offset = part.byteOffset % 8 === 0 ? part.byteOffset : 0;
      arrays[name] = new Type(bytes, offset, part.length / Type.BYTES_PER_ELEMENT);
    }
    return {
      text: {
        terms: JSON.parse(view(header.search.terms).toString('utf8')) as string[],
        start: arrays.start as Int32Array,
        postings: arrays.postings as Int32Array,
        frequency: arrays.frequency as Uint16Array,
        docsWith: arrays.docsWith as Int32Array,
        lengths: arrays.lengths as Uint16Array,
        meanLength: arrays.meanLength as Float64Array,
        boosts: header.search.boosts,
        docCount: header.search.docCount,
      },
    };
  };
  const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((item) => [item.id, item]));
  const catalog = lazyCatalog({
    // An empty catalog has no ids; ''.split gives one.
    ids: () => (header.ids[1] === 0 ? [] : read(header.ids).toString('utf8').split('\n')),
    starts: header.starts.flatMap(([day, count]) => new Array<string>(count).fill(day)) as Catalog['starts'],
    longestSpan: header.longestSpan,
    index,
    people: byId(header.people),
    mechanisms: byId(header.mechanisms),
    topics: byId(header.topics),
    coverage: header.coverage,
    record,
    storedSearch,
  });
  return { ok: true, catalog, warnings: header.warnings };
}

/**
 * An index read from the cache: the lists of positions by key, each made into an array when first got (a
 * query reads a few of them; start-up makes none).
 */
class PostingsMap implements ReadonlyMap<string, readonly number[]> {
  private readonly where = new Map<string, [from: number, count: number]>();
  private readonly made = new Map<string, number[]>();

  constructor(
    private readonly postings: Int32Array,
    values: readonly [value: string, from: number, count: number][],
  ) {
    for (const [value, from, count] of values) this.where.set(value, [from, count]);
  }

  get size(): number {
    return this.where.size;
  }

  get(key: string): readonly number[] | undefined {
    const known = this.made.get(key);
    if (known) return known;
    const at = this.where.get(key);
    if (!at) return undefined;
    const [from, count] = at;
    // A loop, not Array.from: several times faster over long lists.
    const list = new Array<number>(count);
    for (let i = 0; i < count; i++) list[i] = this.postings[from + i] as number;
    this.made.set(key, list);
    return list;
  }

  has(key: string): boolean {
    return this.where.has(key);
  }

  keys(): MapIterator<string> {
    return this.where.keys();
  }

  *values(): MapIterator<readonly number[]> {
    for (const key of this.where.keys()) yield this.get(key) as readonly number[];
  }

  *entries(): MapIterator<[string, readonly number[]]> {
    for (const key of this.where.keys()) yield [key, this.get(key) as readonly number[]];
  }

  forEach(visit: (value: readonly number[], key: string, map: ReadonlyMap<string, readonly number[]>) => void): void {
    for (const [key, list] of this.entries()) visit(list, key, this);
  }

  [Symbol.iterator](): MapIterator<[string, readonly number[]]> {
    return this.entries();
  }
}

/** Reads `buffer.length` bytes at `position`, or throws when the file ends first. */
function readFully(fd: number, buffer: Buffer, position: number): void {
  for (let done = 0; done < buffer.length; ) {
    const n = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (n === 0) throw new Error('the file ends early');
    done += n;
  }
}
