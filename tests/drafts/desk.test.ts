// The review of drafts (issue 15): approve publishes the draft's event, merge adds its sources to an event on
// record, reject needs a reason, an edit the schema refuses changes nothing; each decision is on the draft.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Catalog, indexCatalog } from '../../src/core/catalog.js';
import { lazyDraftDesk } from '../../src/core/drafts.js';
import { draftDesk } from '../../src/drafts/desk.js';
import { eventFromDraft } from '../../src/drafts/event.js';
import { loggedView } from '../../src/events/live.js';
import { publishCatalog, readLog, recordOf } from '../../src/events/log.js';
import { openState, type State } from '../../src/state/index.js';
import { bundled, FIXTURE_DIR, runTracingLoads } from '../helpers.js';
import { signal } from '../until.js';
import { HEGSETH_DONG_CALL, proposalOf } from './fixtures.js';

const catalog: Catalog = bundled();
const NOW = new Date('2026-06-02T13:00:00.000Z');

describe('the drafts desk', () => {
  let state: State;
  let desk: ReturnType<typeof draftDesk>;
  beforeEach(async () => {
    state = await openState('sqlite::memory:');
    desk = draftDesk({ state, catalog: () => catalog, clock: () => NOW });
    await desk.book.propose(proposalOf(HEGSETH_DONG_CALL, catalog), catalog, NOW.toISOString());
  });
  afterEach(() => state.close());

  it('GIVEN the Hegseth–Dong draft THEN its event is pre-filled from the readout', () => {
    return desk.book.get(1).then((stored) => {
      if (!stored) throw new Error('no draft');
      expect(eventFromDraft(stored, catalog, '2026-06-02')).toEqual({
        id: '2026-06-02-hegseth-dong-call',
        date: '2026-06-02',
        kind: 'call',
        status: 'held',
        format: 'phone',
        level: 'minister',
        mechanisms: ['defense-minister-channel'],
        participants: [
          { person: 'pete-hegseth', title: 'Secretary of Defense', side: 'US' },
          { person: 'dong-jun', title: 'Minister of National Defense', side: 'PRC' },
        ],
        topics: [],
        summary: 'Pete Hegseth (Secretary of Defense) and Dong Jun (Minister of National Defense) held a call (phone).',
        sources: [
          {
            title: HEGSETH_DONG_CALL.title,
            publisher: 'U.S. Department of War',
            date: '2026-06-02',
            url: HEGSETH_DONG_CALL.url,
            readout: 'US',
            language: 'en',
          },
        ],
        recordedAt: '2026-06-02',
      });
    });
  });

  it('GIVEN a pending draft WHEN approved THEN its event is in the log and the decision is on the draft', async () => {
    const card = await desk.approve(1, 'U1');
    expect(card.title).toBe('Draft #1 (approved): call, 2026-06-02');
    expect(card.actions).toBeUndefined();
    const log = await readLog(state);
    expect(log.map((e) => [e.seq, e.id, e.revision])).toEqual([[1, '2026-06-02-hegseth-dong-call', 1]]);
    const stored = await desk.book.get(1);
    expect(stored?.status).toBe('approved');
    expect(stored?.decision).toEqual({ by: 'U1', at: NOW.toISOString(), event: '2026-06-02-hegseth-dong-call' });
    expect(stored?.history).toEqual([
      { action: 'approve', by: 'U1', at: NOW.toISOString(), event: '2026-06-02-hegseth-dong-call' },
    ]);
    await expect(desk.approve(1, 'U2')).rejects.toThrow(
      `Draft #1 was approved already by U1 at ${NOW.toISOString()}; nothing was changed.`,
    );
    expect(await readLog(state)).toHaveLength(1);
  });

  it('GIVEN a reject without a reason THEN it is refused; with one THEN the draft is rejected, nothing published', async () => {
    await expect(desk.reject(1, '  ', 'U1')).rejects.toThrow('Give a reason for rejecting the draft.');
    expect((await desk.book.get(1))?.status).toBe('pending');
    const card = await desk.reject(1, 'a duplicate of a readout already on record', 'U1');
    expect(card.blocks.at(-1)).toEqual({
      type: 'text',
      text: `Rejected by U1 at ${NOW.toISOString()}: a duplicate of a readout already on record`,
    });
    expect(await readLog(state)).toEqual([]);
  });

  it('GIVEN an edit the schema refuses THEN it names the field and the reason, and the draft stays as it was', async () => {
    const before = await desk.book.get(1);
    await expect(desk.edit(1, 'level=emperor', 'U1')).rejects.toThrow(
      'Not saved: level: "emperor" is not one of leaders, minister, chief-of-defense, theater-commander, senior-official, working-level. Draft #1 is as it was.',
    );
    await expect(desk.edit(1, 'colour=red', 'U1')).rejects.toThrow(
      'Not saved: colour: is not a field a draft can set; set one of id, date, endDate, kind, status, format, level, location, participants, mechanisms, topics, summary, notes.',
    );
    await expect(desk.edit(1, 'participants=nobody-known', 'U1')).rejects.toThrow(
      'Not saved: participants: "nobody-known" is not a person id in people.yaml',
    );
    expect(await desk.book.get(1)).toEqual(before);
  });

  it('GIVEN a good edit THEN it is saved with who and when, and the card says edited', async () => {
    const card = await desk.edit(1, 'summary=Hegseth and Dong spoke by phone. topics=taiwan', 'U1');
    expect(card.blocks[1]).toEqual({ type: 'text', text: 'Summary: Hegseth and Dong spoke by phone.' });
    expect(card.footer).toBe('Draft #1 · from war.gov releases · 1 item · edited by U1');
    const stored = await desk.book.get(1);
    expect(stored?.edits).toEqual({ summary: 'Hegseth and Dong spoke by phone.', topics: ['taiwan'] });
    expect(stored?.history).toEqual([
      { action: 'edit', by: 'U1', at: NOW.toISOString(), fields: ['summary', 'topics'] },
    ]);
    await desk.approve(1, 'U1');
    const [entry] = await readLog(state);
    expect(entry?.event.summary).toBe('Hegseth and Dong spoke by phone.');
    expect(entry?.event.topics).toEqual(['taiwan']);
  });

  it('GIVEN a merge into an event on record THEN the event gets the draft’s source as a new revision', async () => {
    const target = '2025-09-09-hegseth-dong-video-call';
    await expect(desk.merge(1, 'no-such-event', 'U1')).rejects.toThrow('There is no event no-such-event on record');
    const card = await desk.merge(1, target, 'U1');
    expect(card.title).toBe('Draft #1 (merged): call, 2026-06-02');
    const [entry] = await readLog(state);
    expect(entry?.id).toBe(target);
    expect(entry?.event.sources.at(-1)?.url).toBe(HEGSETH_DONG_CALL.url);
    expect(entry?.event.sources.length).toBe((catalog.byId.get(target)?.sources.length ?? 0) + 1);
    expect((await desk.book.get(1))?.decision?.event).toBe(target);
  });

  it('GIVEN a draft whose id is on record THEN approve refuses and points at merge', async () => {
    await desk.edit(1, 'id=2025-09-09-hegseth-dong-video-call date=2025-09-09', 'U1');
    await expect(desk.approve(1, 'U1')).rejects.toThrow(
      'An event with the id 2025-09-09-hegseth-dong-video-call is on record already: merge the draft into it, or edit the id; nothing was published.',
    );
  });

  it('GIVEN a draft given the id of an event taken out of data/ THEN approve says so, not that the event is on record to merge into', async () => {
    // Before: approve refused with "on record already: merge the draft into it", and merge with "There is no event
    // … on record" (the catalog no longer answers it): each sent the editor to the other.
    const taken = catalog.byId.get('2025-09-09-hegseth-dong-video-call');
    if (!taken) throw new Error('the bundled event is gone');
    await publishCatalog(state, catalog, NOW.toISOString());
    const without: Catalog = {
      ...indexCatalog(
        catalog.events.filter((e) => e.id !== taken.id).map((e) => ({ ...recordOf(e), file: e.file })),
        catalog.people,
        catalog.mechanisms,
        catalog.topics,
        catalog.coverage,
      ),
    };
    const live = await loggedView(state, without);
    expect(live.byId.has(taken.id)).toBe(false);
    const other = draftDesk({ state, catalog: () => live, clock: () => NOW });
    await other.edit(1, `id=${taken.id} date=2025-09-09`, 'U1');
    await expect(other.merge(1, taken.id, 'U1')).rejects.toThrow(`There is no event ${taken.id} on record`);
    await expect(other.approve(1, 'U1')).rejects.toThrow(
      `The id ${taken.id} belonged to an event taken out of the record (data/ no longer has it): give the draft another id; nothing was published.`,
    );
    expect((await desk.book.get(1))?.status).toBe('pending');
  });

  it('GIVEN a draft approved a moment ago (the catalog not yet refreshed) WHEN a second draft with the same id is approved THEN it is refused, not logged as a revision', async () => {
    await desk.approve(1, 'U1');
    // The same contact read again from another feed: the catalog this desk reads does not have the event yet.
    const again = proposalOf({ ...HEGSETH_DONG_CALL, url: `${HEGSETH_DONG_CALL.url}?again` }, catalog);
    expect(await desk.book.propose(again, catalog, NOW.toISOString())).toEqual({ outcome: 'created', id: 2 });
    await expect(desk.approve(2, 'U2')).rejects.toThrow(
      'An event with the id 2026-06-02-hegseth-dong-call is on record already: merge the draft into it, or edit the id; nothing was published.',
    );
    expect((await readLog(state)).map((e) => [e.id, e.revision])).toEqual([['2026-06-02-hegseth-dong-call', 1]]);
    expect((await desk.book.get(2))?.status).toBe('pending');
  });

  it('GIVEN two editors deciding at once (approve on one instance, reject on another) THEN exactly one decision is made', async () => {
    const other = draftDesk({ state, catalog: () => catalog, clock: () => NOW });
    const outcomes = await Promise.allSettled([desk.approve(1, 'U1'), other.reject(1, 'not a contact', 'U2')]);
    const done = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : []));
    expect(done).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(
      /^Draft #1 (is being decided by U[12] \((approve|reject), at .*\)|was (approved|rejected) already by U[12] at .*); nothing was changed\.$/,
    );
    const stored = await desk.book.get(1);
    const log = await readLog(state);
    // The draft's status and the log agree: published if and only if approved.
    expect(log.length).toBe(stored?.status === 'approved' ? 1 : 0);
    expect(['approved', 'rejected']).toContain(stored?.status);
  });

  it('GIVEN a decision claimed by an editor who stopped half-way THEN another may decide a minute later', async () => {
    await state.setIfAbsent('drafts', 'decided:000001', { action: 'approve', by: 'U9', at: NOW.toISOString() });
    await expect(desk.reject(1, 'x', 'U1')).rejects.toThrow(
      `Draft #1 is being decided by U9 (approve, at ${NOW.toISOString()}); nothing was changed.`,
    );
    const later = draftDesk({ state, catalog: () => catalog, clock: () => new Date(NOW.getTime() + 60_000) });
    expect((await later.reject(1, 'not a contact', 'U1')).title).toBe('Draft #1 (rejected): call, 2026-06-02');
  });

  it('GIVEN an approve whose store died after publishing WHEN another editor rejects a minute later THEN the approval is finished, not replaced', async () => {
    // The drafts namespace refuses writes (the store went away) after the claim: the event is published, the
    // draft is not marked approved.
    let dying = true;
    const drafts = new Proxy(state.drafts, {
      get(target, name, receiver) {
        if (name === 'set' && dying) return async () => Promise.reject(new Error('store went away'));
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const broken = new Proxy(state, {
      get: (target, name) => (name === 'drafts' ? drafts : Reflect.get(target, name)),
    });
    const failing = draftDesk({ state: broken, catalog: () => catalog, clock: () => NOW });
    await expect(failing.approve(1, 'U1')).rejects.toThrow('store went away');
    dying = false;
    expect((await readLog(state)).map((e) => e.id)).toEqual(['2026-06-02-hegseth-dong-call']);
    const later = draftDesk({ state, catalog: () => catalog, clock: () => new Date(NOW.getTime() + 60_000) });
    await expect(later.reject(1, 'not a contact', 'U2')).rejects.toThrow(
      `Draft #1 was approved already by U1 at ${NOW.toISOString()}; nothing was changed.`,
    );
    const stored = await desk.book.get(1);
    expect(stored?.status).toBe('approved');
    expect(stored?.decision).toEqual({ by: 'U1', at: NOW.toISOString(), event: '2026-06-02-hegseth-dong-call' });
    expect(await readLog(state)).toHaveLength(1);
  });

  it('GIVEN an approve whose store died before publishing THEN another editor may reject a minute later', async () => {
    const change = { action: 'approve', by: 'U9', at: NOW.toISOString(), event: 'x', hash: 'not-logged' };
    await state.setIfAbsent('drafts', 'decided:000001', change);
    const later = draftDesk({ state, catalog: () => catalog, clock: () => new Date(NOW.getTime() + 60_000) });
    expect((await later.reject(1, 'not a contact', 'U1')).title).toBe('Draft #1 (rejected): call, 2026-06-02');
    expect(await readLog(state)).toHaveLength(0);
  });

  it('GIVEN a decision under way WHEN an editor edits the draft THEN the edit is refused, naming the decider', async () => {
    await state.setIfAbsent('drafts', 'decided:000001', { action: 'approve', by: 'U9', at: NOW.toISOString() });
    const before = await desk.book.get(1);
    await expect(desk.edit(1, 'level=leaders', 'U1')).rejects.toThrow(
      `Draft #1 is being decided by U9 (approve, at ${NOW.toISOString()}); the edit was not saved.`,
    );
    expect(await desk.book.get(1)).toEqual(before);
  });

  /** `state` with `hook` run just before the decision on draft #1 is claimed (setIfAbsent of decided:000001). */
  const beforeClaim = (hook: () => Promise<void>) =>
    new Proxy(state, {
      get(target, name) {
        if (name !== 'setIfAbsent') return Reflect.get(target, name);
        return async (namespace: 'drafts', key: string, value: never) => {
          if (key === 'decided:000001') await hook();
          return target.setIfAbsent(namespace, key, value);
        };
      },
    });

  it('GIVEN an edit landing between approve reading the draft and claiming it THEN approve refuses, naming the edit, and publishes nothing; approving again publishes the edited draft', async () => {
    const racing = draftDesk({
      state: beforeClaim(() => desk.edit(1, 'level=leaders', 'U2').then(() => undefined)),
      catalog: () => catalog,
      clock: () => NOW,
    });
    await expect(racing.approve(1, 'U1')).rejects.toThrow(
      `Draft #1 was edited by U2 at ${NOW.toISOString()} while you were approving it; nothing was published. Look at its card again and approve it as it is now.`,
    );
    expect(await readLog(state)).toEqual([]);
    const stored = await desk.book.get(1);
    expect([stored?.status, stored?.edits?.level]).toEqual(['pending', 'leaders']);
    // The refused approve left no claim behind: the next approve publishes the draft as edited, at once.
    await desk.approve(1, 'U1');
    expect((await readLog(state)).map((e) => [e.id, e.event.level])).toEqual([
      ['2026-06-02-hegseth-dong-call', 'leaders'],
    ]);
  });

  it('GIVEN an edit landing between merge reading the draft and claiming it THEN merge refuses the same way, and publishes nothing', async () => {
    const racing = draftDesk({
      state: beforeClaim(() => desk.edit(1, 'level=leaders', 'U2').then(() => undefined)),
      catalog: () => catalog,
      clock: () => NOW,
    });
    await expect(racing.merge(1, '2025-09-09-hegseth-dong-video-call', 'U1')).rejects.toThrow(
      `Draft #1 was edited by U2 at ${NOW.toISOString()} while you were merging it; nothing was published. Look at its card again and merge it as it is now.`,
    );
    expect(await readLog(state)).toEqual([]);
    expect((await desk.book.get(1))?.status).toBe('pending');
  });

  it('GIVEN an edit that checked for a claim just before approve claimed THEN the edit is written before approve reads again, and approve refuses', async () => {
    // The edit reads "no claim"; approve then reads the draft, claims, and reads it again under the draft's
    // lease, which the edit holds until it has written.
    let approving: Promise<unknown> | undefined;
    const { fired: claimedNow, fire: claimed } = signal();
    const racing = draftDesk({ state: beforeClaim(async () => claimed()), catalog: () => catalog, clock: () => NOW });
    const drafts = new Proxy(state.drafts, {
      get(target, name, receiver) {
        if (name === 'get')
          return async (key: string) => {
            const value = await target.get(key);
            if (key === 'decided:000001' && !approving) {
              approving = racing.approve(1, 'U1').catch((error: Error) => error.message);
              await claimedNow;
            }
            return value;
          };
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const editing = draftDesk({
      state: new Proxy(state, { get: (target, name) => (name === 'drafts' ? drafts : Reflect.get(target, name)) }),
      catalog: () => catalog,
      clock: () => NOW,
    });
    await editing.edit(1, 'level=leaders', 'U2');
    expect(await approving).toBe(
      `Draft #1 was edited by U2 at ${NOW.toISOString()} while you were approving it; nothing was published. Look at its card again and approve it as it is now.`,
    );
    expect(await readLog(state)).toEqual([]);
    expect((await desk.book.get(1))?.edits?.level).toBe('leaders');
  });

  it('GIVEN a feed item about the same contact filed while approve publishes (after its read under the lease) THEN it does not join the decided draft: it is a draft of its own', async () => {
    // Before: the item joined draft #1 after approve's last read, so the draft was marked approved with an item
    // whose source the published event does not cite, and the item, remembered as filed, was never seen again.
    const again = proposalOf({ ...HEGSETH_DONG_CALL, url: `${HEGSETH_DONG_CALL.url}?again` }, catalog);
    let filed: Promise<unknown> | undefined;
    const publishing = new Proxy(state, {
      get(target, name) {
        if (name !== 'setIfAbsent') return Reflect.get(target, name);
        return async (namespace: 'drafts' | 'events', key: string, value: never) => {
          if (namespace === 'events' && !filed) {
            filed = desk.book.propose(again, catalog, NOW.toISOString());
            await filed;
          }
          return target.setIfAbsent(namespace, key, value);
        };
      },
    });
    const approving = draftDesk({ state: publishing, catalog: () => catalog, clock: () => NOW });
    await approving.approve(1, 'U1');
    expect(await filed).toEqual({ outcome: 'created', id: 2 });
    const [one, two] = [await desk.book.get(1), await desk.book.get(2)];
    expect([one?.status, one?.items.map((i) => i.url)]).toEqual(['approved', [HEGSETH_DONG_CALL.url]]);
    expect([two?.status, two?.items.map((i) => i.url)]).toEqual(['pending', [again.item.url]]);
    expect((await readLog(state)).flatMap((e) => e.event.sources.map((s) => s.url))).toEqual([HEGSETH_DONG_CALL.url]);
  });

  /** A second pending draft like #1 but citing `url`: the same contact reported at another address. */
  const secondDraft = async (url: string) => {
    const one = await desk.book.get(1);
    if (!one) throw new Error('draft #1 is filed in beforeEach');
    const { decision: _decision, history: _history, ...filed } = one;
    const sources = one.draft.sources.map((s) => ({ ...s, url }));
    const second = { ...filed, id: 2, status: 'pending', draft: { ...one.draft, sources } };
    await state.setIfAbsent('drafts', 'draft:000002', second as never);
  };
  /** The sources' URLs of the latest logged revision of `id`. */
  const latestSources = async (id: string) =>
    (await readLog(state))
      .filter((e) => e.id === id)
      .at(-1)
      ?.event.sources.map((s) => s.url);

  it('GIVEN two drafts merged one after the other into the same event, the catalog not yet refreshed THEN the second revision keeps the first one’s source', async () => {
    // Before: the second merge built its revision from the catalog's (stale) record, and the revision the first
    // merge published, with its source, was replaced by one without it.
    const target = '2025-09-09-hegseth-dong-video-call';
    const cited = catalog.byId.get(target)?.sources.map((s) => s.url) ?? [];
    await secondDraft('https://www.mnd.test/readout-again');
    await desk.merge(1, target, 'U1');
    await desk.merge(2, target, 'U2');
    expect(await latestSources(target)).toEqual([
      ...cited,
      HEGSETH_DONG_CALL.url,
      'https://www.mnd.test/readout-again',
    ]);
    expect((await readLog(state)).map((e) => [e.id, e.revision])).toEqual([
      [target, 1],
      [target, 2],
    ]);
  });

  it('GIVEN two drafts merged into the same event at the same moment (two editors, two instances) THEN the last revision cites both', async () => {
    const target = '2025-09-09-hegseth-dong-video-call';
    const cited = catalog.byId.get(target)?.sources.map((s) => s.url) ?? [];
    await secondDraft('https://www.mnd.test/readout-again');
    const other = draftDesk({ state, catalog: () => catalog, clock: () => NOW });
    await Promise.all([desk.merge(1, target, 'U1'), other.merge(2, target, 'U2')]);
    expect(new Set(await latestSources(target))).toEqual(
      new Set([...cited, HEGSETH_DONG_CALL.url, 'https://www.mnd.test/readout-again']),
    );
  });

  it('GIVEN two drafts of the same event approved at the same moment (two editors, two instances) THEN one is published and the other refused, pointing at merge', async () => {
    // Before: both found the id free in the catalog and the log, and the second was logged as revision 2 of
    // the first: one draft's event replaced by the other's.
    await secondDraft('https://www.mnd.test/readout-again');
    const other = draftDesk({ state, catalog: () => catalog, clock: () => NOW });
    const outcomes = await Promise.allSettled([desk.approve(1, 'U1'), other.approve(2, 'U2')]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as Error).message] : []))).toEqual([
      'An event with the id 2026-06-02-hegseth-dong-call is on record already: merge the draft into it, or edit the id; nothing was published.',
    ]);
    expect((await readLog(state)).map((e) => [e.id, e.revision])).toEqual([['2026-06-02-hegseth-dong-call', 1]]);
    const statuses = [(await desk.book.get(1))?.status, (await desk.book.get(2))?.status].sort();
    expect(statuses).toEqual(['approved', 'pending']);
  });

  it('GIVEN one draft approved twice at once, or merged twice at once (a double press) THEN the second is told it was decided, not to merge it', async () => {
    const other = draftDesk({ state, catalog: () => catalog, clock: () => NOW });
    const refusal = async (decisions: Promise<unknown>[]) =>
      (await Promise.allSettled(decisions)).flatMap((o) =>
        o.status === 'rejected' ? [(o.reason as Error).message] : [],
      );
    const decided =
      /^Draft #[12] (is being decided by U[12] \((approve|merge), at .*\)|was (approved|merged) already by U[12] at .*); nothing was changed\.$/;
    const approvals = await refusal([desk.approve(1, 'U1'), other.approve(1, 'U2')]);
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatch(decided);
    await secondDraft('https://www.mnd.test/readout-again');
    const target = '2025-09-09-hegseth-dong-video-call';
    const merges = await refusal([desk.merge(2, target, 'U1'), other.merge(2, target, 'U2')]);
    expect(merges).toHaveLength(1);
    expect(merges[0]).toMatch(decided);
  });

  it('lists pending drafts, one line each, and says so when there are none', async () => {
    const list = await desk.list();
    expect(list.blocks).toEqual([
      {
        type: 'list',
        items: [`#1 2026-06-02 · call · minister · Pete Hegseth, Dong Jun — ${HEGSETH_DONG_CALL.title}`],
      },
    ]);
    await desk.reject(1, 'test', 'U1');
    expect((await desk.list()).fallbackText).toBe('No pending drafts.');
    expect((await desk.list('rejected')).title).toBe('Drafts rejected: 1');
  });
});

describe('a desk made on first use (lazyDraftDesk: the console makes its desk at the first /drafts)', () => {
  it('is not made until a step is asked for; a load that failed is tried again at the next step', async () => {
    const state = await openState('sqlite::memory:');
    try {
      let loads = 0;
      const desk = lazyDraftDesk(async () => {
        loads += 1;
        if (loads === 1) throw new Error('the desk could not be loaded');
        return draftDesk({ state, catalog: () => catalog, clock: () => NOW });
      });
      expect(loads).toBe(0);
      await expect(desk.list()).rejects.toThrow('the desk could not be loaded');
      const list = await desk.list();
      expect(list.title).toBe('Drafts pending: 0');
      await desk.list('approved');
      expect(loads).toBe(2);
    } finally {
      await state.close();
    }
  });

  it('steps asked at once share one load, and a failed load fails them all once', async () => {
    const state = await openState('sqlite::memory:');
    try {
      let loads = 0;
      const { fired: opened, fire: open } = signal();
      const desk = lazyDraftDesk(async () => {
        loads += 1;
        await opened;
        if (loads === 1) throw new Error('the desk could not be loaded');
        return draftDesk({ state, catalog: () => catalog, clock: () => NOW });
      });
      const failed = [desk.list(), desk.show(1)].map((step) => step.then(String, (e: Error) => e.message));
      open();
      expect(await Promise.all(failed)).toEqual(['the desk could not be loaded', 'the desk could not be loaded']);
      expect(loads).toBe(1);
      const lists = await Promise.all([desk.list(), desk.list('approved')]);
      expect(lists.map((l) => l.title)).toEqual(['Drafts pending: 0', 'Drafts approved: 0']);
      expect(loads).toBe(2);
    } finally {
      await state.close();
    }
  });

  it('the console loads the desk only at its first /drafts, which answers', async () => {
    const watched = 'src\\/drafts\\/desk\\.';
    const env = { HOTLINE_DATA: FIXTURE_DIR };
    const without = await runTracingLoads(watched, ['start'], { env, input: '/lastcontact\n' });
    expect(without.code).toBe(0);
    expect(without.stderr).not.toContain('LOADED');
    const drafts = await runTracingLoads(watched, ['start'], { env, input: '/drafts\n/drafts list status:approved\n' });
    expect(drafts.code).toBe(0);
    expect(drafts.stderr).toContain('LOADED');
    expect(drafts.stdout).toContain('Drafts pending: 0');
    expect(drafts.stdout).toContain('Drafts approved: 0');
  });
});
