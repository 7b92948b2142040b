// The event log on every state backend: sequence numbers, revisions, unchanged re-publishing, concurrency.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog, CatalogEvent } from '../../src/core/catalog.js';
import {
  contentHash,
  lastSeq,
  latestLogged,
  type PublishedEvent,
  publish,
  publishCatalog,
  publishNew,
  readLog,
  recordOf,
  revisionEntry,
} from '../../src/events/log.js';
import { openState, type State } from '../../src/state/index.js';
import { underLease } from '../../src/state/lease.js';
import { backends, newScope, reachableOrSkipped } from '../fakes/backends.js';
import { fixture } from '../helpers.js';
import { sleep, until } from '../until.js';

const AT = '2027-01-01T00:00:00.000Z';

const tmp = mkdtempSync(join(tmpdir(), 'hotline-log-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const all = await backends(tmp);

/** A minimal valid event with the given id suffix and summary. */
function event(n: number, summary = `Event ${n}.`): PublishedEvent {
  return {
    id: `2027-01-${String((n % 28) + 1).padStart(2, '0')}-event-${n}`,
    date: `2027-01-${String((n % 28) + 1).padStart(2, '0')}`,
    kind: 'call',
    status: 'held',
    level: 'minister',
    mechanisms: [],
    participants: [],
    topics: [],
    summary,
    sources: [{ title: 'Source', publisher: 'Example', url: 'https://example.org/a' }],
    recordedAt: '2027-01-02',
  };
}

/** The latest revision of each event, as whoever follows the log from its start ends with it. */
async function followLog(state: State): Promise<Map<string, PublishedEvent>> {
  const latest = new Map<string, PublishedEvent>();
  for (const entry of await readLog(state, 0, 100_000)) latest.set(entry.id, entry.event);
  return latest;
}

describe.each(all)('event log: $name', (backend) => {
  const { url } = backend;
  // In CI a missing server is a failure; locally it is a visible skip with the reason.
  const { skip, reason } = reachableOrSkipped(backend);

  let state: State;
  let scope: string;
  beforeEach(async () => {
    if (skip) return;
    scope = newScope('l');
    state = await openState(url, { scope });
  });
  afterEach(async () => {
    if (skip) return;
    await state.destroy();
    await state.close();
  });

  it.skipIf(skip)(`numbers new events 1..n and reads them back in order${reason}`, async () => {
    expect(await lastSeq(state)).toBe(0);
    expect(await readLog(state)).toEqual([]);
    for (let n = 1; n <= 3; n++) {
      expect(await publish(state, event(n), AT)).toEqual({ seq: n, revision: 1, status: 'new' });
    }
    const log = await readLog(state, 0, 10);
    expect(log.map((e) => [e.seq, e.id, e.revision])).toEqual([1, 2, 3].map((n) => [n, event(n).id, 1]));
    expect(log[0]?.event).toEqual(event(1));
    expect(log[0]?.recordedAt).toBe(AT);
    expect((await readLog(state, 1, 1)).map((e) => e.seq)).toEqual([2]);
    expect(await lastSeq(state)).toBe(3);
  });

  it.skipIf(skip)(`same content is unchanged; changed content is a new revision with a new seq${reason}`, async () => {
    await publish(state, event(1), AT);
    await publish(state, event(2), AT);
    // Key order does not matter: the hash is over canonical JSON.
    const reordered = Object.fromEntries(Object.entries(event(1)).reverse()) as PublishedEvent;
    expect(await publish(state, reordered, AT)).toEqual({ seq: 1, revision: 1, status: 'unchanged' });
    expect(await publish(state, event(1, 'Corrected.'), AT)).toEqual({ seq: 3, revision: 2, status: 'revised' });
    expect(await publish(state, event(1, 'Corrected.'), AT)).toEqual({ seq: 3, revision: 2, status: 'unchanged' });
    // Going back to the first content is a correction too.
    expect(await publish(state, event(1), AT)).toEqual({ seq: 4, revision: 3, status: 'revised' });
    const log = await readLog(state);
    expect(log.map((e) => [e.seq, e.id, e.revision])).toEqual([
      [1, event(1).id, 1],
      [2, event(2).id, 1],
      [3, event(1).id, 2],
      [4, event(1).id, 3],
    ]);
    expect(log[2]?.event.summary).toBe('Corrected.');
  });

  it.skipIf(skip)(`20 parallel publishes of distinct ids get seqs 1..20, none lost${reason}`, async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => publish(state, event(i + 1), AT)));
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.every((r) => r.status === 'new')).toBe(true);
    const log = await readLog(state, 0, 100);
    expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(log.map((e) => e.id)).size).toBe(20);
    expect(await lastSeq(state)).toBe(20);
  });

  it.skipIf(skip)(`parallel publishes of one id log each content once${reason}`, async () => {
    // Two instances starting up publish the same event: one entry.
    const same = await Promise.all(Array.from({ length: 5 }, () => publish(state, event(1), AT)));
    expect(same.filter((r) => r.status === 'new')).toHaveLength(1);
    expect(same.every((r) => r.seq === 1 && r.revision === 1)).toBe(true);
    // Different contents at once: each becomes its own revision, numbered without gaps.
    const changed = await Promise.all([2, 3, 4].map((k) => publish(state, event(1, `Version ${k}.`), AT)));
    expect(changed.map((r) => r.revision).sort()).toEqual([2, 3, 4]);
    expect((await readLog(state)).map((e) => [e.seq, e.revision])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });

  it.skipIf(skip)(
    `revisions enter the log in their order, even when a later one is claimed first-come${reason}`,
    async () => {
      await publish(state, event(1), AT);
      // Revision 2's publisher is slow between its claim and its log entry (a slow store, a busy instance).
      const setIfAbsent = state.setIfAbsent.bind(state);
      state.setIfAbsent = (async (namespace, key, value) => {
        if (key.startsWith('seq:') && (value as { revision?: number }).revision === 2) await sleep(300);
        return setIfAbsent(namespace, key, value);
      }) as typeof state.setIfAbsent;
      try {
        const second = publish(state, event(1, 'Version 2.'), AT);
        await until('revision 2 claimed', async () => (await state.events.get(`rev:${event(1).id}:2`)) !== undefined);
        const third = publish(state, event(1, 'Version 3.'), AT);
        expect((await Promise.all([second, third])).map((r) => r.revision)).toEqual([2, 3]);
      } finally {
        state.setIfAbsent = setIfAbsent;
      }
      // Before, revision 3 took seq 2 while revision 2 waited, and whoever followed the log ended on revision 2.
      expect((await readLog(state)).map((e) => [e.seq, e.revision])).toEqual([
        [1, 1],
        [2, 2],
        [3, 3],
      ]);
      expect((await followLog(state)).get(event(1).id)?.summary).toBe('Version 3.');
    },
  );

  it.skipIf(skip)(
    `publishNew: new ids logged together in a few round trips, known ones one by one, as publish would${reason}`,
    async () => {
      await publish(state, event(1), AT);
      const fresh = Array.from({ length: 300 }, (_, i) => event(i + 2));
      // Every call to the store counted: the events namespace's operations and the atomic writes.
      let calls = 0;
      const count =
        <A extends unknown[], R>(fn: (...args: A) => R) =>
        (...args: A): R => {
          calls += 1;
          return fn(...args);
        };
      const { events } = state;
      const counted: State = {
        ...state,
        events: {
          get: count(events.get),
          getMany: count(events.getMany),
          set: count(events.set),
          setMany: count(events.setMany),
          delete: count(events.delete),
          entries: count(events.entries),
        },
        setIfAbsent: count(state.setIfAbsent),
        setManyIfAbsent: count(state.setManyIfAbsent),
        setAllIfAbsent: count(state.setAllIfAbsent),
      };
      const results = await publishNew(counted, fresh, AT);
      expect(results).toEqual(fresh.map((_, i) => ({ seq: i + 2, revision: 1, status: 'new' })));
      // Before, a dozen operations an event (3,600 here).
      expect(calls).toBeLessThan(12);
      // What publish sees afterwards: each logged once, where publishNew said.
      expect(await publish(state, event(150), AT)).toEqual({ seq: 150, revision: 1, status: 'unchanged' });
      expect(await lastSeq(state)).toBe(301);
      // A mix: a changed known id, new ids, an unchanged known id, each answered in its place.
      const mixed = await publishNew(state, [event(1, 'Corrected.'), event(400), event(2), event(401)], AT);
      expect(mixed).toEqual([
        { seq: 304, revision: 2, status: 'revised' },
        { seq: 302, revision: 1, status: 'new' },
        { seq: 2, revision: 1, status: 'unchanged' },
        { seq: 303, revision: 1, status: 'new' },
      ]);
      const log = await readLog(state, 0, 1_000);
      expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 304 }, (_, i) => i + 1));
      const latest = await followLog(state);
      expect(await lastSeq(state)).toBe(304);
      expect(latest.get(event(1).id)?.summary).toBe('Corrected.');
      expect(latest.get(event(401).id)).toEqual(event(401));
    },
  );

  it.skipIf(skip)(
    `publishNew: two instances and a one-by-one publisher at once log each id once, without gaps${reason}`,
    async () => {
      const other = await openState(url, { scope });
      try {
        const shared = Array.from({ length: 60 }, (_, i) => event(i + 1));
        const [a, b, ...single] = await Promise.all([
          publishNew(state, shared, AT),
          publishNew(other, shared, AT),
          ...Array.from({ length: 10 }, (_, i) => publish(i % 2 ? state : other, event(100 + i), AT)),
        ]);
        if (!a || !b) throw new Error('no results');
        // Each shared id is new for exactly one of the two, at the same seq for both.
        for (const [i, result] of a.entries()) {
          expect([result.status, b[i]?.status].sort()).toEqual(['new', 'unchanged']);
          expect(b[i]?.seq).toBe(result.seq);
        }
        expect(single.every((result) => result.status === 'new')).toBe(true);
        const log = await readLog(state, 0, 1_000);
        expect(log.map((e) => e.seq)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
        expect(new Set(log.map((e) => e.id)).size).toBe(70);
        expect(log.every((e) => e.revision === 1)).toBe(true);
        expect(await lastSeq(other)).toBe(70);
      } finally {
        await other.close();
      }
    },
  );

  it.skipIf(skip)(`publishNew: a seq taken between reading the head and writing is tried again${reason}`, async () => {
    const setAll = state.setAllIfAbsent.bind(state);
    let first = true;
    state.setAllIfAbsent = (async (namespace, entries) => {
      if (first) {
        first = false;
        await publish(state, event(99), AT); // another publisher takes seq 1 just before this write
      }
      return setAll(namespace, entries);
    }) as typeof state.setAllIfAbsent;
    try {
      expect(await publishNew(state, [event(1), event(2)], AT)).toEqual([
        { seq: 2, revision: 1, status: 'new' },
        { seq: 3, revision: 1, status: 'new' },
      ]);
    } finally {
      state.setAllIfAbsent = setAll;
    }
    expect((await readLog(state)).map((e) => [e.seq, e.id])).toEqual([
      [1, event(99).id],
      [2, event(1).id],
      [3, event(2).id],
    ]);
    expect(await publish(state, event(2), AT)).toEqual({ seq: 3, revision: 1, status: 'unchanged' });
  });

  it.skipIf(skip)(
    `publishCatalog: first run all new, then unchanged; an ingested correction stays until data/ changes the event${reason}`,
    async () => {
      const catalog = fixture();
      const total = catalog.events.length;
      expect(await publishCatalog(state, catalog, AT)).toEqual({ new: total, revised: 0, unchanged: 0 });
      expect(await publishCatalog(state, catalog, AT)).toEqual({ new: 0, revised: 0, unchanged: total });
      const [first, ...rest] = catalog.events;
      if (!first) throw new Error('empty fixture');
      expect(await publish(state, { ...recordOf(first), summary: 'Fixed.' }, AT)).toMatchObject({ status: 'revised' });
      // A restart with the same data/ does not revert the correction…
      expect(await publishCatalog(state, catalog, AT)).toEqual({ new: 0, revised: 0, unchanged: total });
      expect(await lastSeq(state)).toBe(total + 1);
      // …but an edit of that event in data/ is published as its next revision.
      const edited = withFirst(catalog, { ...first, summary: 'Edited in data.' }, rest);
      expect(await publishCatalog(state, edited, AT)).toEqual({ new: 0, revised: 1, unchanged: total - 1 });
      const latest = await followLog(state);
      expect(await lastSeq(state)).toBe(total + 2);
      expect(latest.get(first.id)?.summary).toBe('Edited in data.');
      expect(latest.size).toBe(total);
    },
  );

  it.skipIf(skip)(
    `publishCatalog: a correction made after a first start stopped before recording data/'s hashes stays${reason}`,
    async () => {
      const catalog = fixture();
      const [first] = catalog.events;
      if (!first) throw new Error('empty fixture');
      // Killed once the events are logged, before data:<id> (and the hints) are written.
      const { events } = state;
      const setMany = events.setMany.bind(events);
      events.setMany = async () => {
        throw new Error('killed');
      };
      try {
        await expect(publishCatalog(state, catalog, AT)).rejects.toThrow('killed');
      } finally {
        events.setMany = setMany;
      }
      expect(await publish(state, { ...recordOf(first), summary: 'Fixed.' }, AT)).toMatchObject({ status: 'revised' });
      // The restart with the same data/ finds data/'s content in the log: recorded, not published over the fix.
      expect(await publishCatalog(state, catalog, AT)).toEqual({ new: 0, revised: 0, unchanged: catalog.count });
      expect(await latestLogged(state, first.id)).toMatchObject({ summary: 'Fixed.' });
      expect(await publishCatalog(state, catalog, AT)).toEqual({ new: 0, revised: 0, unchanged: catalog.count });
      expect(await lastSeq(state)).toBe(catalog.count + 1);
    },
  );

  it.skipIf(skip)(
    `publishCatalog: a correction ingested into the new store while a first start publishes data/ stays${reason}`,
    async () => {
      // Before: `hotline ingest` into the empty store published data/ and then its correction between this start
      // reading data:<id> (none yet) and writing its batch; the batch then found the ids known, and publishing them
      // one by one logged data/'s version as revision 3 over the correction.
      const catalog = fixture();
      const [first] = catalog.events;
      if (!first) throw new Error('empty fixture');
      const setAllIfAbsent = state.setAllIfAbsent.bind(state);
      state.setAllIfAbsent = async (name, entries) => {
        state.setAllIfAbsent = setAllIfAbsent;
        // The ingest, in another process: data/ first, then the correction.
        await publishCatalog(state, catalog, AT);
        await publish(state, { ...recordOf(first), summary: 'Fixed.' }, AT);
        return setAllIfAbsent(name, entries);
      };
      expect(await publishCatalog(state, catalog, AT)).toEqual({ new: 0, revised: 0, unchanged: catalog.count });
      expect(await latestLogged(state, first.id)).toMatchObject({ summary: 'Fixed.' });
      expect(await lastSeq(state)).toBe(catalog.count + 1);
    },
  );

  it.skipIf(skip)(
    `latestLogged finds a revision whose publisher stopped after logging it, before recording where${reason}`,
    async () => {
      await publish(state, event(1), AT);
      const corrected = event(1, 'Corrected.');
      // What that publisher left: revision 2 claimed (with the head it saw), logged at seq 2, the claim without its seq.
      await state.setIfAbsent('events', `rev:${corrected.id}:2`, { hash: contentHash(corrected), from: 1 });
      await state.setIfAbsent('events', 'seq:000000000002', {
        seq: 2,
        id: corrected.id,
        revision: 2,
        hash: contentHash(corrected),
        recordedAt: AT,
        event: corrected as never,
      });
      expect(await latestLogged(state, corrected.id)).toEqual(corrected);
      expect((await revisionEntry(state, corrected.id, 2))?.seq).toBe(2);
      // One only claimed (being logged now) is not taken for logged.
      await state.setIfAbsent('events', `rev:${corrected.id}:3`, { hash: 'in flight', from: 2 });
      expect(await latestLogged(state, corrected.id)).toEqual(corrected);
      expect(await revisionEntry(state, corrected.id, 3)).toBeUndefined();
    },
  );

  it.skipIf(skip)(
    `publishCatalog: records no fingerprint when another instance wrote an event's hash meanwhile (a rolling deploy)${reason}`,
    async () => {
      const catalog = { ...fixture(), fingerprint: 'f1' };
      const [first, last] = [catalog.events[0], catalog.events.at(-1)];
      if (!first || !last) throw new Error('empty fixture');
      // Another instance, with other data/, writes its hash of the first event just after this one wrote its last.
      const events = state.events;
      const setMany = events.setMany.bind(events);
      events.setMany = async (entries) => {
        await setMany(entries);
        if (entries.some(([key]) => key === `data:${last.id}`))
          await events.set(`data:${first.id}`, { hash: 'written-by-another' });
      };
      try {
        expect(await publishCatalog(state, catalog, AT)).toMatchObject({ new: catalog.count });
      } finally {
        events.setMany = setMany;
      }
      expect(await state.events.get('data')).toBeUndefined();
      // The next start compares event by event, finds the difference, and only then records the fingerprint.
      expect(await publishCatalog(state, catalog, AT)).toEqual({ new: 0, revised: 0, unchanged: catalog.count });
      expect(await state.events.get(`data:${first.id}`)).not.toEqual({ hash: 'written-by-another' });
      expect(await state.events.get('data')).toEqual({ fingerprint: 'f1' });
    },
  );

  it.skipIf(skip)(
    `publishCatalog: a catalog with the fingerprint data/ was last published whole with makes no event${reason}`,
    async () => {
      const catalog = { ...fixture(), fingerprint: 'f1' };
      const total = catalog.count;
      expect(await publishCatalog(state, catalog, AT)).toEqual({ new: total, revised: 0, unchanged: 0 });
      expect(await state.events.get('data')).toEqual({ fingerprint: 'f1' });
      // The same fingerprint: unchanged as a whole, without making (or reading) a single event.
      const untouchable = {
        ...catalog,
        event: (): never => {
          throw new Error('an event was made');
        },
      };
      expect(await publishCatalog(state, untouchable, AT)).toEqual({ new: 0, revised: 0, unchanged: total });
      // Another fingerprint (data/ changed): compared event by event, the change published, the new one kept.
      const [first, ...rest] = catalog.events;
      if (!first) throw new Error('empty fixture');
      const edited = { ...withFirst(catalog, { ...first, summary: 'Edited in data.' }, rest), fingerprint: 'f2' };
      expect(await publishCatalog(state, edited, AT)).toEqual({ new: 0, revised: 1, unchanged: total - 1 });
      expect(await state.events.get('data')).toEqual({ fingerprint: 'f2' });
      expect(await publishCatalog(state, { ...untouchable, fingerprint: 'f2' }, AT)).toEqual({
        new: 0,
        revised: 0,
        unchanged: total,
      });
      expect(await lastSeq(state)).toBe(total + 1);
    },
  );
});

/** The catalog with its first event replaced (read through `events` and `event(pos)` alike). */
function withFirst(catalog: Catalog, first: CatalogEvent, rest: readonly CatalogEvent[]): Catalog {
  const events = [first, ...rest];
  return { ...catalog, events, event: (pos) => events[pos] as CatalogEvent };
}

describe('publishCatalog and a drafts merge into the same event', () => {
  it('waits while a merge holds the event, so the merge cannot write what it read over data/’s correction', async () => {
    // Before: a start published data/'s edit of an event while a merge was between reading that event and logging
    // its revision; the merge then logged its stale reading (with its new source) over the edit, and since data/
    // had recorded publishing the edit, no later start published it again: the correction was lost for good.
    const state = await openState('sqlite::memory:');
    try {
      const catalog = { ...fixture(), fingerprint: 'f1' };
      await publishCatalog(state, catalog, AT);
      const [first, ...rest] = catalog.events;
      if (!first) throw new Error('empty fixture');
      const edited = { ...withFirst(catalog, { ...first, summary: 'Edited in data.' }, rest), fingerprint: 'f2' };
      let starting: Promise<unknown> | undefined;
      await underLease(state, `event:${first.id}`, first.id, async () => {
        const read = (await latestLogged(state, first.id)) as PublishedEvent; // as a merge reads it
        starting = publishCatalog(state, edited, AT);
        await sleep(300); // long enough for a start that does not wait to publish
        const source = { title: 'Another readout', publisher: 'Example', url: 'https://example.org/merged' };
        await publish(state, { ...read, sources: [...read.sources, source] }, AT);
      });
      expect(await starting).toEqual({ new: 0, revised: 1, unchanged: catalog.count - 1 });
      expect((await latestLogged(state, first.id))?.summary).toBe('Edited in data.');
    } finally {
      await state.close();
    }
  });
});
