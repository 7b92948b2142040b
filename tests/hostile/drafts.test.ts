// Attacks on the review of drafts in chat, through the real discord.js client on the fake gateway: forged button
// and modal values (another action, another draft, fields the form never had, fields past their limits), presses
// from where no editor is, and double presses. Each must answer privately and change nothing it was not asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDiscord, startDiscord } from '../../src/adapters/discord/index.js';
import { DiscordPoster, discordRest } from '../../src/adapters/discord/poster.js';
import { EPHEMERAL } from '../../src/adapters/discord/render.js';
import { readLog } from '../../src/events/log.js';
import { type Service, startService } from '../../src/service.js';
import { draftsOf, frontEndDeps, HEGSETH_DONG_CALL, proposalOf } from '../drafts/fixtures.js';
import { type Callback, CHANNEL, type FakeDiscord, startFakeDiscord } from '../fakes/discord.js';
import { bundled } from '../helpers.js';

const catalog = bundled();
let fake: FakeDiscord;
let discord: RunningDiscord;
let service: Service;

beforeAll(async () => {
  fake = await startFakeDiscord();
  service = await startService({
    stateUrl: 'sqlite::memory:',
    catalog,
    posters: { discord: new DiscordPoster(discordRest('test-token', { apiUrl: fake.apiUrl, retries: 0 })) },
    editors: { discord: CHANNEL },
    idleMs: 20,
    refreshMs: 50,
  });
  const deps = frontEndDeps(service);
  discord = await startDiscord(
    {
      token: 'test-token',
      apiUrl: fake.apiUrl,
      retries: 0,
      logLevel: 'error',
      editors: { channel: CHANNEL, users: [] },
    },
    deps,
  );
  for (const [n, published] of [
    [1, '2026-01-01'],
    [2, '2026-02-01'],
    [3, '2026-03-01'],
  ] as const) {
    const item = {
      ...HEGSETH_DONG_CALL,
      url: `https://www.war.test/News/Releases/attack-${n}`,
      published,
      summary: '',
    };
    await draftsOf(service).propose(proposalOf(item, catalog), catalog, '2026-06-02T12:00:00.000Z');
  }
});

afterAll(async () => {
  await discord?.stop();
  await service?.stop();
  await fake?.close();
});

const text = (callback: Callback) => JSON.stringify(callback.data.embeds);
const ephemeral = (callback: Callback) => (Number(callback.data.flags ?? 0) & EPHEMERAL) !== 0;
/** The log entries of the drafts' events (the log holds the catalog's events besides). */
const drafted = async () =>
  (await readLog(service.state, 0, 10_000)).filter((e) => /^2026-0[1-3]-01-hegseth-dong-call$/.test(e.id));
const status = async (id: number) => (await draftsOf(service).get(id))?.status;

describe('forged and hostile presses on draft cards (Discord)', () => {
  it('GIVEN a Reject button forged to run in place without its form THEN the reason is asked for and nothing changes', async () => {
    const answer = await fake.callbackFor(fake.press('h1:p:/drafts reject 1'));
    expect(ephemeral(answer)).toBe(true);
    expect(text(answer)).toContain('Give a reason: why this draft is not an event to publish.');
    expect(await status(1)).toBe('pending');
  });

  it('GIVEN an Approve forged as a form button THEN no form opens and nothing changes', async () => {
    const answer = await fake.callbackFor(fake.press('h1:f:/drafts approve 1'));
    expect(ephemeral(answer)).toBe(true);
    expect(text(answer)).toContain('/drafts approve asks nothing more; run it as it is.');
    expect(await status(1)).toBe('pending');
  });

  it('GIVEN a Reject form submitted with forged fields naming another action and draft THEN only the line’s draft and action count', async () => {
    const answer = await fake.callbackFor(
      fake.submit('h1:f:/drafts reject 1', { reason: 'not a contact', action: 'approve', draft: '2', event: 'x' }),
    );
    expect(text(answer)).toContain('Draft #1 (rejected)');
    expect(await status(1)).toBe('rejected');
    expect(await status(2)).toBe('pending');
    expect(await drafted()).toEqual([]);
  });

  it('GIVEN a reason and changes past their limits THEN each is refused privately and the draft stays as it was', async () => {
    const before = await draftsOf(service).get(2);
    const long = await fake.callbackFor(fake.submit('h1:f:/drafts reject 2', { reason: 'x'.repeat(3_000) }));
    expect(ephemeral(long)).toBe(true);
    expect(text(long)).toContain('The reason is 3000 characters; keep it to 500.');
    const huge = await fake.callbackFor(
      fake.submit('h1:f:/drafts edit 2', { changes: `summary=${'y'.repeat(3_500)}` }),
    );
    expect(ephemeral(huge)).toBe(true);
    expect(text(huge)).toContain('keep them to 3000');
    expect(await draftsOf(service).get(2)).toEqual(before);
  });

  it('GIVEN a button value that is not Hotline’s, or too long THEN it is refused as unreadable and nothing changes', async () => {
    for (const value of [
      'h2:p:/drafts approve 2',
      'h1:p:/drafts approve 2\n/drafts approve 3',
      `h1:p:/drafts approve 2 ${'x'.repeat(2_100)}`,
    ]) {
      const answer = await fake.callbackFor(fake.press(value));
      expect(ephemeral(answer)).toBe(true);
      expect(text(answer)).toMatch(/can no longer read|is not a draft number|characters/);
    }
    expect(await status(2)).toBe('pending');
    expect(await status(3)).toBe('pending');
  });

  it('GIVEN Approve pressed twice at once, and Approve with Reject THEN exactly one decision is made and published once', async () => {
    const [a, b] = await Promise.all([
      fake.callbackFor(fake.press('h1:p:/drafts approve 2')),
      fake.callbackFor(fake.press('h1:p:/drafts approve 2')),
    ]);
    const texts = [text(a), text(b)];
    expect(texts.filter((t) => t.includes('Draft #2 (approved)'))).toHaveLength(1);
    expect(await status(2)).toBe('approved');
    const [c, d] = await Promise.all([
      fake.callbackFor(fake.press('h1:p:/drafts approve 3')),
      fake.callbackFor(fake.submit('h1:f:/drafts reject 3', { reason: 'duplicate' })),
    ]);
    const decided = [text(c), text(d)].filter((t) => /Draft #3 \((approved|rejected)\)/.test(t));
    expect(decided).toHaveLength(1);
    const log = await drafted();
    expect(log.length).toBe((await status(3)) === 'approved' ? 2 : 1);
  });
});
