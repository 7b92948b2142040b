// PostgreSQL through @keyv/postgres on a pool this State owns, with SQL upserts on the database clock for the atomic steps.
import KeyvPostgres from '@keyv/postgres';
import type { KeyvStoreAdapter } from 'keyv';
import pg from 'pg';
import type { Backend, LeaseResult } from './backend.js';

/** SQLSTATEs of a transaction the server rolled back to let another go on: deadlock, serialization failure. */
const ROLLED_BACK = new Set(['40P01', '40001']);

/**
 * SQLSTATEs of a CREATE TABLE IF NOT EXISTS that lost a race with another's: unique_violation, duplicate_table,
 * duplicate_object.
 */
const CREATE_RACED = new Set(['23505', '42P07', '42710']);

/** The database clock in milliseconds. */
const NOW = '(floor(extract(epoch from clock_timestamp()) * 1000))::bigint';

/** The statements @keyv/postgres makes its table (and schema) with, as it is constructed. */
const OWN_CREATE = /^CREATE (?:UNLOGGED )?(?:TABLE|SCHEMA) IF NOT EXISTS /;

/**
 * @keyv/postgres keeps one pool per URL for the whole process and `disconnect()` ends it for every
 * instance; overriding its `connect()` gives each State its own pool, closed only by that State.
 *
 * Each namespace's store also runs its own `CREATE TABLE IF NOT EXISTS` as it is constructed, all of them at
 * once, which made the pool open a connection for each (ten per State; a connection costs the server far more
 * than a query). openPostgres has created the table already, so those statements are answered here.
 */
class OwnPoolPostgres extends KeyvPostgres {
  override async connect(): Promise<(sql: string, values?: unknown) => Promise<unknown[]>> {
    const pool = (this.opts as { pool: pg.Pool }).pool;
    return async (sql, values) => (OWN_CREATE.test(sql) ? [] : (await pool.query(sql, values as unknown[])).rows);
  }

  override async disconnect(): Promise<void> {}
}

/** Connects to `url`, creates the tables of `scope` if needed, and returns the backend. */
export async function openPostgres(url: string, scope: string): Promise<Backend> {
  // keepAlive notices a silent connection; query_timeout ends a query the server never answers (the caller
  // has been told the store is not answering by then, and the query must not complete later).
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: 3000,
    max: 10,
    keepAlive: true,
    query_timeout: 10_000,
  });
  pool.on('error', () => {}); // an idle client dropped by the server; the next query reconnects
  const leases = `${scope}_leases`;
  let schema: string;
  // CREATE TABLE IF NOT EXISTS run at once by several sessions (instances' first start on a new scope) fails in all
  // but one, on the catalog's unique index or "already exists": tried again, it finds the table there.
  const create = async (sql: string) => {
    for (let tries = 1; ; tries++) {
      try {
        return await pool.query(sql);
      } catch (error) {
        if (tries >= 3 || !CREATE_RACED.has((error as { code?: string }).code ?? '')) throw error;
      }
    }
  };
  try {
    await create(`CREATE TABLE IF NOT EXISTS ${scope} (key VARCHAR(255) PRIMARY KEY, value TEXT)`);
    await create(
      `CREATE TABLE IF NOT EXISTS ${leases} (name TEXT PRIMARY KEY, holder TEXT, token BIGINT NOT NULL, expires_at BIGINT NOT NULL)`,
    );
    // Where the table went (the search_path's first schema): @keyv/postgres names its table `<schema>.<scope>`,
    // `public` unless told, and its own CREATE TABLE no longer runs to make one there.
    schema = (await pool.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]?.schema ?? 'public';
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  const q = async <T>(sql: string, values: unknown[]): Promise<T[]> => (await pool.query(sql, values)).rows as T[];

  return {
    kind: 'postgres',
    store: (namespace) => {
      // 1,000 rows a query when iterating, not @keyv/postgres's 10 (each query scans the table).
      const store = new OwnPoolPostgres({
        uri: url,
        table: scope,
        schema,
        pool,
        iterationLimit: 1000,
      } as ConstructorParameters<typeof KeyvPostgres>[0]);
      return { store: store as unknown as KeyvStoreAdapter, namespace, useKeyPrefix: true };
    },
    rawKey: (namespace, key) => `${namespace}:${key}`,
    setIfAbsent: async (rawKey, serialized) =>
      (
        await q(`INSERT INTO ${scope} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`, [
          rawKey,
          serialized,
        ])
      ).length === 1,
    setManyIfAbsent: async (items) =>
      items.length === 0
        ? 0
        : (
            await q(
              `INSERT INTO ${scope} (key, value) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (key) DO NOTHING RETURNING key`,
              [items.map(([key]) => key), items.map(([, value]) => value)],
            )
          ).length,
    setAllIfAbsent: async (items) => {
      if (items.length === 0) return true;
      // One transaction: rolled back unless every row was inserted. A concurrent insert of the same key waits for
      // this one's commit or rollback, so two callers never both write. Rows go in key order, so two callers whose
      // keys overlap take their locks in the same order; should the server still pick this one to break a
      // deadlock, it rolled it back: nothing was written, as when a key was there.
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const written = await client.query(
          `INSERT INTO ${scope} (key, value) SELECT key, value FROM unnest($1::text[], $2::text[]) AS t(key, value) ORDER BY key ON CONFLICT (key) DO NOTHING`,
          [items.map(([key]) => key), items.map(([, value]) => value)],
        );
        const all = written.rowCount === items.length;
        await client.query(all ? 'COMMIT' : 'ROLLBACK');
        return all;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        if (ROLLED_BACK.has((error as { code?: string }).code ?? '')) return false;
        broken = error;
        throw error;
      } finally {
        // A client whose query failed (timed out, connection lost) is dropped, not handed back mid-transaction.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    acquireLease: async (name, holder, ttlMs): Promise<LeaseResult> => {
      const won = await q<{ token: string }>(
        `INSERT INTO ${leases} AS l (name, holder, token, expires_at) VALUES ($1, $2, 1, ${NOW} + $3::bigint)
         ON CONFLICT (name) DO UPDATE SET
           token = CASE WHEN l.holder = excluded.holder AND l.expires_at > ${NOW} THEN l.token ELSE l.token + 1 END,
           holder = excluded.holder,
           expires_at = excluded.expires_at
         WHERE l.holder = excluded.holder OR l.holder IS NULL OR l.expires_at <= ${NOW}
         RETURNING token`,
        [name, holder, Math.round(ttlMs)],
      );
      if (won[0]) return { held: true, token: Number(won[0].token) };
      const row = await q<{ token: string }>(`SELECT token FROM ${leases} WHERE name = $1`, [name]);
      return { held: false, token: Number(row[0]?.token ?? 0) };
    },
    releaseLease: async (name, holder) =>
      (
        await q(`UPDATE ${leases} SET holder = NULL, expires_at = 0 WHERE name = $1 AND holder = $2 RETURNING name`, [
          name,
          holder,
        ])
      ).length > 0,
    destroy: async () => {
      await pool.query(`DROP TABLE IF EXISTS ${scope}; DROP TABLE IF EXISTS ${leases}`);
    },
    close: async () => {
      await pool.end();
    },
  };
}
