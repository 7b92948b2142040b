// The narrow interface each state backend implements: keyv stores per namespace, plus the atomic steps keyv lacks.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyvStoreAdapter } from 'keyv';

/** What `acquireLease` answers: whether the caller holds the lease now, and its fencing token. */
export interface LeaseResult {
  /** True when the caller holds the lease after this call (newly acquired or renewed). */
  held: boolean;
  /** The fencing token: bumped on every new acquisition, unchanged on renewal; 0 if never acquired. */
  token: number;
}

/** One store (embedded SQLite, Redis or PostgreSQL) behind the same small surface. */
export interface Backend {
  /** Which store this is, for messages and tests. */
  readonly kind: 'sqlite' | 'redis' | 'postgres';
  /**
   * A keyv store adapter for one namespace, the namespace keyv must be given (keyv hands it to the store),
   * and whether keyv prefixes keys itself (SQL stores) or leaves that to the store (Redis).
   */
  store(namespace: string): { store: KeyvStoreAdapter; namespace: string; useKeyPrefix: boolean };
  /** The key the store writes for `key` in `namespace`, so atomic writes land where keyv reads. */
  rawKey(namespace: string, key: string): string;
  /** Writes the already serialized value only if the raw key is absent; true if this call wrote it. */
  setIfAbsent(rawKey: string, serialized: string): Promise<boolean>;
  /** setIfAbsent for many keys in one round trip (one transaction, pipeline or statement); how many it wrote. */
  setManyIfAbsent(items: readonly (readonly [rawKey: string, serialized: string])[]): Promise<number>;
  /** Writes every item if none of the keys exists, else none, atomically (one transaction or script); true if it wrote. */
  setAllIfAbsent(items: readonly (readonly [rawKey: string, serialized: string])[]): Promise<boolean>;
  /** Acquires a free or expired lease, or renews it if `holder` already holds it, for `ttlMs`. */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseResult>;
  /** Releases the lease if `holder` holds it; true if it did. */
  releaseLease(name: string, holder: string): Promise<boolean>;
  /** Deletes every key and table of this scope. */
  destroy(): Promise<void>;
  /** Closes the store's connection or file. */
  close(): Promise<void>;
}

/** The bound on every state operation, in milliseconds (STATE_TIMEOUT_MS; docs/OPERATIONS.md). */
export const DEFAULT_STATE_TIMEOUT_MS = 5_000;

/** Scope names become SQL table names and Redis key prefixes, so they are kept to safe identifiers. */
export const SCOPE_PATTERN = /^[a-z_][a-z0-9_]{0,40}$/;

/** The embedded store's file when STATE_URL is not set, relative to the working directory. */
export const DEFAULT_STATE_FILE = '.hotline/state.db';

/** The file an embedded STATE_URL (`sqlite:path`, `sqlite://path`, `file:path`) points at. */
export function sqliteFile(url: string, cwd: string): string {
  if (url.startsWith('file:')) return url.startsWith('file://') ? fileURLToPath(url) : resolve(cwd, url.slice(5));
  const path = url.replace(/^sqlite:(\/\/)?/, '');
  if (path === '') return resolve(cwd, DEFAULT_STATE_FILE);
  return path === ':memory:' ? path : resolve(cwd, path);
}
