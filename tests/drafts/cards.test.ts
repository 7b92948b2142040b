// The card job (issue 15): each pending draft's card is posted once into the editors' channel, drawn again when
// the draft is decided or changed elsewhere, and a platform's refusal is retried later without holding others up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Poster, PostFailure, PostResult } from '../../src/core/poster.js';
import type { Reply } from '../../src/core/reply.js';
import { CARD_RETRY_MS, DraftCards, postedCard } from '../../src/drafts/cards.js';
import { draftDesk, type ReviewDesk } from '../../src/drafts/desk.js';
import { openState, type State } from '../../src/state/index.js';
import { bundled } from '../helpers.js';
import { HEGSETH_DONG_CALL, proposalOf } from './fixtures.js';

const catalog = bundled();

/** A poster that records what it was asked and fails while `failing` is set. */
class RecordingPoster implements Poster {
  readonly calls: string[] = [];
  failing: PostFailure | undefined;
  private n = 0;
  async post(channel: string, reply: Reply): Promise<PostResult> {
    this.calls.push(
      `post ${channel}: ${reply.title}${reply.actions ? ` [${reply.actions.map((a) => a.label).join(', ')}]` : ''}`,
    );
    if (this.failing) return { ok: false, failure: this.failing };
    this.n += 1;
    return { ok: true, messageId: `m${this.n}` };
  }
  async update(channel: string, message: string, reply: Reply): Promise<PostResult> {
    this.calls.push(`update ${channel} ${message}: ${reply.title}${reply.actions ? ' [buttons]' : ''}`);
    if (this.failing) return { ok: false, failure: this.failing };
    return { ok: true, messageId: message };
  }
  async direct(): Promise<PostResult> {
    throw new Error('not used');
  }
}

describe('DraftCards', () => {
  let state: State;
  let desk: ReviewDesk;
  let poster: RecordingPoster;
  let now: number;
  let logged: string[];
  let job: DraftCards;
  beforeEach(async () => {
    state = await openState('sqlite::memory:');
    now = Date.parse('2026-06-02T12:00:00.000Z');
    desk = draftDesk({ state, catalog: () => catalog, clock: () => new Date(now) });
    poster = new RecordingPoster();
    logged = [];
    job = new DraftCards({
      state,
      book: desk.book,
      card: desk.card,
      platform: 'slack',
      channel: 'CED',
      poster,
      log: (level, message) => logged.push(`${level}: ${message}`),
      clock: () => now,
    });
  });
  afterEach(() => state.close());

  const propose = (url: string, published: string) =>
    desk.book.propose(
      proposalOf({ ...HEGSETH_DONG_CALL, url, published, summary: '' }, catalog),
      catalog,
      new Date(now).toISOString(),
    );

  it('GIVEN a new draft THEN its card is posted once, with the four buttons, and recorded', async () => {
    await propose('https://www.war.test/a', '2026-06-02');
    await job.step();
    await job.step();
    expect(poster.calls).toEqual(['post CED: Draft #1 (pending): call, 2026-06-02 [Approve, Edit, Merge, Reject]']);
    expect(await postedCard(state, 'slack', 1)).toEqual({
      channel: 'CED',
      message: 'm1',
      shows: new Date(now).toISOString(),
    });
  });

  it('GIVEN a draft decided elsewhere THEN its card is drawn again, without buttons, once', async () => {
    await propose('https://www.war.test/a', '2026-06-02');
    await job.step();
    now += 1000;
    await desk.reject(1, 'not a contact', 'cli-user');
    await job.step();
    await job.step();
    expect(poster.calls.slice(1)).toEqual(['update CED m1: Draft #1 (rejected): call, 2026-06-02']);
  });

  it('GIVEN a channel that refuses THEN it is logged and tried again only after the wait; a failed update holds no new card back', async () => {
    poster.failing = { kind: 'forbidden', detail: 'not_in_channel' };
    await propose('https://www.war.test/a', '2026-06-02');
    await job.step();
    await job.step();
    expect(poster.calls).toHaveLength(1);
    expect(logged).toEqual([
      "warn: draft #1: its card could not be posted to the slack editors' channel CED (forbidden: not_in_channel); trying again later",
    ]);
    expect(await postedCard(state, 'slack', 1)).toBeUndefined();
    poster.failing = undefined;
    now += CARD_RETRY_MS;
    await job.step();
    expect(poster.calls.at(-1)).toBe('post CED: Draft #1 (pending): call, 2026-06-02 [Approve, Edit, Merge, Reject]');

    // The first card cannot be updated (a transient failure); a second draft's card is still posted at once.
    await desk.reject(1, 'not a contact', 'cli-user');
    poster.failing = { kind: 'transient', detail: '502' };
    await job.step();
    poster.failing = undefined;
    await propose('https://www.war.test/b', '2026-03-01');
    await job.step();
    expect(poster.calls.slice(2)).toEqual([
      'update CED m1: Draft #1 (rejected): call, 2026-06-02',
      'post CED: Draft #2 (pending): call, 2026-03-01 [Approve, Edit, Merge, Reject]',
    ]);
    now += CARD_RETRY_MS;
    await job.step();
    expect(poster.calls.at(-1)).toBe('update CED m1: Draft #1 (rejected): call, 2026-06-02');
  });

  /** `state` whose writes of card records (`drafts.set` of card:…) fail while `failing` is set: a store outage. */
  const failingCardWrites = () => {
    const outage = { failing: true };
    const drafts = new Proxy(state.drafts, {
      get(target, name, receiver) {
        if (name === 'set')
          return async (key: string, value: never) => {
            if (outage.failing && key.startsWith('card:')) throw new Error('store went away');
            return target.set(key, value);
          };
        const value = Reflect.get(target, name, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const faulty = new Proxy(state, {
      get: (target, name) => (name === 'drafts' ? drafts : Reflect.get(target, name)),
    });
    const faultyJob = new DraftCards({
      state: faulty,
      book: desk.book,
      card: desk.card,
      platform: 'slack',
      channel: 'CED',
      poster,
      clock: () => now,
    });
    return { outage, job: faultyJob };
  };

  it('GIVEN the store failing the card record after the post THEN the card is not posted again: the record is written when the store is back', async () => {
    await propose('https://www.war.test/a', '2026-06-02');
    const { outage, job: faultyJob } = failingCardWrites();
    await expect(faultyJob.step()).rejects.toThrow('store went away');
    await expect(faultyJob.step()).rejects.toThrow('store went away');
    now += 10 * CARD_RETRY_MS;
    await expect(faultyJob.step()).rejects.toThrow('store went away');
    outage.failing = false;
    await faultyJob.step();
    await faultyJob.step();
    expect(poster.calls).toEqual(['post CED: Draft #1 (pending): call, 2026-06-02 [Approve, Edit, Merge, Reject]']);
    expect(await postedCard(state, 'slack', 1)).toEqual({
      channel: 'CED',
      message: 'm1',
      shows: '2026-06-02T12:00:00.000Z',
    });
  });

  it('GIVEN the store failing the intent before the post THEN nothing is posted until the store is back, then once', async () => {
    await propose('https://www.war.test/a', '2026-06-02');
    const setIfAbsent = state.setIfAbsent;
    state.setIfAbsent = async () => {
      throw new Error('store went away');
    };
    await expect(job.step()).rejects.toThrow('store went away');
    expect(poster.calls).toEqual([]);
    state.setIfAbsent = setIfAbsent;
    await job.step();
    await job.step();
    expect(poster.calls).toHaveLength(1);
  });

  it('GIVEN a card intent left by an instance that stopped between its post and its record THEN it is posted again once, only after CARD_RETRY_MS', async () => {
    await propose('https://www.war.test/a', '2026-06-02');
    // The other instance wrote its intent, posted (or not: nobody knows) and died.
    await state.setIfAbsent('drafts', 'card:slack:000001', { channel: 'CED', since: now, attempt: 1 });
    await job.step();
    expect(poster.calls).toEqual([]);
    expect(await postedCard(state, 'slack', 1)).toBeUndefined();
    now += CARD_RETRY_MS;
    await job.step();
    await job.step();
    expect(poster.calls).toEqual(['post CED: Draft #1 (pending): call, 2026-06-02 [Approve, Edit, Merge, Reject]']);
    expect(await postedCard(state, 'slack', 1)).toEqual({
      channel: 'CED',
      message: 'm1',
      shows: '2026-06-02T12:00:00.000Z',
    });
    expect(logged).toEqual([
      'warn: draft #1: a card post begun at 2026-06-02T12:00:00.000Z was never recorded (the poster stopped); posting it again, which may show it twice in CED',
    ]);
  });

  it('GIVEN a card intent whose draft was decided meanwhile THEN no card is posted', async () => {
    await propose('https://www.war.test/a', '2026-06-02');
    await state.setIfAbsent('drafts', 'card:slack:000001', { channel: 'CED', since: now, attempt: 1 });
    await desk.reject(1, 'not a contact', 'cli-user');
    now += CARD_RETRY_MS;
    await job.step();
    expect(poster.calls).toEqual([]);
  });
});
