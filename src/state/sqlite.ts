// The embedded store: an SQLite file through libsql, with @keyv/sqlite's table layout and SQL upserts for the atomic steps.
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyvStoreAdapter, StoredData } from 'keyv';
import Database from 'libsql';
import type { Backend, LeaseResult } from './backend.js';

/** The database clock in milliseconds; SQLite keeps 'now' fixed within one statement. */
const NOW = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

interface Row {
  key: string;
  value: string;
}

/** Writes a key's value, replacing any. */
const upsertSql = (table: string) =>
  `INSERT INTO ${table} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`;

/** Escapes LIKE wildcards so a namespace matches only itself. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One prepared statement per SQL text, reused: libsql keeps the native memory of every statement
 * prepared, so preparing one per call grew the process by about 3 KB an operation (issue 17).
 */
function statements(db: Database.Database): (sql: string) => Database.Statement {
  const prepared = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      prepared.set(sql, statement);
    }
    return statement;
  };
}

/** A keyv store adapter for one namespace over a shared libsql connection (keys are `namespace:key`). */
class LibsqlStore extends EventEmitter {
  /** keyv reads `dialect` to know the store can iterate. */
  readonly opts = { dialect: 'sqlite', url: 'sqlite' };
  namespace?: string | undefined;
  private readonly db: { prepare: (sql: string) => Database.Statement };

  constructor(
    prepare: (sql: string) => Database.Statement,
    private readonly table: string,
    private readonly writeMany: (entries: readonly { key: string; value: string }[]) => void,
  ) {
    super();
    this.db = { prepare };
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const row = this.db.prepare(`SELECT value FROM ${this.table} WHERE key = ?`).get(key) as Row | undefined;
    return row?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: string): Promise<void> {
    this.db.prepare(upsertSql(this.table)).run(key, value);
  }

  /** Many writes in one transaction (one commit, not one each). */
  async setMany(entries: { key: string; value: string }[]): Promise<void> {
    this.writeMany(entries);
  }

  /** Many keys in one statement (one SQL text whatever their number, so one prepared statement). */
  async getMany<Value>(keys: string[]): Promise<(StoredData<Value> | undefined)[]> {
    const rows = this.db
      .prepare(`SELECT key, value FROM ${this.table} WHERE key IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(keys)) as Row[];
    const found = new Map(rows.map((row) => [row.key, row.value]));
    return keys.map((key) => found.get(key) as StoredData<Value> | undefined);
  }

  async delete(key: string): Promise<boolean> {
    return this.db.prepare(`DELETE FROM ${this.table} WHERE key = ?`).run(key).changes > 0;
  }

  async clear(): Promise<void> {
    const prefix = this.namespace ? `${this.namespace}:` : '';
    this.db.prepare(`DELETE FROM ${this.table} WHERE key LIKE ? ESCAPE '\\'`).run(likePrefix(prefix));
  }

  async has(key: string): Promise<boolean> {
    return this.db.prepare(`SELECT 1 FROM ${this.table} WHERE key = ?`).get(key) !== undefined;
  }

  async *iterator(namespace?: string): AsyncGenerator<Array<string | undefined>, void> {
    const prefix = namespace ? `${namespace}:` : '';
    const rows = this.db
      .prepare(`SELECT key, value FROM ${this.table} WHERE key LIKE ? ESCAPE '\\' ORDER BY key`)
      .all(likePrefix(prefix)) as Row[];
    for (const row of rows) yield [row.key, row.value];
  }
}

/** How long one SQLite call waits for another connection's lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 1_000;

/** Opens (creating if needed) the SQLite file at `file` with WAL, and the tables of `scope`. */
export function openSqlite(file: string, scope: string): Backend {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed process loses nothing
  // committed; a power cut may lose the last commits, all together (docs/DECISIONS.md).
  db.pragma('synchronous = NORMAL');
  // libsql calls are synchronous: while SQLite waits for another process's lock, the whole bot waits.
  // One second covers the short writes of another instance or `hotline ingest`; a longer lock becomes
  // "the state store is not answering" instead of a frozen bot (docs/OPERATIONS.md).
  db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  const leases = `${scope}_leases`;
  db.exec(`CREATE TABLE IF NOT EXISTS ${scope} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${leases} (name TEXT PRIMARY KEY, holder TEXT, token INTEGER NOT NULL, expires_at INTEGER NOT NULL)`,
  );
  const prepare = statements(db);
  const insertIfAbsent = db.prepare(`INSERT INTO ${scope} (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING`);
  const acquire = db.prepare(
    `INSERT INTO ${leases} (name, holder, token, expires_at) VALUES (?1, ?2, 1, ${NOW} + ?3)
     ON CONFLICT(name) DO UPDATE SET
       token = CASE WHEN holder = excluded.holder AND expires_at > ${NOW} THEN token ELSE token + 1 END,
       holder = excluded.holder,
       expires_at = excluded.expires_at
     WHERE holder = excluded.holder OR holder IS NULL OR expires_at <= ${NOW}
     RETURNING token`,
  );
  const insertManyIfAbsent = db.transaction((items: readonly (readonly [string, string])[]) => {
    let written = 0;
    for (const [key, value] of items) written += insertIfAbsent.run(key, value).changes;
    return written;
  });
  // Every key or none: a key found present rolls the whole transaction back. IMMEDIATE takes the write lock
  // at BEGIN, so the check and the writes see no other connection's write in between.
  const present = Symbol('present');
  const insertAllIfAbsent = db.transaction((items: readonly (readonly [string, string])[]) => {
    for (const [key, value] of items) if (insertIfAbsent.run(key, value).changes === 0) throw present;
  }).immediate;
  const upsert = prepare(upsertSql(scope));
  const upsertMany = db.transaction((entries: readonly { key: string; value: string }[]) => {
    for (const { key, value } of entries) upsert.run(key, value);
  });
  const currentToken = db.prepare(`SELECT token FROM ${leases} WHERE name = ?`);
  const release = db.prepare(`UPDATE ${leases} SET holder = NULL, expires_at = 0 WHERE name = ? AND holder = ?`);

  return {
    kind: 'sqlite',
    store: (namespace) => ({
      store: new LibsqlStore(prepare, scope, upsertMany) as unknown as KeyvStoreAdapter,
      namespace,
      useKeyPrefix: true,
    }),
    rawKey: (namespace, key) => `${namespace}:${key}`,
    setIfAbsent: async (rawKey, serialized) => insertIfAbsent.run(rawKey, serialized).changes === 1,
    setManyIfAbsent: async (items) => (items.length === 0 ? 0 : (insertManyIfAbsent(items) as number)),
    setAllIfAbsent: async (items) => {
      try {
        if (items.length > 0) insertAllIfAbsent(items);
        return true;
      } catch (error) {
        if (error === present) return false;
        throw error;
      }
    },
    acquireLease: async (name, holder, ttlMs): Promise<LeaseResult> => {
      const won = acquire.get(name, holder, Math.round(ttlMs)) as { token: number } | undefined;
      if (won) return { held: true, token: Number(won.token) };
      const row = currentToken.get(name) as { token: number } | undefined;
      return { held: false, token: Number(row?.token ?? 0) };
    },
    releaseLease: async (name, holder) => release.run(name, holder).changes > 0,
    destroy: async () => {
      db.exec(`DROP TABLE IF EXISTS ${scope}; DROP TABLE IF EXISTS ${leases}`);
    },
    close: async () => {
      db.close();
    },
  };
}
