// The real discord.js client against a local fake gateway and REST API: slash commands and autocomplete answered.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningDiscord, startDiscord } from '../../../src/adapters/discord/index.js';
import { EPHEMERAL, renderDiscord } from '../../../src/adapters/discord/render.js';
import { defineCommand } from '../../../src/core/command.js';
import { suggest } from '../../../src/core/complete.js';
import { INTERNAL_ERROR } from '../../../src/core/errors.js';
import { errorReply } from '../../../src/core/reply.js';
import type { Place } from '../../../src/core/subscription.js';
import { openState, type State } from '../../../src/state/index.js';
import { subscriptionBook } from '../../../src/subscriptions/book.js';
import { BOT, type Callback, CHANNEL, type FakeDiscord, GUILD, startFakeDiscord, USER } from '../../fakes/discord.js';
import { fixture, runCommand } from '../../helpers.js';
import { signal } from '../../until.js';

const NOW = '2024-06-01';

/** A command with a bug: its answer throws something other than a UserError. */
const broken = defineCommand({
  name: 'broken',
  description: 'Always fails, as a bug would',
  options: [],
  examples: ['/broken'],
  visibility: 'channel',
  permission: 'anyone',
  run: () => {
    throw new Error('a bug');
  },
});

let fake: FakeDiscord;
let discord: RunningDiscord;
let state: State;
const books = (place: Place) => subscriptionBook(state, place);

beforeAll(async () => {
  state = await openState('sqlite::memory:');
  fake = await startFakeDiscord();
  discord = await startDiscord(
    { token: 'test-token', apiUrl: fake.apiUrl, retries: 0, logLevel: 'error' },
    { catalog: fixture(), commands: [...COMMANDS, broken], today: () => NOW, books },
  );
});

afterAll(async () => {
  await discord?.stop();
  await fake?.close();
  await state?.close();
});

/** Dispatches an interaction as Discord does and returns its id. */
function interact(type: 2 | 4, name: string, options: Record<string, unknown>[]): string {
  return fake.send(type, name, options);
}

/** The callback Discord would receive for interaction `id`. */
function callbackFor(id: string): Promise<Callback> {
  return fake.callbackFor(id);
}

describe('the Discord client', () => {
  it('subscribes the channel asked in with typed include and exclude options, for all to see', async () => {
    const callback = await callbackFor(
      interact(2, 'subscribe', [
        { name: 'topic', type: 3, value: 'taiwan' },
        { name: 'exclude-kind', type: 3, value: 'cancellation' },
      ]),
    );
    expect(callback.type).toBe(4);
    expect((Number(callback.data.flags ?? 0) & EPHEMERAL) === 0).toBe(true);
    expect(JSON.stringify(callback.data.embeds)).toContain('Subscribed (#1)');
    expect(await books({ platform: 'discord', channel: CHANNEL }).list()).toMatchObject([
      { id: 1, include: { topic: 'taiwan' }, exclude: { kind: 'cancellation' }, createdBy: USER },
    ]);
    const list = await callbackFor(interact(2, 'subscribe', [{ name: 'action', type: 3, value: 'list' }]));
    expect(JSON.stringify(list.data.embeds)).toContain('#1 · new events: topic Taiwan · not kind cancellation');
  });

  it('connects through the API given, and is ready in the fake guild', async () => {
    expect(discord.client.user?.id).toBe(BOT);
    expect(discord.client.guilds.cache.has(GUILD)).toBe(true);
  });

  it('answers /lastcontact in the channel with the same facts as the console, mentioning no one', async () => {
    const id = interact(2, 'lastcontact', [{ name: 'level', type: 3, value: 'minister' }]);
    const callback = await callbackFor(id);
    expect(callback.type).toBe(4);
    expect(callback.data.embeds).toEqual(renderDiscord(await runCommand('/lastcontact level:minister', NOW)).embeds);
    expect(callback.data.allowed_mentions).toEqual({ parse: [] });
    expect((Number(callback.data.flags ?? 0) & EPHEMERAL) === 0).toBe(true);
    expect(fake.unexpected).toEqual([]);
  });

  it('answers private commands and bad values only to the asker', async () => {
    const timeline = await callbackFor(interact(2, 'timeline', [{ name: 'level', type: 3, value: 'minister' }]));
    expect(timeline.type).toBe(4);
    expect(timeline.data.flags).toBe(EPHEMERAL);
    expect(timeline.data.embeds).toEqual(renderDiscord(await runCommand('/timeline level:minister', NOW)).embeds);

    const bad = await callbackFor(interact(2, 'lastcontact', [{ name: 'level', type: 3, value: 'admiral' }]));
    expect(bad.data.flags).toBe(EPHEMERAL);
    expect(bad.data.allowed_mentions).toEqual({ parse: [] });
    expect(bad.data.embeds).toEqual(renderDiscord(await runCommand('/lastcontact level:admiral', NOW)).embeds);
    expect((await runCommand('/lastcontact level:admiral', NOW)).tone).toBe('error');
  });

  it('answers privately, and keeps running, when a command fails for a reason of ours', async () => {
    const callback = await callbackFor(interact(2, 'broken', []));
    expect(callback.data.flags).toBe(EPHEMERAL);
    expect(callback.data.embeds).toEqual(renderDiscord(errorReply(INTERNAL_ERROR)).embeds);
    const after = await callbackFor(interact(2, 'lastcontact', [{ name: 'level', type: 3, value: 'minister' }]));
    expect(after.type).toBe(4);
  });

  it('suggests people from the data for a focused autocomplete option', async () => {
    const callback = await callbackFor(
      interact(4, 'lastcontact', [{ name: 'person', type: 3, value: 'd', focused: true }]),
    );
    const expected = suggest(fixture(), [...COMMANDS, broken], 'person', 'd').map((c) => ({
      name: c.label ?? c.value,
      value: c.value,
    }));
    expect(expected.length).toBeGreaterThan(0);
    expect(callback).toEqual({ type: 8, data: { choices: expected } });
  });
});

describe('an answer that is slow (a state store that does not answer)', () => {
  it('is deferred before Discord gives up, then edited in', async () => {
    const slowFake = await startFakeDiscord();
    const { fired: gate, fire: release } = signal();
    const slow = defineCommand({
      name: 'slow',
      description: 'Waits for a gate, as a command waiting on a dead store would',
      options: [],
      examples: ['/slow'],
      visibility: 'private',
      permission: 'anyone',
      run: async () => {
        await gate;
        return { tone: 'answer', title: 'Late answer', blocks: [], sources: [], fallbackText: 'Late answer' };
      },
    });
    const bot = await startDiscord(
      { token: 'test-token', apiUrl: slowFake.apiUrl, retries: 0, logLevel: 'error', deferAfterMs: 100 },
      { catalog: fixture(), commands: [slow], today: () => NOW },
    );
    try {
      const id = slowFake.send(2, 'slow', []);
      const callback = await slowFake.callbackFor(id);
      expect(callback).toMatchObject({ type: 5, data: { flags: 64 } }); // deferred, private
      release();
      while (slowFake.edits.length === 0) await new Promise((r) => setTimeout(r, 10));
      expect(slowFake.edits[0]?.token).toBe(`interaction-token-${id}`);
      expect(JSON.stringify(slowFake.edits[0]?.body)).toContain('Late answer');
    } finally {
      await bot.stop();
      await slowFake.close();
    }
  });
});
