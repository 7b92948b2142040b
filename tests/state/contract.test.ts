// One contract for every state backend: embedded SQLite, Redis and PostgreSQL, each run in its own scope.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NAMESPACES, openState, type State } from '../../src/state/index.js';
import { type Backend, backends, newScope, reachableOrSkipped } from '../fakes/backends.js';

const tmp = mkdtempSync(join(tmpdir(), 'hotline-state-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const all = await backends(tmp);

describe.each(all)('state contract: $name', (backend) => {
  const { url } = backend;
  // In CI a missing server is a failure; locally it is a visible skip with the reason.
  const { skip, reason } = reachableOrSkipped(backend);

  let state: State;
  let scope: string;
  beforeEach(async () => {
    if (skip) return;
    scope = newScope('t');
    state = await openState(url, { scope });
  });
  afterEach(async () => {
    if (skip) return;
    await state.destroy();
    await state.close();
  });

  it.skipIf(skip)(`round-trips get/set/delete in every namespace; Dates come back as strings${reason}`, async () => {
    for (const ns of NAMESPACES) {
      expect(await state[ns].get('a')).toBeUndefined();
      await state[ns].set('a', { ns, n: 1, list: [1, 'x'], at: new Date('2024-04-16T00:00:00Z') as never });
      // JSON all the way down: a Date is stored as its ISO string.
      expect(await state[ns].get('a')).toEqual({ ns, n: 1, list: [1, 'x'], at: '2024-04-16T00:00:00.000Z' });
      await state[ns].set('b', 2);
    }
    expect(await state.events.get('b')).toBe(2);
    const entries: [string, unknown][] = [];
    for await (const entry of state.outbox.entries()) entries.push(entry);
    expect(entries.sort()).toEqual([
      ['a', { ns: 'outbox', n: 1, list: [1, 'x'], at: '2024-04-16T00:00:00.000Z' }],
      ['b', 2],
    ]);
    expect(await state.cursors.delete('a')).toBe(true);
    expect(await state.cursors.delete('a')).toBe(false);
    expect(await state.cursors.get('a')).toBeUndefined();
    expect(await state.leases.get('a')).toEqual(expect.objectContaining({ ns: 'leases' }));
    // Another scope on the same store sees none of it.
    const other = await openState(url, { scope: `${scope}_other` });
    expect(await other.events.get('b')).toBeUndefined();
    expect(await other.setIfAbsent('outbox', 'a', 1)).toBe(true);
    await other.destroy();
    await other.close();
  });

  it.skipIf(skip)(
    `opens and lists concurrently without a process warning (no listener piling up)${reason}`,
    async () => {
      const warnings: string[] = [];
      const heard = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
      process.on('warning', heard);
      try {
        const other = await openState(url, { scope: `${scope}_warn` });
        await other.subscriptions.set('a', 1);
        const listings = Array.from({ length: 20 }, async () => {
          const seen: string[] = [];
          for await (const [key] of other.subscriptions.entries()) seen.push(key);
          return seen;
        });
        expect(await Promise.all(listings)).toEqual(Array.from({ length: 20 }, () => ['a']));
        await other.destroy();
        await other.close();
        await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      } finally {
        process.off('warning', heard);
      }
      expect(warnings).toEqual([]);
    },
  );

  it.skipIf(skip)(`entries() skips keys another connection deletes while it iterates${reason}`, async () => {
    const keys = Array.from({ length: 600 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    for (const key of keys) await state.outbox.set(key, 1);
    const other = await openState(url, { scope });
    // Another connection deletes every key, in an order unrelated to the store's, while we iterate.
    const deleting = (async () => {
      for (let i = 0; i < keys.length; i++) await other.outbox.delete(keys[(i * 7919) % keys.length] as string);
    })();
    const seen: string[] = [];
    for await (const [key] of state.outbox.entries()) seen.push(key);
    await deleting;
    await other.close();
    // Nothing throws (on Redis a key deleted between SCAN and its read used to), and nothing is invented.
    expect(seen.every((key) => keys.includes(key))).toBe(true);
  });

  it.skipIf(skip)(`setIfAbsent writes once, and keyv reads what it wrote${reason}`, async () => {
    expect(await state.setIfAbsent('outbox', 'sub1:ev1', { status: 'pending' })).toBe(true);
    expect(await state.setIfAbsent('outbox', 'sub1:ev1', { status: 'other' })).toBe(false);
    expect(await state.outbox.get('sub1:ev1')).toEqual({ status: 'pending' });
    expect(await state.events.get('sub1:ev1')).toBeUndefined();
  });

  it.skipIf(skip)(
    `setManyIfAbsent writes only the absent keys, in one call; getMany reads in order${reason}`,
    async () => {
      expect(await state.setIfAbsent('outbox', 'k2', { n: 'first' })).toBe(true);
      const entries = Array.from({ length: 1_500 }, (_, i) => [`k${i}`, { n: i }] as const);
      expect(await state.setManyIfAbsent('outbox', entries)).toBe(1_499); // k2 was there
      expect(await state.setManyIfAbsent('outbox', entries)).toBe(0);
      expect(await state.setManyIfAbsent('outbox', [])).toBe(0);
      expect(await state.outbox.get('k2')).toEqual({ n: 'first' });
      expect(await state.outbox.getMany(['k1499', 'missing', 'k2', 'k0'])).toEqual([
        { n: 1499 },
        undefined,
        { n: 'first' },
        { n: 0 },
      ]);
      expect(await state.outbox.getMany([])).toEqual([]);
      expect(await state.events.getMany(['k0'])).toEqual([undefined]); // namespaces stay apart
      // Keys with quotes and SQL wildcards are keys like any other.
      expect(await state.setManyIfAbsent('outbox', [["it's|50%_x", 1]])).toBe(1);
      expect(await state.outbox.getMany(["it's|50%_x"])).toEqual([1]);
    },
  );

  it.skipIf(skip)(`setAllIfAbsent writes every key or none; setMany writes many${reason}`, async () => {
    const entries = Array.from({ length: 1_000 }, (_, i) => [`k${i}`, { n: i }] as const);
    expect(await state.setIfAbsent('events', 'k999', { n: 'first' })).toBe(true);
    expect(await state.setAllIfAbsent('events', entries)).toBe(false); // k999 was there: nothing written
    expect(await state.events.getMany(['k0', 'k500', 'k999'])).toEqual([undefined, undefined, { n: 'first' }]);
    expect(await state.setAllIfAbsent('events', entries.slice(0, 999))).toBe(true);
    expect(await state.events.getMany(['k0', 'k500', 'k998', 'k999'])).toEqual([
      { n: 0 },
      { n: 500 },
      { n: 998 },
      { n: 'first' },
    ]);
    expect(await state.setAllIfAbsent('events', [])).toBe(true);
    expect(await state.outbox.get('k0')).toBeUndefined(); // namespaces stay apart
    // setMany overwrites, and keyv reads what it wrote.
    await state.events.setMany([
      ['k0', { n: 'again' }],
      ['new', [1, 2]],
    ]);
    await state.events.setMany([]);
    expect(await state.events.getMany(['k0', 'new', 'k1'])).toEqual([{ n: 'again' }, [1, 2], { n: 1 }]);
  });

  it.skipIf(skip)(`parallel setAllIfAbsent calls over overlapping keys: one wins, whole${reason}`, async () => {
    // Ten writers, each claiming keys 0..49 plus one of its own: exactly one writes, and all of its keys.
    const other = await openState(url, { scope });
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, w) =>
          (w % 2 === 0 ? state : other).setAllIfAbsent('outbox', [
            ...Array.from({ length: 50 }, (_, i) => [`shared${i}`, { w }] as const),
            [`own${w}`, { w }] as const,
          ]),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      const shared = await state.outbox.getMany(Array.from({ length: 50 }, (_, i) => `shared${i}`));
      expect(shared.every((value) => JSON.stringify(value) === JSON.stringify({ w: winner }))).toBe(true);
      expect(await state.outbox.getMany(Array.from({ length: 10 }, (_, w) => `own${w}`))).toEqual(
        Array.from({ length: 10 }, (_, w) => (w === winner ? { w } : undefined)),
      );
    } finally {
      await other.close();
    }
  });

  it.skipIf(skip)(
    `setAllIfAbsent from two connections whose keys overlap in crossing orders: one writes, neither fails${reason}`,
    async () => {
      // Two instances at a rolling deploy: A's batch holds rev:n, seq:101 … rev:m; B's rev:m … seq:101. On
      // PostgreSQL each held one row the other wanted, and the server broke the deadlock by failing one.
      const other = await openState(url, { scope });
      try {
        for (let round = 0; round < 3; round++) {
          const filler = (p: string) => Array.from({ length: 2_000 }, (_, i) => [`${p}${round}:${i}`, { i }] as const);
          const first = [
            [`rev:n${round}`, 1] as const,
            [`seq:${round}`, 1] as const,
            ...filler('a'),
            [`rev:m${round}`, 1] as const,
          ];
          const second = [[`rev:m${round}`, 2] as const, ...filler('b'), [`seq:${round}`, 2] as const];
          const results = await Promise.all([
            state.setAllIfAbsent('events', first),
            other.setAllIfAbsent('events', second),
          ]);
          expect(results.sort()).toEqual([false, true]);
        }
      } finally {
        await other.close();
      }
    },
  );

  it.skipIf(skip)(`setAllIfAbsent refuses a key given twice, on every store alike${reason}`, async () => {
    await expect(
      state.setAllIfAbsent('events', [
        ['k', 1],
        ['j', 1],
        ['k', 2],
      ]),
    ).rejects.toThrow('state: setAllIfAbsent was given the key "k" twice');
    expect(await state.events.getMany(['k', 'j'])).toEqual([undefined, undefined]);
  });

  it.skipIf(skip)(`20 parallel setIfAbsent calls: exactly one wins${reason}`, async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => state.setIfAbsent('outbox', 'race', { winner: i })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await state.outbox.get('race')).toEqual({ winner: results.indexOf(true) });
  });

  it.skipIf(skip)(`leases: acquire, refuse, renew, expire to a higher token, release${reason}`, async () => {
    const first = await state.acquireLease('jobs', 'a', 10_000);
    expect(first.held).toBe(true);
    expect(await state.acquireLease('jobs', 'b', 10_000)).toEqual({ held: false, token: first.token });
    expect(await state.acquireLease('jobs', 'a', 10_000)).toEqual({ held: true, token: first.token });
    expect(await state.releaseLease('jobs', 'b')).toBe(false);

    await state.acquireLease('short', 'a', 60);
    const before = await state.acquireLease('short', 'a', 60);
    expect(before.held).toBe(true);
    expect((await state.acquireLease('short', 'b', 60)).held).toBe(false);
    await new Promise((done) => setTimeout(done, 120));
    const taken = await state.acquireLease('short', 'b', 10_000);
    expect(taken.held).toBe(true);
    expect(taken.token).toBeGreaterThan(before.token);
    expect((await state.acquireLease('short', 'a', 10_000)).held).toBe(false);

    expect(await state.releaseLease('short', 'b')).toBe(true);
    expect(await state.releaseLease('short', 'b')).toBe(false);
    const again = await state.acquireLease('short', 'a', 10_000);
    expect(again).toEqual({ held: true, token: taken.token + 1 });
  });

  it.skipIf(skip)(`data and leases survive close and reopen${reason}`, async () => {
    await state.subscriptions.set('C1', { filters: ['topic:taiwan'] });
    expect(await state.setIfAbsent('outbox', 'k', 1)).toBe(true);
    const lease = await state.acquireLease('jobs', 'a', 10_000);
    await state.close();
    state = await openState(url, { scope });
    expect(await state.subscriptions.get('C1')).toEqual({ filters: ['topic:taiwan'] });
    expect(await state.setIfAbsent('outbox', 'k', 2)).toBe(false);
    expect(await state.acquireLease('jobs', 'b', 10_000)).toEqual({ held: false, token: lease.token });
  });
});

describe('STATE_URL errors', () => {
  it('a wrong scheme names STATE_URL and the accepted forms', async () => {
    await expect(openState('mysql://127.0.0.1/x')).rejects.toThrow(
      /^STATE_URL mysql:\/\/127\.0\.0\.1\/x: unsupported scheme "mysql:"; use sqlite:PATH, file:PATH, redis:/,
    );
    await expect(openState('just-a-path')).rejects.toThrow(/STATE_URL just-a-path: unsupported scheme \(none\)/);
  });

  it('an unreachable Redis names STATE_URL', async () => {
    await expect(openState('redis://127.0.0.1:1')).rejects.toThrow(/^STATE_URL redis:\/\/127\.0\.0\.1:1: cannot open/);
  });

  it('an unreachable PostgreSQL names STATE_URL and hides the password', async () => {
    await expect(openState('postgres://u:secret@127.0.0.1:1/test')).rejects.toThrow(
      /^STATE_URL postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/test: cannot open/,
    );
  });

  it('the default is an SQLite file at .hotline/state.db under the working directory', async () => {
    const cwd = mkdtempSync(join(tmp, 'cwd-'));
    const state = await openState(undefined, { cwd });
    expect(state.kind).toBe('sqlite');
    await state.close();
    expect(existsSync(join(cwd, '.hotline', 'state.db'))).toBe(true);
  });
});

describe('PostgreSQL connections', () => {
  const postgres = all.find((backend) => backend.name === 'PostgreSQL') as Backend;
  const { skip, reason } = reachableOrSkipped(postgres);

  it.skipIf(skip)(`a State used one namespace after another holds one connection, not one each${reason}`, async () => {
    // Each namespace's @keyv/postgres store ran its own CREATE TABLE at construction, all at once, so the pool
    // opened ten connections for every State (a connection costs the server ~20 ms of CPU here; a query 0.03 ms).
    const scope = newScope('conn');
    const url = new URL(postgres.url);
    url.searchParams.set('application_name', scope);
    const state = await openState(url.href, { scope });
    const client = new pg.Client(postgres.url);
    try {
      for (const ns of NAMESPACES) await state[ns].get('absent');
      await client.connect();
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [scope],
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await client.end();
      await state.destroy();
      await state.close();
    }
  });
});

describe('PostgreSQL first opens', () => {
  const postgres = all.find((backend) => backend.name === 'PostgreSQL') as Backend;
  const { skip, reason } = reachableOrSkipped(postgres);

  it.skipIf(skip)(`States opened at once on a new scope all open (two instances' first start)${reason}`, async () => {
    // Before: CREATE TABLE IF NOT EXISTS run at once by several sessions fails in all but one ("duplicate key value
    // violates unique constraint pg_type_typname_nsp_index", or "type … already exists"): the store did not open.
    const scope = newScope('first');
    const opened = await Promise.allSettled(Array.from({ length: 6 }, () => openState(postgres.url, { scope })));
    const states = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    try {
      expect(opened.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []))).toEqual([]);
    } finally {
      await states[0]?.destroy();
      for (const state of states) await state.close();
    }
  });
});

describe('PostgreSQL schemas', () => {
  const postgres = all.find((backend) => backend.name === 'PostgreSQL') as Backend;
  const { skip, reason } = reachableOrSkipped(postgres);

  it.skipIf(skip)(
    `a role whose search_path is its own schema reads what it wrote, atomically or not${reason}`,
    async () => {
      // Before: the State created its table in the search_path's schema and @keyv/postgres read and wrote
      // `public.<scope>`, a table no one created once its own CREATE TABLE was answered locally: every get failed.
      const schema = newScope('schema');
      const admin = new pg.Client(postgres.url);
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      const url = new URL(postgres.url);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const state = await openState(url.href, { scope: schema });
      try {
        expect(await state.setIfAbsent('events', 'claimed', { by: 'a' })).toBe(true);
        expect(await state.events.get('claimed')).toEqual({ by: 'a' });
        await state.events.set('plain', 1);
        expect(await state.events.get('plain')).toBe(1);
        expect(await state.setIfAbsent('events', 'plain', 2)).toBe(false);
        const keys: string[] = [];
        for await (const [key] of state.events.entries()) keys.push(key);
        expect(keys.sort()).toEqual(['claimed', 'plain']);
        const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_tables WHERE tablename = $1', [schema]);
        expect(rows[0].n).toBe(1);
      } finally {
        await state.destroy();
        await state.close();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    },
  );
});
