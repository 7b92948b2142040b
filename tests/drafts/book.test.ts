// The drafts book (issue 15): an item becomes a draft once, items about one contact join one draft, an item
// about a contact on record becomes a suggestion to add its source, and numbers are claimed once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectContact, type FeedItem } from '../../src/core/detect/index.js';
import { type DraftBook, decisionKey, draftBook, draftNumber } from '../../src/drafts/book.js';
import { openState, type State } from '../../src/state/index.js';
import { bundled } from '../helpers.js';

const catalog = bundled();
const NOW = '2026-06-02T12:00:00.000Z';

/** Synthetic items in the shape of the DoD and MND readouts of the record; not real releases. */
const US_READOUT: FeedItem = {
  title:
    "Readout of Secretary of War Pete Hegseth's Call With People's Republic of China Minister of National Defense Adm. Dong Jun",
  summary:
    "Secretary of War Pete Hegseth spoke by phone today with People's Republic of China Minister of National Defense Adm. Dong Jun.",
  published: '2026-06-02',
  url: 'http://127.0.0.1:8080/news/releases/readout-hegseth-dong',
  publisher: 'U.S. Department of War',
  side: 'US',
  language: 'en',
};
const PRC_READOUT: FeedItem = {
  title: '董军同美国战争部长赫格塞思通电话',
  summary: '6月2日，国防部长董军应约同美国战争部长赫格塞思通电话。',
  published: '2026-06-02',
  url: 'http://127.0.0.1:8080/mnd/20260602/call.html',
  publisher: '中华人民共和国国防部',
  side: 'PRC',
  language: 'zh',
};

function proposal(item: FeedItem, feed = 'test feed') {
  const detection = detectContact(item, catalog);
  if (!detection.draft) throw new Error(`not a contact: ${detection.reasons.join('; ')}`);
  return {
    draft: detection.draft,
    reasons: detection.reasons,
    item: { feed, title: item.title, url: item.url, published: item.published, seenAt: NOW },
  };
}

describe('draftBook', () => {
  let state: State;
  let book: DraftBook;
  beforeEach(async () => {
    state = await openState('sqlite::memory:');
    book = draftBook(state);
  });
  afterEach(() => state.close());

  it('never writes over a decision made while an item was joining the draft (the review found a blind write)', async () => {
    await book.propose(proposal(US_READOUT), catalog, NOW);
    // An editor rejects draft 1 just after propose() has read the pending drafts, before it writes the join.
    const drafts = state.drafts as { getMany: (keys: string[]) => Promise<unknown[]> };
    const getMany = drafts.getMany.bind(drafts);
    let armed = true;
    drafts.getMany = async (keys) => {
      const read = await getMany(keys);
      if (armed) {
        armed = false;
        const current = await book.get(1);
        await state.drafts.set('draft:000001', { ...current, status: 'rejected' } as never);
      }
      return read;
    };
    const outcome = await book.propose(proposal(PRC_READOUT), catalog, NOW);
    expect((await book.get(1))?.status).toBe('rejected');
    expect((await book.get(1))?.items.map((i) => i.url)).toEqual([US_READOUT.url]);
    expect(outcome).toEqual({ outcome: 'created', id: 2 });
  });

  it('files a new contact as draft 1, pending, with the item', async () => {
    expect(await book.propose(proposal(US_READOUT), catalog, NOW)).toEqual({ outcome: 'created', id: 1 });
    const stored = await book.get(1);
    expect(stored?.status).toBe('pending');
    expect(stored?.draft.kind).toBe('call');
    expect(stored?.items.map((i) => i.url)).toEqual([US_READOUT.url]);
    expect(stored?.match).toBeUndefined();
  });

  it('changes nothing when the same item is proposed again', async () => {
    await book.propose(proposal(US_READOUT), catalog, NOW);
    expect(await book.propose(proposal(US_READOUT), catalog, NOW)).toEqual({ outcome: 'seen', id: 1 });
    expect((await book.list()).length).toBe(1);
  });

  it("joins the other side's readout of the same call to the same draft, with both sources", async () => {
    await book.propose(proposal(US_READOUT), catalog, NOW);
    const joined = await book.propose(proposal(PRC_READOUT, 'mnd'), catalog, NOW);
    expect(joined).toEqual({ outcome: 'joined', id: 1 });
    const stored = await book.get(1);
    expect(stored?.items.map((i) => i.feed)).toEqual(['test feed', 'mnd']);
    expect(stored?.draft.sources.map((s) => s.url).sort()).toEqual([PRC_READOUT.url, US_READOUT.url].sort());
  });

  it('an item joins past a claim left by a decider that stopped over a minute ago, not past a live one (any claim kept items out for good)', async () => {
    await book.propose(proposal(US_READOUT), catalog, NOW);
    // A live claim (an approve under way): the other side's readout is a draft of its own.
    await state.drafts.set(decisionKey(1), { action: 'approve', by: 'U1', at: NOW });
    expect(await book.propose(proposal(PRC_READOUT, 'mnd'), catalog, NOW)).toEqual({ outcome: 'created', id: 2 });
    // The same claim two minutes on, its decider gone: an item about the call joins draft 1 again.
    const later = '2026-06-02T12:02:00.000Z';
    const another = { ...PRC_READOUT, url: 'http://127.0.0.1:8080/mnd/20260602/call-2.html' };
    expect(await book.propose(proposal(another, 'mnd'), catalog, later)).toEqual({ outcome: 'joined', id: 1 });
  });

  it('suggests adding a source to an event on record, and nothing when the event cites it already', async () => {
    const onRecord = catalog.events.find((e) => e.kind === 'call' && e.level === 'minister' && e.start >= '2024-01-01');
    if (!onRecord) throw new Error('the bundled data has no minister-level call since 2024');
    const cited = onRecord.sources[0];
    const p = proposal(US_READOUT);
    const first = p.draft.sources[0];
    if (!first) throw new Error('the draft has no source');
    const draft = { ...p.draft, date: onRecord.start, participants: onRecord.participants.map((x) => ({ ...x })) };
    const fresh = { ...p, draft: { ...draft, sources: [{ ...first, url: 'http://127.0.0.1/new' }] } };
    const created = await book.propose(
      { ...fresh, item: { ...fresh.item, url: 'http://127.0.0.1/new' } },
      catalog,
      NOW,
    );
    expect(created.outcome).toBe('created');
    const stored = await book.get((created as { id: number }).id);
    expect(stored?.match?.event).toBe(onRecord.id);
    expect(stored?.match?.sources.map((s) => s.url)).toEqual(['http://127.0.0.1/new']);
    const already = { ...p, draft: { ...draft, sources: [{ ...first, url: cited?.url ?? '' }] } };
    expect(await book.propose({ ...already, item: { ...already.item, url: cited?.url ?? '' } }, catalog, NOW)).toEqual({
      outcome: 'cited',
      event: onRecord.id,
    });
  });

  it('never gives two drafts one number when two books propose at once', async () => {
    const other = draftBook(state);
    const a = proposal(US_READOUT);
    const b = proposal({ ...US_READOUT, url: 'http://127.0.0.1/other', published: '2026-03-01', summary: '' });
    const results = await Promise.all([book.propose(a, catalog, NOW), other.propose(b, catalog, NOW)]);
    const ids = results.map((r) => (r as { id: number }).id).sort();
    expect(ids).toEqual([1, 2]);
  });

  it('update writes what the change returns, and leaves the draft when it returns nothing', async () => {
    await book.propose(proposal(US_READOUT), catalog, NOW);
    expect(await book.update(1, () => undefined)).toBeUndefined();
    expect((await book.get(1))?.status).toBe('pending');
    const rejected = await book.update(1, (d) => ({
      ...d,
      status: 'rejected',
      decision: { by: 'ed', at: NOW, reason: 'x' },
    }));
    expect(rejected?.status).toBe('rejected');
    expect((await book.list('pending')).length).toBe(0);
    expect(await book.update(99, (d) => d)).toBeUndefined();
  });
});

describe('draftNumber', () => {
  it('reads 12, #12 and d12, and nothing else', () => {
    expect(['12', '#12', 'd12', 'D12', ' 7 '].map(draftNumber)).toEqual([12, 12, 12, 12, 7]);
    expect(['0', '-1', '1.5', 'abc', '', '1234567', '12 13'].map(draftNumber)).toEqual(Array(7).fill(undefined));
  });
});
