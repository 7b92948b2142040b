// Crowding and races (issue 11 items 7-8): identical /subscribe at once make one subscription; a channel
// has at most its limit; a channel with many subscriptions never holds up another channel's notice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import type { CatalogEvent } from '../../src/core/catalog.js';
import { ask } from '../../src/core/dispatch.js';
import type { Poster, PostResult } from '../../src/core/poster.js';
import type { Reply } from '../../src/core/reply.js';
import { publish, recordOf } from '../../src/events/log.js';
import { Notifier } from '../../src/jobs/notifier.js';
import { openState, type State } from '../../src/state/index.js';
import { subscriptionBook } from '../../src/subscriptions/book.js';
import { backends, newScope, reachableOrSkipped } from '../fakes/backends.js';
import { fixture } from '../helpers.js';

const TMP = mkdtempSync(join(tmpdir(), 'hotline-crowd-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const all = await backends(TMP);
const catalog = fixture();

class Recording implements Poster {
  sent: string[] = [];
  footers: string[] = [];
  async post(channel: string, reply: Reply): Promise<PostResult> {
    this.sent.push(channel);
    this.footers.push(reply.footer ?? '');
    return { ok: true, messageId: String(this.sent.length) };
  }
  async direct(): Promise<PostResult> {
    return { ok: true, messageId: 'dm' };
  }
}

describe.each(all)('subscriptions on $name', (backend) => {
  const { skip, reason } = reachableOrSkipped(backend);
  let state: State;
  beforeEach(async () => {
    if (!skip) state = await openState(backend.url, { scope: newScope('crowd') });
  });
  afterEach(async () => {
    if (skip) return;
    await state.destroy();
    await state.close();
  });

  const line = (text: string, channel = 'c1', limit?: number): Promise<Reply> =>
    ask(text, {
      catalog,
      commands: COMMANDS,
      now: '2024-06-01',
      user: 'U1',
      subscriptions: subscriptionBook(state, { platform: 'console', channel }, undefined, limit),
    }).then((a) => a.reply);

  it.skipIf(skip)(`makes one subscription of ten identical /subscribe sent at once${reason}`, async () => {
    const replies = await Promise.all(Array.from({ length: 10 }, () => line('/subscribe topic:taiwan')));
    expect(replies.filter((r) => r.title === 'Subscribed (#1)')).toHaveLength(1);
    expect(replies.filter((r) => r.title === 'Already subscribed (#1)')).toHaveLength(9);
    expect((await line('/subscribe list')).fallbackText).toBe('#1 new events: topic Taiwan');
    // Once removed, the same filters can be subscribed again.
    await line('/unsubscribe 1');
    expect((await line('/subscribe topic:TAIWAN')).title).toBe('Subscribed (#2)');
  });

  it.skipIf(skip)(`refuses a subscription past the channel's limit and changes nothing${reason}`, async () => {
    expect((await line('/subscribe topic:taiwan', 'c1', 2)).tone).toBe('answer');
    expect((await line('/subscribe topic:south-china-sea', 'c1', 2)).tone).toBe('answer');
    const refused = await line('/subscribe level:minister', 'c1', 2);
    expect(refused.tone).toBe('error');
    expect(refused.fallbackText).toContain('This channel has 2 subscriptions, the most allowed (2).');
    expect((await line('/subscribe list', 'c1', 2)).fallbackText).toBe(
      '#1 new events: topic Taiwan; #2 new events: topic South China Sea',
    );
    // Asking again for one it has is still answered, not refused.
    expect((await line('/subscribe topic:taiwan', 'c1', 2)).title).toBe('Already subscribed (#1)');
  });

  it.skipIf(skip)(`posts one notice per channel, naming every subscription that matched${reason}`, async () => {
    const kinds = ['call', 'meeting', 'talks', 'visit', 'video-call', 'exercise', 'port-call', 'agreement'];
    for (const kind of kinds)
      await subscriptionBook(state, { platform: 'console', channel: 'busy' }).add({
        kind: 'events',
        include: { kind },
        exclude: {},
      });
    for (const level of ['minister', 'leaders'])
      await subscriptionBook(state, { platform: 'console', channel: 'busy' }).add({
        kind: 'events',
        include: { level },
        exclude: {},
      });
    await subscriptionBook(state, { platform: 'console', channel: 'quiet' }).add({
      kind: 'events',
      include: {},
      exclude: {},
    });
    const event = { ...recordOf(catalog.events[0] as CatalogEvent), kind: 'call' as const, level: 'minister' as const };
    await publish(state, event, new Date().toISOString());
    const poster = new Recording();
    const notifier = new Notifier({ state, catalog: () => catalog, posters: { console: poster } });
    await notifier.fill();
    await notifier.deliver();
    await notifier.deliver();
    // The busy channel's #1 (kind call) and #9 (level minister) both match: one notice names both.
    expect(poster.sent.sort()).toEqual(['busy', 'quiet']);
    expect(poster.footers.sort()).toEqual([
      `Subscription #1 · /event ${event.id} · /subscribe list`,
      `Subscriptions #1 and #9 · /event ${event.id} · /subscribe list`,
    ]);
    const waiting: unknown[] = [];
    for await (const entry of state.outbox.entries()) waiting.push(entry);
    expect(waiting).toEqual([]); // #9's own entry was dropped, unposted
  });
});
