// Issue 15's review in Discord, through the real discord.js client on the fake gateway and the service's jobs: a
// readout published on a local feed → the watcher's draft → its card in the editors' channel, Approve (a component
// interaction) → the event in the log → the notice in the subscribed channel; Reject with a reason and Edit
// through modals (MODAL_SUBMIT); non-editors refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDiscord, startDiscord } from '../../../src/adapters/discord/index.js';
import { DiscordPoster, discordRest } from '../../../src/adapters/discord/poster.js';
import { type DiscordActionRow, EPHEMERAL } from '../../../src/adapters/discord/render.js';
import { postedCard } from '../../../src/drafts/cards.js';
import { readLog } from '../../../src/events/log.js';
import { type Service, startService } from '../../../src/service.js';
import { draftsOf, frontEndDeps, holdDesk, proposeCopy } from '../../drafts/fixtures.js';
import {
  type Callback,
  CHANNEL,
  type ChannelMessage,
  type FakeDiscord,
  GUILD,
  startFakeDiscord,
} from '../../fakes/discord.js';
import { READOUT_ARTICLE_PATH, readoutWatch, serveReadout } from '../../feeds/readout.js';
import { type FeedServer, startFeedServer } from '../../feeds/server.js';
import { bundled, until } from '../../helpers.js';

const catalog = bundled();
/** A member who may see the channel and use commands, but not send messages there: not an editor. */
const READ_ONLY = String((1n << 10n) | (1n << 31n));
const REFUSED =
  "Only editors may use /drafts: those who may post in the editors' channel, and those on the editors' list. Ask an editor.";
let fake: FakeDiscord;
let discord: RunningDiscord;
let service: Service;
/** The watched feed: the Department's releases as a local server serves them; the readout is listed on publish(). */
let feeds: FeedServer;
let readout: { publish: () => void };
let deps: ReturnType<typeof frontEndDeps>;

beforeAll(async () => {
  feeds = await startFeedServer();
  readout = serveReadout(feeds, { published: '2026-06-02', call: '2026-06-02' }, false);
  fake = await startFakeDiscord();
  service = await startService({
    stateUrl: 'sqlite::memory:',
    catalog,
    posters: { discord: new DiscordPoster(discordRest('test-token', { apiUrl: fake.apiUrl, retries: 0 })) },
    editors: { discord: CHANNEL },
    idleMs: 20,
    refreshMs: 50,
    watch: readoutWatch(feeds),
  });
  deps = frontEndDeps(service);
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
});

afterAll(async () => {
  await discord?.stop();
  await service?.stop();
  await feeds?.close();
  await fake?.close();
});

function buttons(data: Record<string, unknown>): { label: string; custom_id: string }[] {
  const rows = (data.components ?? []) as DiscordActionRow[];
  return rows.flatMap((r) => r.components.map(({ label, custom_id }) => ({ label, custom_id })));
}

function idOf(data: Record<string, unknown>, label: string): string {
  const found = buttons(data).find((b) => b.label === label);
  if (!found) throw new Error(`no "${label}" button`);
  return found.custom_id;
}

const text = (data: Record<string, unknown>) => JSON.stringify(data.embeds);
const ephemeral = (callback: Callback) => (Number(callback.data.flags ?? 0) & EPHEMERAL) !== 0;

/** The next message posted in the channel whose embeds contain `marker`. */
async function nextMessage(marker: string): Promise<ChannelMessage> {
  for (let i = fake.messages.items.length; ; i++) {
    const message = await fake.messages.at(i);
    if (text(message.body).includes(marker)) return message;
  }
}

/**
 * Sends an interaction (`send`) whose held desk action fails once released: it must be deferred as an update of the
 * card, and the apology must come as a private follow-up, never as an edit of the card.
 */
async function apologizedApart(held: { release: () => void }, send: () => string): Promise<void> {
  const edited = fake.nextEdit().then((edit) => ({ edited: edit }));
  const told = fake.followUps.at().then((followUp) => ({ told: followUp }));
  const id = send();
  expect((await fake.callbackFor(id)).type).toBe(6); // DEFERRED_UPDATE_MESSAGE
  held.release();
  const first = await Promise.race([edited, told]);
  expect(first).toMatchObject({ told: { token: `interaction-token-${id}` } });
  if ('told' in first) {
    expect(Number(first.told.body.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(text(first.told.body)).toContain('Something went wrong');
  }
  expect(fake.edits.filter((e) => e.token === `interaction-token-${id}`)).toEqual([]);
}

describe('the review of drafts in Discord', () => {
  it('a readout published on the watched feed becomes a draft whose card is posted; a non-editor’s Approve is refused; an editor’s publishes it and the subscribed channel gets the notice', async () => {
    const subscribed = await fake.interact(2, 'subscribe', [{ name: 'level', type: 3, value: 'minister' }]);
    expect(text(subscribed.data)).toContain('Subscribed (#1)');
    const carded = nextMessage('Draft #1 (pending)');
    // Issue 15's round trip starts at the feed: the watcher's next poll reads the item and files the draft.
    readout.publish();
    const card = await carded;
    expect(text(card.body)).toContain('Draft #1 (pending): call, 2026-06-02');
    expect((await draftsOf(service).get(1))?.items.map((i) => [i.feed, i.url])).toEqual([
      ['war.gov releases', `${feeds.base}${READOUT_ARTICLE_PATH}`],
    ]);
    expect(buttons(card.body).map((b) => b.label)).toEqual(['Approve', 'Edit', 'Merge', 'Reject']);
    expect(text(card.body)).toContain('minister (90%)');
    await until('the card recorded', async () => (await postedCard(service.state, 'discord', 1)) !== undefined);

    const refused = await fake.callbackFor(fake.press(idOf(card.body, 'Approve'), READ_ONLY));
    expect(ephemeral(refused)).toBe(true);
    expect(text(refused.data)).toContain(REFUSED);
    expect((await draftsOf(service).get(1))?.status).toBe('pending');

    const notice = nextMessage('New: Call: Pete Hegseth');
    const approved = await fake.callbackFor(fake.press(idOf(card.body, 'Approve')));
    expect(approved.type).toBe(7); // UPDATE_MESSAGE: the card now says what was decided
    expect(text(approved.data)).toContain('Draft #1 (approved): call, 2026-06-02');
    expect(buttons(approved.data)).toEqual([]);
    const published = (await readLog(service.state, 0, 10_000)).at(-1);
    expect(published?.id).toBe('2026-06-02-hegseth-dong-call');
    expect(published?.event.sources.map((s) => s.url)).toEqual([`${feeds.base}${READOUT_ARTICLE_PATH}`]);
    expect((await notice).channel).toBe(CHANNEL);
  });

  it('Reject opens a modal asking a reason; a non-editor’s submission is refused; a reason rejects it in place', async () => {
    const carded = nextMessage('Draft #2 (pending)');
    await proposeCopy(service, catalog, 'second', '2026-03-01');
    const card = await carded;
    const modal = await fake.callbackFor(fake.press(idOf(card.body, 'Reject')));
    expect(modal.type).toBe(9); // MODAL
    expect(modal.data).toMatchObject({ custom_id: 'h1:f:/drafts reject 2', title: 'Reject draft #2' });

    const notEditor = await fake.callbackFor(
      fake.submit('h1:f:/drafts reject 2', { reason: 'not a contact' }, READ_ONLY),
    );
    expect(ephemeral(notEditor)).toBe(true);
    expect(text(notEditor.data)).toContain(REFUSED);
    expect((await draftsOf(service).get(2))?.status).toBe('pending');

    const rejected = await fake.callbackFor(
      fake.submit('h1:f:/drafts reject 2', { reason: 'A second copy of the 2 June readout, misdated' }),
    );
    expect(rejected.type).toBe(7);
    expect(text(rejected.data)).toContain('Draft #2 (rejected)');
    expect((await draftsOf(service).get(2))?.decision?.reason).toBe('A second copy of the 2 June readout, misdated');
  });

  it('Edit opens a modal with the fields; a value the schema refuses is refused privately, naming the field, and the draft stays', async () => {
    const carded = nextMessage('Draft #3 (pending)');
    await proposeCopy(service, catalog, 'third', '2026-04-01');
    const card = await carded;
    const modal = await fake.callbackFor(fake.press(idOf(card.body, 'Edit')));
    expect(modal.type).toBe(9);
    const input = (modal.data.components as { components: { custom_id: string; value?: string }[] }[])[0]
      ?.components[0];
    expect(input?.custom_id).toBe('changes');
    expect(input?.value).toContain('level=minister\n');
    const before = await draftsOf(service).get(3);
    const refused = await fake.callbackFor(
      fake.submit('h1:f:/drafts edit 3', { changes: (input?.value ?? '').replace('level=minister', 'level=emperor') }),
    );
    expect(ephemeral(refused)).toBe(true);
    expect(text(refused.data)).toContain(
      'Not saved: level: \\"emperor\\" is not one of leaders, minister, chief-of-defense, theater-commander, senior-official, working-level. Draft #3 is as it was.',
    );
    expect(await draftsOf(service).get(3)).toEqual(before);
  });

  it('GIVEN a draft decided elsewhere (the CLI) THEN its card is drawn again in place, without buttons', async () => {
    const carded = nextMessage('Draft #4 (pending)');
    await proposeCopy(service, catalog, 'fourth', '2026-05-01');
    const card = await carded;
    await until('the card recorded', async () => (await postedCard(service.state, 'discord', 4)) !== undefined);
    const updated = fake.updated.at();
    await service.drafts.reject(4, 'duplicate', 'cli-editor');
    const changed = await updated;
    expect([changed.channel, changed.id]).toEqual([CHANNEL, card.id]);
    expect(text(changed.body)).toContain('Draft #4 (rejected)');
    expect(changed.body.components).toEqual([]);
  });

  it('/drafts answers an editor in the editors’ channel and refuses the same member elsewhere', async () => {
    const listed = await fake.interact(2, 'drafts', []);
    expect(ephemeral(listed)).toBe(true);
    expect(text(listed.data)).toContain('Drafts pending: 1');
    const elsewhere = '1000000000000000009';
    const refused = await fake.callbackFor(
      fake.send(2, 'drafts', [], {
        channel_id: elsewhere,
        channel: { id: elsewhere, type: 0, guild_id: GUILD, name: 'elsewhere' },
      }),
    );
    expect(ephemeral(refused)).toBe(true);
    expect(text(refused.data)).toContain(REFUSED);
  });

  it('a form whose action is slow (a slow store) is deferred within Discord’s 3 s, then the card is redrawn in place', async () => {
    const carded = nextMessage('Draft #5 (pending)');
    await proposeCopy(service, catalog, 'fifth', '2026-05-15');
    const card = await carded;
    const modal = await fake.callbackFor(fake.press(idOf(card.body, 'Reject')));
    expect(modal.data).toMatchObject({ custom_id: 'h1:f:/drafts reject 5' });
    // The desk's reject waits until the test lets it go.
    const held = holdDesk(deps, 'reject');
    try {
      const edited = fake.nextEdit();
      const id = fake.submit('h1:f:/drafts reject 5', { reason: 'A copy of the 2 June readout' });
      // Before: no callback at all until the action ended (Discord shows "This interaction failed" after 3 s).
      const deferred = await fake.callbackFor(id);
      expect(deferred.type).toBe(6); // DEFERRED_UPDATE_MESSAGE: the card stays, Discord waits
      expect((await draftsOf(service).get(5))?.status).toBe('pending');
      held.release();
      const answer = await edited;
      expect(answer.token).toBe(`interaction-token-${id}`);
      expect(text(answer.body)).toContain('Draft #5 (rejected)');
      expect((await draftsOf(service).get(5))?.decision?.reason).toBe('A copy of the 2 June readout');
    } finally {
      held.restore();
    }
  });

  it('a slow form whose action then fails is apologized for privately: the card it was deferred on keeps its buttons', async () => {
    // Before: the apology edited the deferred message, which for a form from a card is the card itself (its
    // buttons gone), and the card job, seeing the draft unchanged, never drew it again.
    const carded = nextMessage('Draft #6 (pending)');
    await proposeCopy(service, catalog, 'sixth', '2026-05-25');
    const card = await carded;
    await fake.callbackFor(fake.press(idOf(card.body, 'Reject')));
    const held = holdDesk(deps, 'reject', 'a bug in reject');
    try {
      await apologizedApart(held, () =>
        fake.submit('h1:f:/drafts reject 6', { reason: 'A copy of the 2 June readout' }),
      );
      expect((await draftsOf(service).get(6))?.status).toBe('pending');
    } finally {
      held.restore();
    }
  });

  it('a slow Approve that then fails is apologized for privately, the same way: the card keeps its buttons', async () => {
    const carded = nextMessage('Draft #7 (pending)');
    await proposeCopy(service, catalog, 'seventh', '2026-02-01');
    const card = await carded;
    const held = holdDesk(deps, 'approve', 'a bug in approve');
    try {
      await apologizedApart(held, () => fake.press(idOf(card.body, 'Approve')));
      expect((await draftsOf(service).get(7))?.status).toBe('pending');
    } finally {
      held.restore();
    }
  });

  it('two presses of Approve at once on one card publish once: one updates the card, the other is told privately', async () => {
    const carded = nextMessage('Draft #8 (pending)');
    const logged = (await readLog(service.state, 0, 10_000)).length;
    await proposeCopy(service, catalog, 'eighth', '2026-01-10');
    const card = await carded;
    const [one, two] = await Promise.all(
      [fake.press(idOf(card.body, 'Approve')), fake.press(idOf(card.body, 'Approve'))].map((id) =>
        fake.callbackFor(id),
      ),
    );
    const answers = [one, two] as Callback[];
    const updated = answers.filter((a) => a.type === 7);
    const told = answers.filter((a) => a.type !== 7);
    expect(updated.map((a) => text(a.data).includes('Draft #8 (approved)'))).toEqual([true]);
    expect(told.map((a) => [a.type, ephemeral(a)])).toEqual([[4, true]]);
    // Before the re-read under the event's lease, the second was told the event was on record already and to
    // merge the draft into it: the event its own draft had just become.
    expect(text(told[0]?.data ?? {})).toMatch(/Draft #8 (is being decided by|was approved already by)/);
    const log = await readLog(service.state, 0, 10_000);
    expect(log.slice(logged).map((e) => [e.id, e.revision])).toEqual([['2026-01-10-hegseth-dong-call', 1]]);
  });
});
