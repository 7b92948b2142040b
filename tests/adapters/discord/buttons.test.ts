// Buttons through the real discord.js client on the fake gateway: pages update the message, "Share in
// channel" replies for everyone, a notice's "Pause" needs Manage Channels, and forged ids are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningDiscord, startDiscord } from '../../../src/adapters/discord/index.js';
import { type DiscordActionRow, EPHEMERAL, renderDiscord } from '../../../src/adapters/discord/render.js';
import { noticeReply } from '../../../src/core/notice.js';
import type { Place } from '../../../src/core/subscription.js';
import { scheduleBook } from '../../../src/schedules/book.js';
import { openState, type State } from '../../../src/state/index.js';
import { subscriptionBook } from '../../../src/subscriptions/book.js';
import { type Callback, CHANNEL, type FakeDiscord, MEMBER_PERMISSIONS, startFakeDiscord } from '../../fakes/discord.js';
import { bundled } from '../../helpers.js';

const NOW = '2026-11-30';
const catalog = bundled();
let fake: FakeDiscord;
let discord: RunningDiscord;
let state: State;
const books = (place: Place) => subscriptionBook(state, place);

beforeAll(async () => {
  state = await openState('sqlite::memory:');
  fake = await startFakeDiscord();
  discord = await startDiscord(
    { token: 'test-token', apiUrl: fake.apiUrl, retries: 0, logLevel: 'error' },
    {
      catalog,
      commands: COMMANDS,
      today: () => NOW,
      books,
      schedules: (place: Place) => scheduleBook(state, place),
    },
  );
});

afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  await state?.close();
});

/** The buttons of a callback's message: label and custom_id. */
function buttons(callback: Callback): { label: string; custom_id: string }[] {
  const rows = (callback.data.components ?? []) as DiscordActionRow[];
  return rows.flatMap((r) => r.components.map(({ label, custom_id }) => ({ label, custom_id })));
}

function idOf(callback: Callback, label: string): string {
  const found = buttons(callback).find((b) => b.label === label);
  if (!found) throw new Error(`no "${label}" button among ${buttons(callback).map((b) => b.label)}`);
  return found.custom_id;
}

const text = (callback: Callback) => JSON.stringify(callback.data.embeds);
const ephemeral = (callback: Callback) => (Number(callback.data.flags ?? 0) & EPHEMERAL) !== 0;

describe('buttons on Discord', () => {
  it('"Next page" updates the private answer in place with the next page; "Previous page" goes back', async () => {
    const first = await fake.interact(2, 'timeline', [{ name: 'level', type: 3, value: 'minister' }]);
    expect(ephemeral(first)).toBe(true);
    expect(buttons(first).map((b) => b.label)).toEqual(['Next page', 'Share in channel']);
    const second = await fake.callbackFor(fake.press(idOf(first, 'Next page')));
    expect(second.type).toBe(7); // UPDATE_MESSAGE
    expect(text(second)).toMatch(/Page 2 of \d+\./);
    expect(buttons(second).map((b) => b.label)).toEqual(['Previous page', 'Next page', 'Share in channel']);
    const back = await fake.callbackFor(fake.press(idOf(second, 'Previous page')));
    expect(back.type).toBe(7);
    expect(text(back)).toBe(text(first));
  });

  it('"Share in channel" replies for everyone with the same answer, and no Share button', async () => {
    const mine = await fake.interact(2, 'search', [{ name: 'query', type: 3, value: 'MMCA' }]);
    expect(ephemeral(mine)).toBe(true);
    const shared = await fake.callbackFor(fake.press(idOf(mine, 'Share in channel')));
    expect(shared.type).toBe(4);
    expect(ephemeral(shared)).toBe(false);
    expect(text(shared)).toBe(text(mine));
    expect(buttons(shared).map((b) => b.label)).not.toContain('Share in channel');
  });

  it('a notice\'s "Pause" is refused without Manage Channels and changes nothing; with it, pauses for all to see', async () => {
    const subscribed = await fake.interact(2, 'subscribe', [{ name: 'level', type: 3, value: 'minister' }]);
    expect(text(subscribed)).toContain('Subscribed (#1)');
    const event = catalog.events.find((e) => e.level === 'minister');
    if (!event) throw new Error('no minister-level event');
    const notice = renderDiscord(noticeReply(catalog, event, [{ id: 1, kind: 'events' }], { kind: 'new' }));
    const row = notice.components?.[0];
    expect(row?.components.map((b) => b.label)).toEqual(['Full record', 'Pause #1', 'Unsubscribe #1']);
    const pause = row?.components[1]?.custom_id ?? '';

    const refused = await fake.callbackFor(fake.press(pause, MEMBER_PERMISSIONS));
    expect(ephemeral(refused)).toBe(true);
    expect(text(refused)).toContain(
      'Only members who may manage this channel can use /subscribe; ask one of them, or a server admin.',
    );
    expect((await books({ platform: 'discord', channel: CHANNEL }).list())[0]?.paused).toBeUndefined();

    const paused = await fake.callbackFor(fake.press(pause));
    expect(paused.type).toBe(4);
    expect(ephemeral(paused)).toBe(false);
    expect(text(paused)).toContain('Paused #1');
    expect((await books({ platform: 'discord', channel: CHANNEL }).list())[0]?.paused).toBeDefined();
  });

  it('an invisible mark inside a command name never slips past the Manage Channels check', async () => {
    const before = await books({ platform: 'discord', channel: CHANNEL }).list();
    for (const id of ['h1:c:/sub\u200bscribe pause 1', 'h1:c:/unsub\u2060scribe all']) {
      const refused = await fake.callbackFor(fake.press(id, MEMBER_PERMISSIONS));
      expect(text(refused)).toContain('Only members who may manage this channel can use /');
    }
    expect(await books({ platform: 'discord', channel: CHANNEL }).list()).toEqual(before);
  });

  it('"Full record" answers privately', async () => {
    const last = await fake.interact(2, 'lastcontact', [{ name: 'level', type: 3, value: 'minister' }]);
    expect(ephemeral(last)).toBe(false);
    const full = await fake.callbackFor(fake.press(idOf(last, 'Full record')));
    expect(full.type).toBe(4);
    expect(ephemeral(full)).toBe(true);
    expect(text(full)).toContain(idOf(last, 'Full record').replace('h1:r:/event ', ''));
  });

  it('/digest-schedule is refused where the bot lacks a permission to post, and creates nothing', async () => {
    const noFiles = String(2248473465835073n & ~(1n << 15n)); // without Attach Files
    const refused = await fake.callbackFor(
      fake.send(2, 'digest-schedule', [{ name: 'action', type: 3, value: 'weekly' }], { app_permissions: noFiles }),
    );
    expect(text(refused)).toContain(
      'Hotline cannot post in this channel: it lacks Attach Files. A schedule here would never arrive; fix that, then ask again.',
    );
    expect(await scheduleBook(state, { platform: 'discord', channel: CHANNEL }).list()).toEqual([]);
    const made = await fake.interact(2, 'digest-schedule', [
      { name: 'action', type: 3, value: 'weekly' },
      { name: 'what', type: 3, value: 'taiwan' },
    ]);
    expect(text(made)).toContain('Scheduled (#1): the digest of Taiwan, weekly on Monday at 09:00 (UTC).');
  });

  it('a forged or stale custom id gets a polite private refusal', async () => {
    for (const id of ['hotline', 'h2:r:/help', 'h1:r:subscribe pause 1']) {
      const answer = await fake.callbackFor(fake.press(id));
      expect(answer.type).toBe(4);
      expect(ephemeral(answer)).toBe(true);
      expect(text(answer)).toContain('That button is from an answer this version of Hotline can no longer read.');
    }
    expect(fake.unexpected).toEqual([]);
  });
});
