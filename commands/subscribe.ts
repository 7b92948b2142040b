// /subscribe: notices in this channel of new events that match (or of channel status changes); list, test, pause, resume.
import { type Catalog, type CatalogEvent, lastPosOnOrBefore } from '../src/core/catalog.js';
import { type CommandContext, defineCommand, type OptionSpec } from '../src/core/command.js';
import { formatDate, shiftDays } from '../src/core/dates.js';
import { UserError } from '../src/core/errors.js';
import { FILTER } from '../src/core/filterOptions.js';
import { eventLine } from '../src/core/present.js';
import type { Block, Reply } from '../src/core/reply.js';
import {
  describeFilters,
  healthText,
  SUBSCRIPTION_FILTERS,
  type Subscription,
  type SubscriptionBook,
  type SubscriptionFilters,
  sameSubscriptionKey,
  subscriptionFilters,
  subscriptionMatches,
} from '../src/core/subscription.js';
import { plural } from '../src/core/text.js';

/** Subscriptions per page of `/subscribe list`: ten lines fit one Slack section and one Discord embed. */
export const LIST_PAGE_SIZE = 10;

/** How far back `/subscribe test` looks, and how many matches it shows per subscription. */
const TEST_DAYS = 365;
const TEST_SHOWN = 5;

/** What leaving out each filter means, for the exclude options' descriptions (as text: -name:value). */
const LEAVE_OUT: Record<(typeof SUBSCRIPTION_FILTERS)[number], string> = {
  topic: 'Leave out events on this topic (as text: -topic:…)',
  level: 'Leave out events at this level (as text: -level:…)',
  kind: 'Leave out events of this kind, e.g. exercise (as text: -kind:…)',
  mechanism: 'Leave out events through this mechanism (as text: -mechanism:…)',
  person: 'Leave out events with this person (as text: -person:…)',
  side: 'Leave out events with an official readout from this side (as text: -side:…)',
};
const include: OptionSpec[] = SUBSCRIPTION_FILTERS.map((name) => FILTER[name]);
const exclude: OptionSpec[] = SUBSCRIPTION_FILTERS.map((name) => ({
  ...FILTER[name],
  name: `exclude-${name}`,
  description: LEAVE_OUT[name],
}));

export default defineCommand({
  name: 'subscribe',
  description: 'Notices in this channel of new contact events that match; list, test, pause or resume them',
  options: [
    {
      name: 'action',
      description: 'list, test, pause, resume, or channels (status changes); none subscribes',
      type: 'string',
      rest: true,
      choices: [
        { value: 'list', aliases: ['ls', 'show'] },
        { value: 'test', aliases: ['try', 'preview'] },
        { value: 'pause', aliases: ['stop', 'mute'] },
        { value: 'resume', aliases: ['start', 'unpause', 'unmute'] },
        { value: 'channels', aliases: ['channel', 'status', 'mechanisms'] },
      ],
    },
    {
      name: 'id',
      description: 'For pause and resume: the number shown by /subscribe list, or all',
      type: 'string',
      rest: true,
    },
    { name: 'page', description: 'For list: page number, from 1', type: 'integer', min: 1, max: 1_000 },
    ...include,
    ...exclude,
  ],
  examples: [
    '/subscribe topic:taiwan',
    '/subscribe level:minister -kind:exercise',
    '/subscribe channels',
    '/subscribe list',
    '/subscribe list page:1',
    '/subscribe test topic:nuclear',
    '/subscribe pause 1',
  ],
  visibility: 'channel',
  permission: 'channel-managers',
  async run(ctx) {
    const book = bookOf(ctx);
    const action = ctx.options.action as string | undefined;
    const id = typeof ctx.options.id === 'string' ? ctx.options.id : undefined;
    const filters = subscriptionFilters(ctx.catalog, ctx.options);
    const hasFilters = Object.keys(filters.include).length + Object.keys(filters.exclude).length > 0;
    const page = ctx.options.page as number | undefined;
    if (page !== undefined && action !== 'list')
      throw new UserError('page-without-list', 'page: goes with /subscribe list only.', `/subscribe list page:${page}`);
    if (action === 'pause' || action === 'resume') {
      if (hasFilters) {
        throw new UserError(
          'filters-with-action',
          `/subscribe ${action} takes a number, not filters.`,
          `/subscribe ${action} 1`,
        );
      }
      return pauseOrResume(ctx, book, action, id);
    }
    if (id !== undefined) {
      throw new UserError(
        'unexpected-id',
        `"${id}" is not understood here: a number goes only after pause or resume, and filters are written name:value.`,
        action === undefined ? '/subscribe topic:taiwan' : `/subscribe ${action}`,
      );
    }
    if (action === 'list') {
      if (hasFilters)
        throw new UserError('filters-with-action', '/subscribe list takes no filters.', '/subscribe list');
      return listReply(ctx.catalog, await book.list(), page ?? 1);
    }
    if (action === 'test') return testReply(ctx, book, hasFilters ? filters : undefined);
    return subscribe(ctx, book, action === 'channels' ? 'channels' : 'events', filters);
  },
});

/** The book of the channel asked in, or a clear answer where there is none. */
export function bookOf(ctx: CommandContext): SubscriptionBook {
  if (!ctx.subscriptions) {
    throw new UserError(
      'no-subscriptions-here',
      'Subscriptions belong to a channel of a running bot (or the console); there is none here.',
      '/lastcontact',
    );
  }
  return ctx.subscriptions;
}

async function subscribe(
  ctx: CommandContext,
  book: SubscriptionBook,
  kind: Subscription['kind'],
  filters: { include: SubscriptionFilters; exclude: SubscriptionFilters },
): Promise<Reply> {
  if (kind === 'channels') {
    const other = SUBSCRIPTION_FILTERS.filter(
      (n) => n !== 'mechanism' && (filters.include[n] !== undefined || filters.exclude[n] !== undefined),
    );
    if (other.length > 0) {
      throw new UserError(
        'filter-not-for-channels',
        `/subscribe channels follows dialogue channels' status; it takes only mechanism: (or -mechanism:), not ${other.join(', ')}.`,
        '/subscribe channels mechanism:MMCA',
      );
    }
  }
  const draft = { kind, ...filters };
  // Compared without case: person:"dong jun" and person:"Dong Jun" are one subscription.
  const live = await book.list();
  const listed = live.find((s) => sameSubscriptionKey(s) === sameSubscriptionKey(draft));
  if (!listed && live.length >= book.limit) {
    throw new UserError(
      'too-many-subscriptions',
      `This channel has ${live.length} subscriptions, the most allowed (${book.limit}). Remove one with /unsubscribe N (see /subscribe list), or widen one subscription's filters instead of adding another.`,
      '/subscribe list',
    );
  }
  const added = await book.add({ ...draft, ...(ctx.user ? { createdBy: ctx.user } : {}) });
  if (added.existing) {
    return {
      tone: 'answer',
      title: `Already subscribed (#${added.id})`,
      blocks: [
        {
          type: 'text',
          text: added.paused
            ? `This channel already has it, paused: /subscribe resume ${added.id} brings its notices back.`
            : `This channel already gets ${describeFilters(ctx.catalog, added)}.`,
        },
        { type: 'text', text: `#${added.id}: ${healthText(added)}` },
      ],
      sources: [],
      fallbackText: `Already subscribed (#${added.id}): ${describeFilters(ctx.catalog, added)}`,
    };
  }
  const what = describeFilters(ctx.catalog, added);
  return {
    tone: 'answer',
    title: `Subscribed (#${added.id})`,
    blocks: [
      {
        type: 'text',
        text: `This channel will get a notice for ${what}, as each is recorded. Nothing already on record is posted.`,
      },
      {
        type: 'list',
        items: [
          `/subscribe test — which recent events would have matched`,
          `/subscribe list — every subscription here and its health`,
          `/subscribe pause ${added.id} · /unsubscribe ${added.id}`,
        ],
      },
    ],
    sources: [],
    fallbackText: `Subscribed (#${added.id}): ${what}`,
  };
}

/** The longest line of `/subscribe list`: ten of them fit every platform's message (Discord's 6,000). */
const LIST_LINE = 400;

/** One subscription's line: number, filters (cut if very long) and health. */
function listLine(catalog: Catalog, sub: Subscription): string {
  const health = ` — ${healthText(sub)}`;
  const filters = describeFilters(catalog, sub);
  const room = LIST_LINE - `#${sub.id} · `.length - health.length;
  const cut = filters.length > room ? `${filters.slice(0, Math.max(0, room - 1))}…` : filters;
  return `#${sub.id} · ${cut}${health}`;
}

/** Each subscription with its filters and health, LIST_PAGE_SIZE at a time. */
export function listReply(catalog: Catalog, subs: readonly Subscription[], page = 1): Reply {
  if (subs.length === 0) {
    return {
      tone: 'answer',
      title: 'No subscriptions in this channel',
      blocks: [
        { type: 'text', text: 'Subscribe with /subscribe, e.g. /subscribe topic:taiwan or /subscribe channels.' },
      ],
      sources: [],
      fallbackText: 'No subscriptions in this channel.',
    };
  }
  const pages = Math.ceil(subs.length / LIST_PAGE_SIZE);
  if (page > pages) {
    throw new UserError(
      'page-past-end',
      `page: there ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} of subscriptions here; page ${page} is past the end.`,
      pages === 1 ? '/subscribe list' : `/subscribe list page:${pages}`,
    );
  }
  const shown = subs.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE);
  const paused = subs.filter((s) => s.paused).length;
  const paging =
    pages > 1 ? `Page ${page} of ${pages}${page < pages ? ` · next: /subscribe list page:${page + 1}` : ''} · ` : '';
  return {
    tone: 'answer',
    title: `${plural(subs.length, 'subscription')} in this channel${paused > 0 ? ` (${paused} paused)` : ''}`,
    blocks: [{ type: 'list', items: shown.map((s) => listLine(catalog, s)) }],
    sources: [],
    footer: `${paging}Manage: /subscribe pause N · /subscribe resume N · /unsubscribe N`,
    fallbackText: shown.map((s) => `#${s.id} ${describeFilters(catalog, s)}`).join('; '),
  };
}

/** Which events of the past year each subscription (or the filters given) would have matched. */
async function testReply(
  ctx: CommandContext,
  book: SubscriptionBook,
  filters: { include: SubscriptionFilters; exclude: SubscriptionFilters } | undefined,
): Promise<Reply> {
  // Filters given are tried as an events subscription (the action is "test", so never "channels").
  const tested: Pick<Subscription, 'kind' | 'include' | 'exclude' | 'id'>[] = filters
    ? [{ id: 0, kind: 'events', ...filters }]
    : await book.list();
  if (tested.length === 0) {
    throw new UserError(
      'nothing-to-test',
      'This channel has no subscriptions to test; give filters to try them before subscribing.',
      '/subscribe test topic:taiwan',
    );
  }
  const from = shiftDays(ctx.now, -TEST_DAYS);
  // The window's events by binary search on the start days (a catalog from the cache makes only these).
  const recent: CatalogEvent[] = [];
  const last = lastPosOnOrBefore(ctx.catalog, ctx.now);
  for (let pos = lastPosOnOrBefore(ctx.catalog, shiftDays(from, -1)) + 1; pos <= last; pos++) {
    recent.push(ctx.catalog.event(pos));
  }
  const blocks: Block[] = [];
  const used: CatalogEvent[] = [];
  for (const sub of tested) {
    const hits = recent.filter((e) => subscriptionMatches(ctx.catalog, sub as Subscription, e)).reverse();
    used.push(...hits.slice(0, TEST_SHOWN));
    const name = sub.id === 0 ? 'These filters' : `#${sub.id}`;
    blocks.push({
      type: 'list',
      heading: `${name} (${describeFilters(ctx.catalog, sub)}): ${plural(hits.length, 'event')} since ${formatDate(from)}`,
      items:
        hits.length === 0
          ? ['none — nothing recorded in the past year would have matched']
          : [
              ...hits.slice(0, TEST_SHOWN).map((e) => eventLine(ctx.catalog, e)),
              ...(hits.length > TEST_SHOWN ? [`…and ${hits.length - TEST_SHOWN} more`] : []),
            ],
    });
  }
  return {
    tone: 'answer',
    title: 'Which recent events would have matched',
    blocks,
    sources: [],
    footer: 'A test posts nothing; notices come only for events recorded from now on.',
    fallbackText: blocks.map((b) => (b.type === 'list' ? b.heading : '')).join('; '),
  };
}

/** The subscriptions "N" or "all" names, or a UserError. */
export async function chosen(book: SubscriptionBook, id: string | undefined, verb: string): Promise<Subscription[]> {
  const subs = await book.list();
  if (id === undefined) {
    throw new UserError(
      'missing-id',
      `Say which subscription to ${verb}: its number from /subscribe list, or all.`,
      `/${verb === 'remove' ? 'unsubscribe' : `subscribe ${verb}`} ${subs[0]?.id ?? 1}`,
    );
  }
  if (id.trim().toLowerCase() === 'all') {
    if (subs.length === 0)
      throw new UserError('no-subscriptions', 'This channel has no subscriptions.', '/subscribe topic:taiwan');
    return subs;
  }
  const n = /^#?(\d{1,9})$/.exec(id.trim())?.[1];
  const sub = n === undefined ? undefined : subs.find((s) => s.id === Number(n));
  if (!sub) {
    const have =
      subs.length === 0 ? 'This channel has none.' : `This channel has ${subs.map((s) => `#${s.id}`).join(', ')}.`;
    throw new UserError(
      'unknown-subscription',
      `"${id}" is not a subscription of this channel. ${have}`,
      subs.length === 0 ? '/subscribe topic:taiwan' : '/subscribe list',
    );
  }
  return [sub];
}

async function pauseOrResume(
  ctx: CommandContext,
  book: SubscriptionBook,
  action: 'pause' | 'resume',
  id: string | undefined,
): Promise<Reply> {
  const subs = await chosen(book, id, action);
  const changed: Subscription[] = [];
  for (const sub of subs) {
    const pause =
      action === 'pause'
        ? { reason: 'user' as const, at: book.timestamp(), ...(ctx.user ? { by: ctx.user } : {}) }
        : undefined;
    if (action === 'pause' ? sub.paused?.reason === 'user' : !sub.paused) continue; // already so
    const updated = await book.setPaused(sub.id, pause);
    if (updated) changed.push(updated);
  }
  const names = subs.map((s) => `#${s.id}`).join(', ');
  const text =
    changed.length === 0
      ? `${names} ${subs.length === 1 ? 'is' : 'are'} already ${action === 'pause' ? 'paused' : 'active'}.`
      : action === 'pause'
        ? `Paused ${changed.map((s) => `#${s.id}`).join(', ')}: no notices are posted for events recorded while paused. /subscribe resume ${changed.length === 1 ? changed[0]?.id : id} brings notices back.`
        : `Resumed ${changed.map((s) => `#${s.id}`).join(', ')}: notices for new events are posted again; any notice held back while the channel could not be reached is delivered now.`;
  return {
    tone: 'answer',
    title: action === 'pause' ? 'Paused' : 'Resumed',
    blocks: [{ type: 'text', text }],
    sources: [],
    fallbackText: text,
  };
}
