// /subscribe and /unsubscribe as a person uses them: exact answers, and bad arguments that change nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderText } from '../src/console/render.js';
import type { SubscriptionBook } from '../src/core/subscription.js';
import { publish, recordOf } from '../src/events/log.js';
import { openState, type State } from '../src/state/index.js';
import { subscriptionBook } from '../src/subscriptions/book.js';
import { fixture, runCommand } from './helpers.js';

const NOW = '2024-06-01';
const catalog = fixture();
let state: State;
let book: SubscriptionBook;

beforeEach(async () => {
  state = await openState('sqlite::memory:');
  book = subscriptionBook(state, { platform: 'console', channel: 'c1' }, () => new Date('2024-06-01T09:00:00Z'));
});
afterEach(() => state.close());

const say = async (line: string) => renderText(await runCommand(line, NOW, catalog, book));
const stored = async () => JSON.stringify(await book.list());

describe('/subscribe', () => {
  it('subscribes with include and exclude filters, starting after the log as it is (no backlog)', async () => {
    await publish(state, recordOf(catalog.events[0] as never), '2024-06-01T08:00:00Z');
    expect(await say('/subscribe topic:Taiwan -kind:cancellation')).toBe(
      [
        'Subscribed (#1)',
        '────────────────────',
        'This channel will get a notice for new events: topic Taiwan · not kind cancellation, as each is',
        'recorded. Nothing already on record is posted.',
        '',
        '  • /subscribe test — which recent events would have matched',
        '  • /subscribe list — every subscription here and its health',
        '  • /subscribe pause 1 · /unsubscribe 1',
      ].join('\n'),
    );
    expect(await book.list()).toEqual([
      {
        id: 1,
        platform: 'console',
        channel: 'c1',
        kind: 'events',
        include: { topic: 'taiwan' },
        exclude: { kind: 'cancellation' },
        afterSeq: 1,
        createdAt: '2024-06-01T09:00:00.000Z',
      },
    ]);
  });

  it('says so instead of subscribing twice to the same thing, whatever the case of a name', async () => {
    await say('/subscribe person:"Lloyd Austin"');
    expect(await say('/subscribe person:"LLOYD AUSTIN"')).toContain('Already subscribed (#1)');
    await say('/subscribe pause 1');
    expect(await say('/subscribe person:"lloyd austin"')).toContain(
      'This channel already has it, paused: /subscribe resume 1 brings its notices back.',
    );
    await say('/unsubscribe 1');
    await say('/subscribe level:minister');
    expect(await say('/subscribe level:minister')).toBe(
      [
        'Already subscribed (#2)',
        '───────────────────────',
        'This channel already gets new events: level minister.',
        '',
        '#2: active · no notice yet',
      ].join('\n'),
    );
    expect(await book.list()).toHaveLength(1);
  });

  it('lists each subscription with its filters and health, and shows which recent events would have matched', async () => {
    await say('/subscribe topic:taiwan');
    await say('/subscribe channels mechanism:MMCA');
    await say('/subscribe pause 2');
    expect(await say('/subscribe list')).toBe(
      [
        '2 subscriptions in this channel (1 paused)',
        '──────────────────────────────────────────',
        '  • #1 · new events: topic Taiwan — active · no notice yet',
        '  • #2 · changes in dialogue channel status: mechanism MMCA — paused since 1 June 2024 · no notice',
        '    yet',
        '',
        'Manage: /subscribe pause N · /subscribe resume N · /unsubscribe N',
      ].join('\n'),
    );
    expect(await say('/subscribe test')).toBe(
      [
        'Which recent events would have matched',
        '──────────────────────────────────────',
        '#1 (new events: topic Taiwan): 1 event since 2 June 2023:',
        '  • 16 April 2024 · Video call: Lloyd Austin – Dong Jun · minister ·',
        '    2024-04-16-austin-dong-video-call',
        '',
        '#2 (changes in dialogue channel status: mechanism MMCA): 0 events since 2 June 2023:',
        '  • none — nothing recorded in the past year would have matched',
        '',
        'A test posts nothing; notices come only for events recorded from now on.',
      ].join('\n'),
    );
    expect(await say('/subscribe test topic:south-china-sea')).toContain(
      'These filters (new events: topic South China Sea): 2 events since 2 June 2023:',
    );
  });

  it('pauses and resumes one subscription or all, and unsubscribes', async () => {
    await say('/subscribe topic:taiwan');
    await say('/subscribe level:minister');
    expect(await say('/subscribe pause all')).toBe(
      [
        'Paused',
        '────────────────────',
        'Paused #1, #2: no notices are posted for events recorded while paused. /subscribe resume all brings',
        'notices back.',
      ].join('\n'),
    );
    expect(await say('/subscribe pause 1')).toContain('#1 is already paused.');
    expect(await say('/subscribe resume #2')).toContain('Resumed #2:');
    expect(await say('/unsubscribe 1')).toBe(
      [
        'Unsubscribed',
        '────────────────────',
        'Removed #1 (new events: topic Taiwan). No further notices from it; any not yet posted are dropped.',
      ].join('\n'),
    );
    expect((await book.list()).map((s) => s.id)).toEqual([2]);
    // Numbers are never reused: the next subscription is #3.
    expect(await say('/subscribe topic:taiwan')).toContain('Subscribed (#3)');
  });

  it.each([
    ['/subscribe topic:tiawan', 'No topic is called "tiawan". Did you mean taiwan?'],
    ['/subscribe level:emperor', 'level: "emperor" is not one of'],
    ['/subscribe topic:taiwan -topic:taiwan', 'topic:taiwan is both included and excluded'],
    ['/subscribe -topic:exercise', '"exercise" is a kind of event, not a topic: write -kind:exercise.'],
    [
      '/subscribe channels level:minister',
      "/subscribe channels follows dialogue channels' status; it takes only mechanism:",
    ],
    ['/subscribe pause', 'Say which subscription to pause: its number from /subscribe list, or all.'],
    ['/subscribe pause 9', '"9" is not a subscription of this channel. This channel has #1.'],
    ['/subscribe pause 1 topic:taiwan', '/subscribe pause takes a number, not filters.'],
    ['/subscribe list topic:taiwan', '/subscribe list takes no filters.'],
    ['/subscribe topic:taiwan,,SCS', 'topic: "taiwan,,SCS" has an empty value between commas'],
    ['/subscribe level:minister,admiral', 'level: "admiral" is not one of'],
    ['/subscribe person:"Dong Jun, Wei Fenghe"', 'No person or title matches "Dong Jun, Wei Fenghe"'],
    ['/subscribe topic:taiwan -topic:taiwan,south-china-sea', 'is both included and excluded'],
    ['/subscribe list page:2', 'page: there is 1 page of subscriptions here; page 2 is past the end.'],
    ['/subscribe topic:taiwan page:2', 'page: goes with /subscribe list only.'],
    ['/subscribe list page:0', 'page:'],
    ['/subscribe frobnicate', 'action: "frobnicate" is not one of list, test, pause, resume or channels.'],
    ['/subscribe -format:video', '/subscribe has no option "format".'],
    ['/unsubscribe', '/unsubscribe needs the number shown by /subscribe list, or all.'],
    ['/unsubscribe seven', '"seven" is not a subscription of this channel. This channel has #1.'],
  ])('answers %s with what was wrong, and changes nothing', async (line, message) => {
    await say('/subscribe topic:taiwan');
    const before = await stored();
    const reply = await runCommand(line, NOW, catalog, book);
    expect(reply.tone).toBe('error');
    expect(reply.fallbackText.toLowerCase()).toContain(message.toLowerCase());
    expect(renderText(reply)).toContain('Try: /');
    expect(await stored()).toBe(before);
  });

  it("lists a full channel ten at a time, each page within both platforms' limits, in four store round trips", async () => {
    const topics = [...catalog.topics.keys()]; // 3 in the fixture
    const levels = ['leaders', 'minister', 'chief-of-defense', 'theater-commander', 'senior-official', 'working-level'];
    const lines = topics.flatMap((t) => levels.flatMap((l) => [`topic:${t} level:${l}`, `topic:${t} -level:${l}`]));
    for (const line of lines.slice(0, 25)) {
      const reply = await runCommand(`/subscribe ${line}`, NOW, catalog, book);
      expect(reply.tone, reply.fallbackText).toBe('answer');
    }
    let reads = 0;
    const counted = subscriptionBook(
      {
        ...state,
        subscriptions: {
          ...state.subscriptions,
          get: (key) => {
            reads += 1;
            return state.subscriptions.get(key);
          },
          getMany: (keys) => {
            reads += 1;
            return state.subscriptions.getMany(keys);
          },
        },
      },
      { platform: 'console', channel: 'c1' },
    );
    expect(await counted.list()).toHaveLength(25);
    expect(reads).toBe(4); // the top, one probe past it, the subscriptions, their health and pauses
    const first = await say('/subscribe list');
    expect(
      first
        .split('\n')
        .filter((l) => l.startsWith('  • #'))
        .map((l) => l.slice(4, 7).trim()),
    ).toEqual(['#1', '#2', '#3', '#4', '#5', '#6', '#7', '#8', '#9', '#10']);
    expect(first).toContain('Page 1 of 3 · next: /subscribe list page:2 · Manage:');
    const last = await say('/subscribe list page:3');
    expect(
      last
        .split('\n')
        .filter((l) => l.startsWith('  • #'))
        .map((l) => l.slice(4, 7).trim()),
    ).toEqual(['#21', '#22', '#23', '#24', '#25']);
    expect(last).toContain('Page 3 of 3 · Manage:');
    const { renderSlack } = await import('../src/adapters/slack/render.js');
    const { renderDiscord } = await import('../src/adapters/discord/render.js');
    for (const page of [1, 2, 3]) {
      const reply = await runCommand(`/subscribe list page:${page}`, NOW, catalog, book);
      // Nothing cut: every line of the page is in the rendered message.
      const slack = JSON.stringify(renderSlack(reply));
      const discord = JSON.stringify(renderDiscord(reply));
      for (const line of reply.fallbackText.split('; ')) {
        const id = line.split(' ')[0] as string;
        expect(slack).toContain(`${id} ·`);
        expect(discord).toContain(`${id} ·`);
      }
      expect(slack).not.toContain('…');
    }
  });

  it('keeps several values of a filter as one subscription that any of them matches', async () => {
    const reply = await runCommand('/subscribe topic:Taiwan,SCS level:LEADER,minister', NOW, catalog, book);
    expect(reply.title).toBe('Subscribed (#1)');
    const [sub] = await book.list();
    expect(sub?.include).toEqual({ topic: 'south-china-sea,taiwan', level: 'leaders,minister' });
    expect(await say('/subscribe list')).toContain(
      '#1 · new events: topic South China Sea or Taiwan · level leaders or',
    );
    const { subscriptionMatches } = await import('../src/core/subscription.js');
    const meeting = catalog.byId.get('2022-06-10-austin-wei-meeting'); // minister, south-china-sea
    expect(meeting && sub && subscriptionMatches(catalog, sub, meeting)).toBe(true);
    expect(
      (await runCommand('/subscribe topic:taiwan,south-china-sea level:minister,leaders', NOW, catalog, book)).title,
    ).toBe('Already subscribed (#1)');
  });

  it('cuts a very long subscription line, so a page of ten shows whole on Discord', async () => {
    const { listReply } = await import('../commands/subscribe.js');
    const { renderDiscord } = await import('../src/adapters/discord/render.js');
    const long = Array.from({ length: 60 }, (_, i) => `topic-number-${i}`).join(',');
    const subs = Array.from({ length: 10 }, (_, i) => ({
      id: i + 1,
      platform: 'console' as const,
      channel: 'c1',
      kind: 'events' as const,
      include: { topic: long },
      exclude: { mechanism: long },
      afterSeq: 0,
      createdAt: '2024-06-01T00:00:00.000Z',
    }));
    const reply = listReply(catalog, subs);
    const items = reply.blocks.flatMap((b) => (b.type === 'list' ? b.items : []));
    expect(items).toHaveLength(10);
    for (const item of items) expect(item.length).toBeLessThanOrEqual(400);
    const shown = JSON.stringify(renderDiscord(reply));
    for (let id = 1; id <= 10; id++) expect(shown).toContain(`#${id} ·`);
  });

  it('answers clearly where there is no state to keep subscriptions in', async () => {
    const { ask } = await import('../src/core/dispatch.js');
    const { COMMANDS } = await import('../commands/index.js');
    const { reply } = await ask('/subscribe list', { catalog, commands: COMMANDS, now: NOW });
    expect(reply.fallbackText).toBe(
      'Subscriptions belong to a channel of a running bot (or the console); there is none here.',
    );
  });
});
