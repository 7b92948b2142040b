// The card job against a store that fails at one of its writes: node bin/run-ts.js bench/attack/cards-fault-probe.ts
// For each write k the job makes (setIfAbsent of an intent, set of a record, delete of a refused post's intent,
// set after an update), a run where the k-th write throws once, before it is done ("lost") or after ("landed",
// the reply lost). Each run: two drafts, rounds with the clock moved past CARD_RETRY_MS, draft #1 rejected, more
// rounds. Prints, per run, the posts that went through per draft and whether both cards end recorded and drawn as decided.
import type { Poster, PostResult } from '../../src/core/poster.js';
import type { Reply } from '../../src/core/reply.js';
import { CARD_RETRY_MS, DraftCards, postedCard } from '../../src/drafts/cards.js';
import { draftDesk } from '../../src/drafts/desk.js';
import { openState, type State } from '../../src/state/index.js';
import { HEGSETH_DONG_CALL, proposalOf } from '../../tests/drafts/fixtures.js';
import { bundled } from '../../tests/helpers.js';

const catalog = bundled();

class CountingPoster implements Poster {
  /** The posts that went through (a refused one shows nothing). */
  posts: string[] = [];
  updates: string[] = [];
  refuseFirst = false;
  async post(_channel: string, reply: Reply): Promise<PostResult> {
    if (this.refuseFirst) {
      this.refuseFirst = false;
      return { ok: false, failure: { kind: 'transient', detail: '502' } };
    }
    this.posts.push(reply.title);
    return { ok: true, messageId: `m${this.posts.length}` };
  }
  async update(_c: string, message: string, reply: Reply): Promise<PostResult> {
    this.updates.push(`${message}: ${reply.title}`);
    return { ok: true, messageId: message };
  }
  async direct(): Promise<PostResult> {
    throw new Error('not used');
  }
}

/** `state` whose `k`-th write in the drafts namespace throws once, `landed` after doing it. */
function faulty(state: State, k: number, landed: boolean): { state: State; writes: string[] } {
  const writes: string[] = [];
  let n = 0;
  const fail = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    n += 1;
    writes.push(what);
    if (n !== k) return run();
    if (landed) await run();
    throw new Error(`store failed at write ${k} (${what})`);
  };
  const drafts = new Proxy(state.drafts, {
    get(target, name, receiver) {
      if (name === 'set') return (key: string, v: never) => fail(`set ${key}`, () => target.set(key, v));
      if (name === 'delete') return (key: string) => fail(`delete ${key}`, () => target.delete(key));
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const wrapped = new Proxy(state, {
    get(target, name) {
      if (name === 'drafts') return drafts;
      if (name === 'setIfAbsent')
        return (ns: 'drafts', key: string, v: never) =>
          fail(`setIfAbsent ${key}`, () => target.setIfAbsent(ns, key, v));
      return Reflect.get(target, name);
    },
  });
  return { state: wrapped, writes };
}

async function run(k: number, landed: boolean, refuseFirst: boolean) {
  const state = await openState('sqlite::memory:');
  let now = Date.parse('2026-06-02T12:00:00.000Z');
  const desk = draftDesk({ state, catalog: () => catalog, clock: () => new Date(now) });
  const poster = new CountingPoster();
  poster.refuseFirst = refuseFirst;
  const broken = faulty(state, k, landed);
  const errors: string[] = [];
  const job = new DraftCards({
    state: broken.state,
    book: desk.book,
    card: desk.card,
    platform: 'slack',
    channel: 'CED',
    poster,
    clock: () => now,
  });
  const step = async () => {
    try {
      await job.step();
    } catch (error) {
      errors.push((error as Error).message);
    }
  };
  for (const [url, day] of [
    ['https://www.war.test/a', '2026-05-01'],
    ['https://www.war.test/b', '2026-06-02'],
  ] as const) {
    await desk.book.propose(
      proposalOf({ ...HEGSETH_DONG_CALL, url, published: day, summary: '' }, catalog),
      catalog,
      new Date(now).toISOString(),
    );
  }
  for (let i = 0; i < 3; i++) {
    await step();
    await step();
    now += CARD_RETRY_MS + 1000;
  }
  await desk.reject(1, 'not a contact', 'cli');
  for (let i = 0; i < 3; i++) {
    await step();
    now += CARD_RETRY_MS + 1000;
  }
  const perDraft = [1, 2].map((id) => poster.posts.filter((t) => t.startsWith(`Draft #${id} `)).length);
  const cards = [await postedCard(state, 'slack', 1), await postedCard(state, 'slack', 2)];
  const drawn = (await desk.book.get(1))?.updatedAt === cards[0]?.shows;
  await state.close();
  return { perDraft, recorded: cards.every(Boolean), drawn, errors, writes: broken.writes.length };
}

const baseline = await run(0, false, false);
console.log('no fault:', JSON.stringify(baseline));
for (const refuseFirst of [false, true]) {
  const total = (await run(0, false, refuseFirst)).writes;
  for (let k = 1; k <= total; k++) {
    for (const landed of [false, true]) {
      const r = await run(k, landed, refuseFirst);
      const bad = r.perDraft.some((p) => p !== 1) || !r.recorded || !r.drawn;
      const attempts = refuseFirst ? ' (first post refused)' : '';
      console.log(
        `${bad ? 'CHECK' : 'ok   '} write ${k} ${landed ? 'landed' : 'lost  '}${attempts}: posts per draft ${r.perDraft.join('/')}, recorded ${r.recorded}, drawn ${r.drawn}; ${r.errors[0] ?? ''}`,
      );
    }
  }
}
