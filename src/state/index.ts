// Durable state: keyv namespaces opened from STATE_URL, plus the two atomic steps (setIfAbsent, leases) keyv lacks.
import { resolve } from 'node:path';
import Keyv from 'keyv';
import { StoreUnavailable } from '../core/errors.js';
import { maskUrlPasswords, urlPassword } from '../secrets.js';
import {
  type Backend,
  DEFAULT_STATE_FILE,
  DEFAULT_STATE_TIMEOUT_MS,
  type LeaseResult,
  SCOPE_PATTERN,
  sqliteFile,
} from './backend.js';

export type { LeaseResult } from './backend.js';

/** A value that survives the JSON round trip every store applies (a Date comes back as an ISO string). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The namespaces and the type of value each holds; the jobs that fill them narrow these types. */
export interface StateSchema {
  /** Runtime events: the event log with sequence numbers. */
  events: JsonValue;
  /** Channel subscriptions with their filters and health. */
  subscriptions: JsonValue;
  /** Digest schedules. */
  schedules: JsonValue;
  /** Outbox entries, keyed by (subscription, event, revision): the idempotency key. Deleted once delivered. */
  outbox: JsonValue;
  /** Notices delivered, by (subscription, event): the revision posted and the platform's message id. */
  notices: JsonValue;
  /** Job cursors into the event log. */
  cursors: JsonValue;
  /** Information about leases (who ran what, when); ownership itself is `acquireLease`. */
  leases: JsonValue;
  /** Signatures of Slack requests already answered, with when each may be forgotten. */
  replays: JsonValue;
  /** The feed watcher's memory: items seen, each source's validators (ETag, Last-Modified), health and backoff. */
  feeds: JsonValue;
  /** Drafts of events proposed from feed items, waiting for an editor (src/drafts/book.ts). */
  drafts: JsonValue;
}

/** The name of a namespace. */
export type NamespaceName = keyof StateSchema;

/** Every namespace, in a fixed order. */
export const NAMESPACES: readonly NamespaceName[] = [
  'events',
  'subscriptions',
  'schedules',
  'outbox',
  'notices',
  'cursors',
  'leases',
  'replays',
  'feeds',
  'drafts',
];

/** One namespace: get, set, delete and iterate values of type T (stored as JSON). */
export interface Namespace<T> {
  /** The value at `key`, or undefined. */
  get(key: string): Promise<T | undefined>;
  /** Stores `value` at `key`, with an optional time to live. */
  set(key: string, value: T, ttlMs?: number): Promise<void>;
  /** Stores every [key, value] of `entries`, in one round trip. */
  setMany(entries: readonly (readonly [key: string, value: T])[]): Promise<void>;
  /** The values at `keys`, in their order (undefined where absent), in one round trip. */
  getMany(keys: readonly string[]): Promise<(T | undefined)[]>;
  /** Deletes `key`; true if it existed. */
  delete(key: string): Promise<boolean>;
  /** Every [key, value] of this namespace, in key order on SQL stores and in no particular order on Redis. */
  entries(): AsyncGenerator<[string, T]>;
}

/** The opened state: typed namespaces, the atomic steps, and close. */
export type State = { [N in NamespaceName]: Namespace<StateSchema[N]> } & {
  /** Which store is behind this State. */
  readonly kind: Backend['kind'];
  /** Writes `value` at `key` only if the key is absent, atomically; true if this call wrote it. */
  setIfAbsent<N extends NamespaceName>(namespace: N, key: string, value: StateSchema[N]): Promise<boolean>;
  /** setIfAbsent for many keys in one round trip; each key is written only if absent. How many were written. */
  setManyIfAbsent<N extends NamespaceName>(
    namespace: N,
    entries: readonly (readonly [key: string, value: StateSchema[N]])[],
  ): Promise<number>;
  /** Writes every entry if none of the keys exists, else none, atomically; true if it wrote them. */
  setAllIfAbsent<N extends NamespaceName>(
    namespace: N,
    entries: readonly (readonly [key: string, value: StateSchema[N]])[],
  ): Promise<boolean>;
  /**
   * Acquires the lease `name` for `holder` if it is free, expired or already held by `holder` (then it is
   * renewed) for `ttlMs`. A new acquisition bumps the fencing token; a renewal keeps it.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseResult>;
  /** Releases the lease if `holder` holds it; true if it did. */
  releaseLease(name: string, holder: string): Promise<boolean>;
  /** Deletes everything this State's scope stored (tables or keys). For tests and resetting a store. */
  destroy(): Promise<void>;
  /** Closes the connection or file. */
  close(): Promise<void>;
};

/** Options for `openState`. */
export interface StateOptions {
  /** SQL table name and Redis key prefix, so separate runs or apps can share one server. Default `hotline`. */
  scope?: string;
  /** Where a relative embedded store path is resolved, and the default file lives. Default the working directory. */
  cwd?: string;
  /** The bound on each operation (default DEFAULT_STATE_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Told, once per outage, when an operation fails or times out, and when the store answers again. */
  onFault?: (message: string, recovered: boolean) => void;
}

/** Removes the password of a URL (`redis://:pw@…`, `postgres://user:pw@…`) before it goes into a message. */
export function redact(url: string): string {
  return maskUrlPasswords(url, '***');
}

/** `text` with every copy of the password in `url` (as written or decoded) replaced by ***. */
export function withoutSecret(text: string, url: string | undefined): string {
  const password = url === undefined ? undefined : urlPassword(url);
  // A very short password would blank out ordinary letters; such URLs are redacted where they appear.
  if (!password || password.length < 4) return text;
  let out = text.split(password).join('***');
  try {
    const decoded = decodeURIComponent(password);
    if (decoded.length >= 4) out = out.split(decoded).join('***');
  } catch {
    // a password that is not valid percent-encoding is only replaced as written
  }
  return out;
}

/** Opens the backend a STATE_URL names, or throws an Error naming STATE_URL. */
async function openBackend(url: string | undefined, scope: string, cwd: string): Promise<Backend> {
  const value = url?.trim() || undefined;
  const scheme = value?.match(/^([a-z][a-z0-9+.-]*):/i)?.[1]?.toLowerCase();
  try {
    // Each store's driver is loaded only when that store is used.
    if (value === undefined) return (await import('./sqlite.js')).openSqlite(resolve(cwd, DEFAULT_STATE_FILE), scope);
    if (scheme === 'sqlite' || scheme === 'file')
      return (await import('./sqlite.js')).openSqlite(sqliteFile(value, cwd), scope);
    if (scheme === 'redis' || scheme === 'rediss') return await (await import('./redis.js')).openRedis(value, scope);
    if (scheme === 'postgres' || scheme === 'postgresql')
      return await (await import('./postgres.js')).openPostgres(value, scope);
  } catch (error) {
    const reason = withoutSecret(error instanceof Error ? error.message || error.name : String(error), value);
    throw new Error(`STATE_URL ${redact(value ?? DEFAULT_STATE_FILE)}: cannot open the store: ${reason}`);
  }
  throw new Error(
    `STATE_URL ${redact(value)}: unsupported scheme ${scheme ? `"${scheme}:"` : '(none)'}; use sqlite:PATH, file:PATH, redis://… or postgres://…`,
  );
}

/** After a failure, how long operations fail at once before the store is tried again. */
const BREAK_MS = 2_000;

/**
 * Runs one store operation with a time limit. A store that does not answer in time, or fails, becomes
 * StoreUnavailable (its message names the store and the operation, never a password), and is logged once
 * per outage through `onFault`.
 */
type Guard = <T>(what: string, operation: () => Promise<T>) => Promise<T>;

function guard(kind: string, url: string | undefined, timeoutMs: number, onFault: (message: string) => void): Guard {
  return async (what, operation) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        operation(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new StoreUnavailable(`${kind}: ${what} took over ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } catch (error) {
      const fault =
        error instanceof StoreUnavailable
          ? error
          : new StoreUnavailable(
              `${kind}: ${what}: ${withoutSecret(error instanceof Error ? error.message : String(error), url)}`,
            );
      onFault(fault.detail);
      throw fault;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Wraps one keyv instance as a typed namespace whose every operation is bounded by `bounded`. */
function namespace<T>(keyv: Keyv, bounded: Guard): Namespace<T> {
  const name = keyv.namespace ?? 'state';
  return {
    get: (key) => bounded(`get ${name}`, async () => (await keyv.get(key)) as T | undefined),
    getMany: (keys) =>
      bounded(`getMany ${name}`, async () =>
        keys.length === 0 ? [] : ((await keyv.getMany([...keys])) as (T | undefined)[]),
      ),
    set: (key, value, ttlMs) =>
      bounded(`set ${name}`, async () => {
        await keyv.set(key, value, ttlMs);
      }),
    setMany: (entries) =>
      bounded(`setMany ${name}`, async () => {
        if (entries.length > 0) await keyv.setMany(entries.map(([key, value]) => ({ key, value })));
      }),
    delete: (key) => bounded(`delete ${name}`, () => keyv.delete(key)),
    entries: async function* () {
      if (!keyv.iterator) throw new Error(`state: the ${name} namespace cannot be iterated on this store`);
      // @keyv/postgres's iterator ends quietly when a query fails (it only emits 'error'): a listing cut short
      // by an outage would read as a complete one (the notifier once took "no subscriptions" from it and
      // skipped an event). An error heard while iterating fails the listing instead.
      let failed: unknown;
      const heard = (error: unknown) => {
        failed ??= error;
      };
      keyv.on('error', heard);
      try {
        const iterator = (keyv.iterator(undefined) as AsyncGenerator<[string, T]>)[Symbol.asyncIterator]();
        for (;;) {
          const next = await bounded(`read ${name}`, async () => {
            const step = await iterator.next();
            if (failed !== undefined) throw failed;
            return step;
          });
          if (next.done) return;
          yield next.value;
        }
      } finally {
        keyv.off('error', heard);
      }
    },
  };
}

/**
 * Opens the state named by STATE_URL: nothing, `sqlite:PATH` or `file:PATH` for the embedded SQLite file
 * (default `.hotline/state.db`), `redis://…` for Redis, `postgres://…` for PostgreSQL.
 * A wrong scheme or an unreachable store throws an Error naming STATE_URL.
 */
export async function openState(url: string | undefined, options: StateOptions = {}): Promise<State> {
  const scope = options.scope ?? 'hotline';
  if (!SCOPE_PATTERN.test(scope)) throw new Error(`state: scope "${scope}" must match ${SCOPE_PATTERN}`);
  const backend = await openBackend(url, scope, options.cwd ?? process.cwd());
  // One log line when the store stops answering and one when it is back, not one per operation. While it
  // is down, operations fail at once for BREAK_MS instead of each waiting out the timeout (a locked SQLite
  // file would otherwise stop the whole process for a second per operation); then one is tried again.
  let down = false;
  let retryAt = 0;
  const raw = guard(backend.kind, url, options.timeoutMs ?? DEFAULT_STATE_TIMEOUT_MS, (message) => {
    retryAt = Date.now() + BREAK_MS;
    if (down) return;
    down = true;
    options.onFault?.(message, false);
  });
  const bounded: Guard = async (what, operation) => {
    if (down && Date.now() < retryAt)
      throw new StoreUnavailable(`${backend.kind}: ${what}: waiting before trying again`);
    const value = await raw(what, operation);
    if (down) {
      down = false;
      options.onFault?.(`${backend.kind}: answering again`, true);
    }
    return value;
  };
  const keyvs = new Map<NamespaceName, Keyv>();
  for (const name of NAMESPACES) {
    const { store, namespace, useKeyPrefix } = backend.store(name);
    const keyv = new Keyv({ store, namespace, useKeyPrefix, throwOnErrors: true });
    keyv.on('error', () => {}); // throwOnErrors already rejects the call; this keeps the event from crashing
    keyvs.set(name, keyv);
  }
  const keyvOf = (name: NamespaceName): Keyv => {
    const keyv = keyvs.get(name);
    if (!keyv) throw new Error(`state: unknown namespace "${name}"`);
    return keyv;
  };
  /** Entries as the store's raw keys and keyv's serialized values, so atomic writes land where keyv reads. */
  const rawItems = async (
    name: NamespaceName,
    entries: readonly (readonly [string, JsonValue])[],
  ): Promise<[string, string][]> => {
    const keyv = keyvOf(name);
    const items: [string, string][] = [];
    for (const [key, value] of entries) {
      const serialized = await keyv.serialize?.({ value, expires: undefined });
      if (typeof serialized !== 'string') throw new Error('state: keyv serializer returned no text');
      items.push([backend.rawKey(name, key), serialized]);
    }
    return items;
  };
  let closed = false;
  return {
    kind: backend.kind,
    events: namespace(keyvOf('events'), bounded),
    subscriptions: namespace(keyvOf('subscriptions'), bounded),
    schedules: namespace(keyvOf('schedules'), bounded),
    outbox: namespace(keyvOf('outbox'), bounded),
    notices: namespace(keyvOf('notices'), bounded),
    cursors: namespace(keyvOf('cursors'), bounded),
    leases: namespace(keyvOf('leases'), bounded),
    replays: namespace(keyvOf('replays'), bounded),
    feeds: namespace(keyvOf('feeds'), bounded),
    drafts: namespace(keyvOf('drafts'), bounded),
    setIfAbsent: async (name, key, value) => {
      const keyv = keyvOf(name);
      const serialized = await keyv.serialize?.({ value, expires: undefined });
      if (typeof serialized !== 'string') throw new Error('state: keyv serializer returned no text');
      return bounded(`setIfAbsent ${name}`, () => backend.setIfAbsent(backend.rawKey(name, key), serialized));
    },
    setManyIfAbsent: async (name, entries) => {
      const items = await rawItems(name, entries);
      return bounded(`setManyIfAbsent ${name}`, () => backend.setManyIfAbsent(items));
    },
    setAllIfAbsent: async (name, entries) => {
      // A key given twice would be "present" on the SQL stores and written twice by Redis's script: refused alike.
      const keys = new Set<string>();
      for (const [key] of entries) {
        if (keys.has(key)) throw new Error(`state: setAllIfAbsent was given the key "${key}" twice`);
        keys.add(key);
      }
      const items = await rawItems(name, entries);
      return bounded(`setAllIfAbsent ${name}`, () => backend.setAllIfAbsent(items));
    },
    acquireLease: (name, holder, ttlMs) => bounded('acquireLease', () => backend.acquireLease(name, holder, ttlMs)),
    releaseLease: (name, holder) => bounded('releaseLease', () => backend.releaseLease(name, holder)),
    destroy: () => backend.destroy(),
    close: async () => {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
}
