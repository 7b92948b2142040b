// With PUBLIC_URL, what the jobs post links events to their pages in the web view, as chat answers do: a notice's
// "Full record" and citations, and a scheduled digest's pointer to each event's page; without it, nothing changes.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scheduledDigest } from '../../commands/digestSchedule.js';
import { COMMANDS } from '../../commands/index.js';
import { renderText } from '../../src/console/render.js';
import type { CatalogEvent } from '../../src/core/catalog.js';
import { noticeReply } from '../../src/core/notice.js';
import type { Poster, PostResult } from '../../src/core/poster.js';
import type { Reply } from '../../src/core/reply.js';
import type { Schedule } from '../../src/core/schedule.js';
import { publish, recordOf } from '../../src/events/log.js';
import { Notifier } from '../../src/jobs/notifier.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { scheduleBook } from '../../src/schedules/book.js';
import { type Service, startService } from '../../src/service.js';
import { openState, type State } from '../../src/state/index.js';
import { subscriptionBook } from '../../src/subscriptions/book.js';
import { until } from '../fakes/notifierChild.js';
import { fixture } from '../helpers.js';
import { signal } from '../until.js';

const BASE = 'https://hotline.example.org';
const catalog = fixture();
const VIDEO = '2024-04-16-austin-dong-video-call';
const event = catalog.byId.get(VIDEO) as CatalogEvent;
const ALL = { kind: 'events' as const, include: {}, exclude: {}, createdBy: 'U1' };

/** A poster that keeps what it posts, and calls `onPost` after each. */
function keeper(posted: Reply[], onPost: () => void = () => {}): Poster {
  return {
    async post(_channel: string, reply: Reply): Promise<PostResult> {
      posted.push(reply);
      onPost();
      return { ok: true, messageId: `m${posted.length}` };
    },
    async direct(): Promise<PostResult> {
      return { ok: true, messageId: 'dm' };
    },
  };
}

const textOf = (reply: Reply) => reply.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));

describe('a notice', () => {
  it('GIVEN a public URL (with a trailing slash) THEN it says "Full record: /event <id> or <page>"', () => {
    const reply = noticeReply(catalog, event, [{ id: 1, kind: 'events' }], { kind: 'new' }, { publicUrl: `${BASE}/` });
    expect(textOf(reply).at(-1)).toBe(`Full record: /event ${VIDEO} or ${BASE}/events/${VIDEO}`);
    expect(renderText(reply)).toContain(`Full record: /event ${VIDEO} or\n${BASE}/events/${VIDEO}`);
    // The button still runs /event: buttons run commands; the page is in the text, which every platform links.
    expect(reply.actions?.[0]).toEqual({ label: 'Full record', line: `/event ${VIDEO}`, mode: 'reply' });
  });

  it('GIVEN no public URL THEN the notice is as before: no page, the footer names /event', () => {
    const reply = noticeReply(catalog, event, [{ id: 1, kind: 'events' }], { kind: 'new' });
    expect(textOf(reply)).toEqual(['16 April 2024', 'Fixture video call between the ministers.']);
    expect(JSON.stringify(reply)).not.toContain('https://hotline');
    expect(reply.footer).toBe(`Subscription #1 · /event ${VIDEO} · /subscribe list`);
  });
});

describe('the notifier', () => {
  let state: State;
  beforeEach(async () => {
    state = await openState('sqlite::memory:');
  });
  afterEach(async () => {
    await state.close();
  });

  it.each([
    [BASE, `Full record: /event ${VIDEO} or ${BASE}/events/${VIDEO}`],
    [undefined, undefined],
  ])('GIVEN publicUrl %s THEN the notice it posts says %s', async (publicUrl, line) => {
    const posted: Reply[] = [];
    const notifier = new Notifier({
      state,
      catalog: () => catalog,
      posters: { console: keeper(posted) },
      ...(publicUrl ? { publicUrl } : {}),
    });
    await subscriptionBook(state, { platform: 'console', channel: 'c1' }).add(ALL);
    await notifier.step(); // nothing in the log yet: the cursor starts here
    await publish(state, recordOf(event), '2026-11-24T12:00:00.000Z');
    await notifier.step();
    expect(posted.map((r) => r.title)).toEqual(['New: Video call: Lloyd Austin – Dong Jun']);
    expect(textOf(posted[0] as Reply).find((t) => t.startsWith('Full record:'))).toBe(line);
  });
});

describe('the service (what `hotline start` runs)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hotline-publicurl-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  let service: Service | undefined;
  afterEach(async () => {
    await service?.stop();
  });

  it('GIVEN publicUrl THEN its notifier links the notices it posts', { timeout: 30_000 }, async () => {
    const posted: Reply[] = [];
    const { fired: first, fire: signalFirst } = signal();
    service = await startService({
      stateUrl: `sqlite:${join(tmp, 'state.db')}`,
      catalog,
      posters: { console: keeper(posted, () => signalFirst()) },
      publicUrl: BASE,
      idleMs: 20,
      refreshMs: 50,
    });
    await service.book({ platform: 'console', channel: 'c1' }).add(ALL);
    await until('the notifier to pass the start-up backlog', async () => {
      const cursor = (await service?.state.cursors.get('notifier:console')) as { seq: number } | undefined;
      return cursor !== undefined;
    });
    // An event new to the log (a correction of an event older than the subscription is not news to the channel).
    const added = '2024-04-16-fixture-second-call';
    await publish(service.state, { ...recordOf(event), id: added }, new Date().toISOString());
    await first;
    expect(textOf(posted[0] as Reply)).toContain(`Full record: /event ${added} or ${BASE}/events/${added}`);
  });
});

describe('a scheduled digest', () => {
  let state: State;
  beforeEach(async () => {
    state = await openState('sqlite::memory:');
  });
  afterEach(async () => {
    await state.close();
  });

  /** The digest a weekly schedule of every event posts on Monday 3 June 2024, with or without `publicUrl`. */
  async function posted(publicUrl?: string): Promise<Reply> {
    let now = new Date('2024-05-01T00:00:00Z');
    await scheduleBook(state, { platform: 'slack', channel: 'C1' }, () => now).add({
      every: 'weekly',
      on: 1,
      at: '09:00',
      tz: 'America/New_York',
      filters: '',
      createdBy: 'U1',
    });
    const replies: Reply[] = [];
    const scheduler = new Scheduler({
      state,
      catalog: () => catalog,
      // As `hotline start` makes it (src/cli/main.ts, scheduling): the public URL goes in the command's context.
      digest: (c, schedule: Schedule, slot, previous) =>
        scheduledDigest(
          { catalog: c, commands: COMMANDS, ...(publicUrl ? { publicUrl } : {}) },
          schedule,
          slot,
          previous,
        ),
      posters: { slack: keeper(replies) },
      clock: () => now,
    });
    now = new Date('2024-06-03T13:00:00Z');
    await scheduler.step();
    expect(replies.map((r) => r.title)).toEqual(['Digest · 27 May 2024 – 3 June 2024']);
    return replies[0] as Reply;
  }

  it('GIVEN a public URL THEN it says where each listed event’s page is, as /timeline does', async () => {
    const reply = await posted(BASE);
    expect(renderText(reply)).toContain('Meeting: Lloyd Austin – Dong Jun · minister · 2024-05-31-austin-dong-meeting');
    expect(textOf(reply).at(-1)).toBe(`One event in full: /event <id> or ${BASE}/events/<id>`);
  });

  it('GIVEN no public URL THEN no page is named', async () => {
    const reply = await posted();
    expect(textOf(reply).some((t) => t.startsWith('One event in full'))).toBe(false);
    expect(JSON.stringify(reply)).not.toContain('https://hotline');
  });
});

describe('/digest in chat', () => {
  it('GIVEN a public URL in its context THEN the pointer to event pages is in the answer and its citations', async () => {
    const { ask } = await import('../../src/core/dispatch.js');
    const { withPublicUrl } = await import('../../src/core/command.js');
    const { reply } = await ask('/digest period:1y', {
      catalog,
      commands: withPublicUrl(COMMANDS, BASE),
      now: '2024-06-30',
    } as Parameters<typeof ask>[1]);
    expect(textOf(reply).at(-1)).toBe(`One event in full: /event <id> or ${BASE}/events/<id>`);
    expect(reply.moreSources).toBe(
      `2 more sources: each event's are in its full record, /event <id> or ${BASE}/events/<id>`,
    );
  });
});
