// What the event log changes in data/ (src/events/live.ts): the view the bots answer from, its checkpoint, and
// the content hash both sides are compared by. On the embedded store: the view reads the log through readLog,
// which tests/events/log.test.ts runs on every store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Catalog, indexCatalog } from '../../src/core/catalog.js';
import { emptyView, loggedView, openView, readView, saveView, viewOfPublished } from '../../src/events/live.js';
import {
  canonicalJson,
  catalogHash,
  contentHash,
  type PublishedEvent,
  publish,
  publishCatalog,
  recordOf,
} from '../../src/events/log.js';
import { startService } from '../../src/service.js';
import { openState, type State } from '../../src/state/index.js';
import { bundled, fixture } from '../helpers.js';
import { until } from '../until.js';

const AT = '2027-01-01T00:00:00.000Z';

/** The bundled catalog (312 events) as the cache gives it: with a fingerprint. */
const catalog = (fingerprint = 'f1'): Catalog => ({ ...bundled(), fingerprint });

/** `state` with the keys its events namespace reads counted. */
function counting(state: State): { counted: State; keysRead: () => number } {
  let keys = 0;
  const { events } = state;
  const counted: State = {
    ...state,
    events: {
      ...events,
      get: (key) => {
        keys += 1;
        return events.get(key);
      },
      getMany: (wanted) => {
        keys += wanted.length;
        return events.getMany(wanted);
      },
    },
  };
  return { counted, keysRead: () => keys };
}

describe('the content hash', () => {
  it('is over key-sorted JSON without undefined fields, the text stores already hold hashes of', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }, null], e: undefined, 'é"': 'q' })).toBe(
      '{"a":[{"c":"x"},null],"b":1,"é\\"":"q"}',
    );
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it("catalogHash is the hash of the event's record, for every bundled event", () => {
    const events = bundled().events;
    expect(events.length).toBeGreaterThan(300);
    for (const event of events) expect(catalogHash(event)).toBe(contentHash(recordOf(event)));
  });
});

describe('the log view', () => {
  let state: State;
  beforeEach(async () => {
    state = await openState('sqlite::memory:');
  });
  afterEach(async () => {
    await state.close();
  });

  const [first, second] = bundled().events;
  if (!first || !second) throw new Error('empty fixture');
  const corrected: PublishedEvent = { ...recordOf(first), summary: 'Corrected through ingest.' };
  const added: PublishedEvent = { ...recordOf(second), id: '2027-01-05-a-new-event', summary: 'New.' };

  it('keeps only the events whose latest revision differs from data/, and drops one set back to it', async () => {
    const base = catalog();
    await publishCatalog(state, base, AT);
    const view = await openView(state, base);
    expect(view.seen).toBe(base.count);
    expect([...view.changed.keys()]).toEqual([]);
    await publish(state, corrected, AT);
    await publish(state, added, AT);
    expect(await readView(state, base, view)).toBe(true);
    expect(await readView(state, base, view)).toBe(false);
    expect([...view.changed.keys()].sort()).toEqual([first.id, added.id].sort());
    expect(view.changed.get(first.id)?.event.summary).toBe('Corrected through ingest.');
    // The first event corrected back to what data/ has: nothing to change there any more.
    await publish(state, recordOf(first), AT);
    await readView(state, base, view);
    expect([...view.changed.keys()]).toEqual([added.id]);
    expect(view.seen).toBe(base.count + 3);
  });

  it('a restart with the same data/ reads only the entries after the checkpoint, and sees what a full read sees', async () => {
    const base = catalog();
    await publishCatalog(state, base, AT);
    await publish(state, corrected, AT);
    await saveView(state, base, await openView(state, base));
    await publish(state, added, AT);
    const { counted, keysRead } = counting(state);
    const view = await openView(counted, base);
    // The checkpoint, its last entry and the one changed event, then the log from the checkpoint on: not every
    // entry of the log.
    expect(keysRead()).toBeLessThan(40);
    expect(base.count).toBeGreaterThan(40);
    const full = emptyView();
    await readView(state, base, full);
    expect(view).toEqual(full);
    expect([...view.changed.keys()].sort()).toEqual([first.id, added.id].sort());
  });

  it('passes over a checkpoint of other data/, or one the log no longer holds (restored from an older backup)', async () => {
    const base = catalog();
    await publishCatalog(state, base, AT);
    await publish(state, corrected, AT);
    await saveView(state, base, await openView(state, base));
    // Other data/: read from the start.
    const other = counting(state);
    const otherView = await openView(other.counted, catalog('f2'));
    expect(other.keysRead()).toBeGreaterThan(base.count);
    expect([...otherView.changed.keys()]).toEqual([first.id]);
    // The entry the checkpoint ends on is gone, and another took its number: read from the start.
    await state.events.delete(`seq:${String(base.count + 1).padStart(12, '0')}`);
    expect(
      await state.setIfAbsent('events', `seq:${String(base.count + 1).padStart(12, '0')}`, {
        seq: base.count + 1,
        id: added.id,
        revision: 1,
        hash: contentHash(added),
        recordedAt: AT,
        event: added as never,
      }),
    ).toBe(true);
    const view = await openView(state, base);
    expect([...view.changed.keys()]).toEqual([added.id]);
  });

  it('a first start that filled an empty log takes its view without reading the log back, unless more was logged', async () => {
    const base = catalog();
    const { new: published } = await publishCatalog(state, base, AT);
    expect(published).toBe(base.count);
    const { counted, keysRead } = counting(state);
    const view = await viewOfPublished(counted, published);
    expect(keysRead()).toBeLessThan(5);
    const full = emptyView();
    await readView(state, base, full);
    expect(view).toEqual(full);
    // Another publisher's entry meanwhile: the log must be read.
    await publish(state, added, AT);
    expect(await viewOfPublished(state, published)).toBeUndefined();
  });

  it('loggedView answers with the log, except where data/ changed an event since it last published it', async () => {
    const base = catalog();
    await publishCatalog(state, base, AT);
    await publish(state, corrected, AT);
    await publish(state, added, AT);
    const answered = await loggedView(state, base);
    expect(answered.byId.get(first.id)?.summary).toBe('Corrected through ingest.');
    expect(answered.byId.get(added.id)?.summary).toBe('New.');
    expect(answered.count).toBe(base.count + 1);
    // data/ edited that event since it last published it: data/ wins until the next start publishes it.
    await state.events.set(`data:${first.id}`, { hash: 'an older data/' });
    const edited = await loggedView(state, base);
    expect(edited.byId.get(first.id)?.summary).toBe(first.summary);
    expect(edited.byId.get(added.id)?.summary).toBe('New.');
    // Nothing in the log but data/ itself: the catalog as it is.
    const fresh = await openState('sqlite::memory:');
    try {
      await publishCatalog(fresh, base, AT);
      expect(await loggedView(fresh, base)).toBe(base);
    } finally {
      await fresh.close();
    }
  });

  it('an event data/ published and no longer has is not answered (taken out of data/, or another data folder’s); one ingested, or corrected after, is', async () => {
    // Before: every logged id data/ did not have was answered as if ingested, so an event taken out of data/ (a
    // wrong one) stayed in every bot's answers, and a store once started with the invented test fixture answered
    // its events beside the bundled ones.
    await publishCatalog(state, catalog('with'), AT);
    await publish(state, added, AT); // ingested: data/ never had it
    const full = bundled();
    const kept = full.events.filter((e) => e.id !== second.id).map((e) => ({ ...recordOf(e), file: e.file }));
    const base: Catalog = {
      ...indexCatalog(kept, full.people, full.mechanisms, full.topics, full.coverage),
      fingerprint: 'without',
    };
    const answered = await loggedView(state, base);
    expect(answered.byId.has(second.id)).toBe(false);
    expect(answered.byId.get(added.id)?.summary).toBe('New.');
    expect(answered.count).toBe(base.count + 1);
    // Corrected through ingest after it was taken out: the correction is the log's, not data/'s, and is answered.
    await publish(state, { ...recordOf(second), summary: 'Brought back by ingest.' }, AT);
    expect((await loggedView(state, base)).byId.get(second.id)?.summary).toBe('Brought back by ingest.');
  });

  it('a bot started with other data/ on a store does not answer the events the earlier data/ published there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-live-'));
    const stateUrl = `sqlite:${join(dir, 'state.db')}`;
    try {
      const first = await startService({ stateUrl, catalog: fixture(), posters: {} });
      await first.stop();
      const second = await startService({ stateUrl, catalog: bundled(), posters: {} });
      try {
        const invented = fixture()
          .events.map((e) => e.id)
          .filter((id) => !bundled().byId.has(id));
        expect(invented.length).toBeGreaterThan(0);
        expect(invented.filter((id) => second.catalog().byId.has(id))).toEqual([]);
        expect(second.catalog().count).toBe(bundled().count);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a bot following the log', () => {
  it('answers an ingested event even when the store failed once while it was reading what data/ published', async () => {
    // Before: the refresh read the new entry (its view moved past it), then failed reading `data:<id>`; every later
    // refresh found nothing new in the log and kept the catalog from before, so the event was never answered.
    const dir = mkdtempSync(join(tmpdir(), 'hotline-live-'));
    const service = await startService({
      stateUrl: `sqlite:${join(dir, 'state.db')}`,
      catalog: fixture(),
      posters: {},
      refreshMs: 20,
    });
    try {
      const { events } = service.state;
      const getMany = events.getMany;
      let failures = 0;
      events.getMany = async (keys) => {
        if (failures === 0 && keys.some((key) => key.startsWith('data:'))) {
          failures += 1;
          throw new Error('the store blinked');
        }
        return getMany(keys);
      };
      const [template] = fixture().events;
      if (!template) throw new Error('empty fixture');
      const added = { ...recordOf(template), id: '2027-01-05-ingested', summary: 'Ingested.' };
      await publish(service.state, added, AT);
      await until('the failed read', () => failures === 1);
      await until('the ingested event answered', () => service.catalog().byId.has(added.id), { timeoutMs: 3_000 });
    } finally {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
