// Buttons under answers: what each carries, how a pressed one is read back and answered, on the bundled data.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { asShared, decodeAction, encodeAction } from '../../src/core/actions.js';
import { ask, pressed } from '../../src/core/dispatch.js';
import { errorReply } from '../../src/core/reply.js';
import { bundled, memoryBook } from '../helpers.js';

const catalog = bundled();
const ctx = { catalog, commands: COMMANDS, now: '2026-11-30', subscriptions: memoryBook() };
const actionsOf = async (line: string) => (await ask(line, ctx)).reply.actions ?? [];

describe('button values', () => {
  it('carry the mode and the line, and read back as such', () => {
    expect(encodeAction({ mode: 'replace', line: '/timeline level:minister page:2' })).toBe(
      'h1:p:/timeline level:minister page:2',
    );
    for (const mode of ['reply', 'replace', 'share', 'run'] as const) {
      expect(decodeAction(encodeAction({ mode, line: '/search 董军' }))).toEqual({ mode, line: '/search 董军' });
    }
  });

  it('that Hotline did not make read back as nothing', () => {
    for (const value of [undefined, 7, '', 'h1', 'h1:r:', 'h1:r:help', 'h2:r:/help', 'h1:z:/help', 'h1:r:/help\n/x']) {
      expect(decodeAction(value)).toBeUndefined();
    }
    expect(decodeAction(`h1:r:/search ${'x'.repeat(2000)}`)).toBeUndefined();
  });
});

describe('the buttons each answer carries', () => {
  it('/timeline: the pages either side, then Share; the lines are the question on another page', async () => {
    expect(await actionsOf('/timeline level:minister')).toEqual([
      { label: 'Next page', line: '/timeline page:2 level:minister', mode: 'replace' },
      { label: 'Share in channel', line: '/timeline level:minister', mode: 'share' },
    ]);
    expect((await actionsOf('/timeline level:minister page:2')).map((a) => [a.label, a.line])).toEqual([
      ['Previous page', '/timeline level:minister'],
      ['Next page', '/timeline page:3 level:minister'],
      ['Share in channel', '/timeline page:2 level:minister'],
    ]);
  });

  it('/search: pages only for words (a date points to /timeline), and none past the tenth', async () => {
    expect((await actionsOf('/search talks')).map((a) => a.line)).toEqual(['/search talks page:2', '/search talks']);
    expect((await actionsOf('/search 2024-04')).map((a) => a.label)).toEqual(['Share in channel']);
    expect((await actionsOf('/search talks page:10')).map((a) => a.label)).toEqual([
      'Previous page',
      'Share in channel',
    ]);
  });

  it('/lastcontact: Full record of the event found; answers in the channel have no Share; errors no buttons', async () => {
    const { reply } = await ask('/lastcontact level:minister', ctx);
    expect(reply.actions).toEqual([
      { label: 'Full record', line: expect.stringMatching(/^\/event \S+$/), mode: 'reply' },
    ]);
    expect(reply.actions?.[0]?.line).toContain(reply.sources.length > 0 ? '/event 20' : '');
    expect(await actionsOf('/timeline level:admiral')).toEqual([]);
    expect(await actionsOf('/help')).toEqual([]);
  });
});

describe('a pressed button', () => {
  it('runs its line as typed, with the mode it carries', async () => {
    const next = await pressed('h1:p:/timeline page:2 level:minister', ctx);
    expect(next.mode).toBe('replace');
    expect(next.reply).toEqual((await ask('/timeline page:2 level:minister', ctx)).reply);
  });

  it('shared: the same answer, without Share, its page buttons answering privately', async () => {
    const shared = await pressed('h1:s:/timeline level:minister', ctx);
    expect(shared.mode).toBe('share');
    const own = (await ask('/timeline level:minister', ctx)).reply;
    expect(shared.reply).toEqual(asShared(own));
    expect(shared.reply.actions).toEqual([
      { label: 'Next page', line: '/timeline page:2 level:minister', mode: 'reply' },
    ]);
  });

  it('an error never replaces the answer the button was on, and is never shared', async () => {
    expect(await pressed('h1:p:/timeline level:admiral', ctx)).toMatchObject({
      mode: 'reply',
      reply: { tone: 'error' },
    });
    expect(await pressed('h1:s:/timeline level:admiral', ctx)).toMatchObject({
      mode: 'reply',
      reply: { tone: 'error' },
    });
  });

  it('is refused when the platform says no, and nothing runs', async () => {
    const no = errorReply('no');
    let ran = false;
    const result = await pressed('h1:c:/unsubscribe all', ctx, async (command) => {
      ran = command.name === 'unsubscribe';
      return no;
    });
    expect(ran).toBe(true);
    expect(result).toMatchObject({ mode: 'reply', reply: no });
  });

  it('unreadable, or Share on a command that changes the channel, gets a polite refusal', async () => {
    expect((await pressed('forged', ctx)).reply.fallbackText).toBe(
      'That button is from an answer this version of Hotline can no longer read. Ask again to get a fresh one.',
    );
    expect((await pressed('h1:s:/subscribe list', ctx)).reply.fallbackText).toBe(
      'Only answers shown just to you can be shared; this one is posted in the channel already, or is about the channel’s setup.',
    );
  });
});
