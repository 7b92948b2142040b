// Subscriptions: what a channel asked to hear about, whether an event matches it, and how it reads. Pure.
import type { Catalog, CatalogEvent } from './catalog.js';
import type { Options } from './command.js';
import { formatDate } from './dates.js';
import { UserError } from './errors.js';
import { anyOf, type FilterInput, matches, resolveFilter, resolveMechanism, resolveTopic } from './filter.js';
import { otherMeaning } from './filterOptions.js';
import { resolvePerson } from './people.js';
import type { Kind } from './schema.js';

/** The filters a subscription can include or exclude, one value each. */
export const SUBSCRIPTION_FILTERS = ['topic', 'level', 'kind', 'mechanism', 'person', 'side'] as const;
export type SubscriptionFilterName = (typeof SUBSCRIPTION_FILTERS)[number];
export type SubscriptionFilters = Partial<Record<SubscriptionFilterName, string>>;

/** "events": every matching event; "channels": changes in a dialogue channel's status. */
export type SubscriptionKind = 'events' | 'channels';

/** Kinds of event that change a dialogue channel's status (what a "channels" subscription hears about). */
export const CHANNEL_CHANGE_KINDS: readonly Kind[] = ['suspension', 'resumption', 'cancellation', 'agreement'];

/** Where a subscription posts: a platform and its channel id. */
export interface Place {
  platform: 'slack' | 'discord' | 'console';
  channel: string;
}

/** Why a subscription is paused: by someone ("user"), or because the channel is gone or forbids posting. */
export interface Pause {
  reason: 'user' | 'gone' | 'forbidden';
  /** When (ISO timestamp). */
  at: string;
  /** The platform's words, for gone and forbidden. */
  detail?: string;
  /** Who paused it, for "user". */
  by?: string;
}

/** One subscription, as stored. Values are JSON. */
export interface Subscription {
  /** Its number in its channel, from 1; never reused. */
  id: number;
  platform: Place['platform'];
  channel: string;
  kind: SubscriptionKind;
  include: SubscriptionFilters;
  exclude: SubscriptionFilters;
  /** Only log entries after this sequence number are noticed: subscribing never posts the backlog. */
  afterSeq: number;
  createdAt: string;
  createdBy?: string;
  paused?: Pause;
  lastDelivery?: { at: string; eventId: string };
  lastFailure?: { at: string; detail: string };
}

/** What a command asks the book to add. */
export interface SubscriptionDraft {
  kind: SubscriptionKind;
  include: SubscriptionFilters;
  exclude: SubscriptionFilters;
  createdBy?: string;
}

/** What makes two subscriptions of a channel the same: kind and filters, without case. */
export function sameSubscriptionKey(sub: Pick<Subscription, 'kind' | 'include' | 'exclude'>): string {
  const filters = (f: SubscriptionFilters) =>
    Object.entries(f)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${String(v).toLowerCase()}`)
      .sort()
      .join('&');
  return `${sub.kind}|${filters(sub.include)}|${filters(sub.exclude)}`;
}

/** One channel's subscriptions, kept in state. Adapters give commands the book of the channel asked in. */
export interface SubscriptionBook {
  /** This channel's subscriptions, by number. */
  list(): Promise<Subscription[]>;
  /**
   * Adds a subscription with the next number, starting after the log's current end, unless the channel
   * already has one of the same kind with the same filters, compared without case (then that one is
   * returned, `existing` true). The check and the claim are one atomic step, so two identical requests at
   * once make one subscription.
   */
  add(draft: SubscriptionDraft): Promise<Subscription & { existing: boolean }>;
  /** The most subscriptions a channel may have (MAX_PER_CHANNEL; docs/OPERATIONS.md). */
  readonly limit: number;
  /** Pauses (with `pause`) or resumes (undefined) subscription `id`; returns it, or undefined if there is none. */
  setPaused(id: number, pause: Pause | undefined): Promise<Subscription | undefined>;
  /** Removes subscription `id`; true if it existed. */
  remove(id: number): Promise<boolean>;
  /** The wall-clock time, ISO, for records (the core reads no clock). */
  timestamp(): string;
}

/**
 * Reads the include options (`topic`…) and exclude options (`exclude-topic`…) into canonical filters:
 * ids for topics and mechanisms, the person as named (checked to resolve), choice values otherwise.
 * Throws a UserError naming what did not match.
 */
export function subscriptionFilters(
  catalog: Catalog,
  options: Options,
): { include: SubscriptionFilters; exclude: SubscriptionFilters } {
  const read = (prefix: string): SubscriptionFilters => {
    const filters: SubscriptionFilters = {};
    for (const name of SUBSCRIPTION_FILTERS) {
      const value = options[`${prefix}${name}`];
      if (typeof value === 'string') filters[name] = canonical(catalog, name, value, prefix === '' ? '' : '-');
    }
    return filters;
  };
  const include = read('');
  const exclude = read('exclude-');
  for (const name of SUBSCRIPTION_FILTERS) {
    const values = (value: string | undefined) =>
      value === undefined ? [] : name === 'person' ? [value] : anyOf(value);
    const included = values(include[name]);
    const excluded = new Set(values(exclude[name]));
    // Every value asked for is also left out: nothing could ever match.
    if (included.length > 0 && included.every((value) => excluded.has(value))) {
      throw new UserError(
        'contradictory-filter',
        `${name}:${include[name]} is both included and excluded, so nothing would ever match; keep one of them.`,
        `/subscribe ${name}:${include[name]}`,
      );
    }
  }
  return { include, exclude };
}

function canonical(catalog: Catalog, name: SubscriptionFilterName, value: string, sign: '' | '-'): string {
  // Several values ("taiwan,nuclear", any of which matches): each made canonical on its own, and sorted,
  // so the same values in another order are the same subscription. A person's name may hold a comma.
  if (name !== 'person' && value.includes(',')) {
    const parts = anyOf(value).map((part) => canonical(catalog, name, part, sign));
    return [...new Set(parts)].sort().join(',');
  }
  if (name === 'topic') {
    try {
      return resolveTopic(catalog, value).id;
    } catch (error) {
      // "-topic:exercise": not a topic but a kind of event (or a level, mechanism, person); say which option was meant.
      const meant =
        error instanceof UserError && error.code === 'unknown-topic' ? otherMeaning(catalog, value) : undefined;
      if (!meant) throw error;
      throw new UserError(
        'not-a-topic',
        `"${value}" is a ${meant.what}, not a topic: write ${sign}${meant.example}.`,
        `/subscribe ${sign}${meant.example}`,
      );
    }
  }
  if (name === 'mechanism') return resolveMechanism(catalog, value).id;
  if (name === 'person') {
    resolvePerson(catalog, value); // throws a UserError when nobody matches
    return value.trim();
  }
  return value;
}

/** The filter one stored value stands for, resolved against the catalog as it is now. */
function filterOf(catalog: Catalog, name: SubscriptionFilterName, value: string) {
  // level, kind and side were checked against their choices when the subscription was made.
  return resolveFilter(catalog, { [name]: value } as FilterInput);
}

/** Whether one stored filter value matches the event; a value the data no longer knows matches nothing. */
function valueMatches(catalog: Catalog, name: SubscriptionFilterName, value: string, event: CatalogEvent): boolean {
  try {
    return matches(event, filterOf(catalog, name, value));
  } catch (error) {
    if (error instanceof UserError) return false;
    throw error;
  }
}

/** Whether `event` is one the subscription asked for: its kind, every include filter, and no exclude filter. */
export function subscriptionMatches(catalog: Catalog, sub: Subscription, event: CatalogEvent): boolean {
  if (sub.kind === 'channels' && (!CHANNEL_CHANGE_KINDS.includes(event.kind) || event.mechanisms.length === 0)) {
    return false;
  }
  for (const name of SUBSCRIPTION_FILTERS) {
    const included = sub.include[name];
    if (included !== undefined && !valueMatches(catalog, name, included, event)) return false;
    const excluded = sub.exclude[name];
    if (excluded !== undefined && valueMatches(catalog, name, excluded, event)) return false;
  }
  return true;
}

/** "topic Taiwan · level minister · not kind exercise", or "every new event". */
export function describeFilters(catalog: Catalog, sub: Pick<Subscription, 'kind' | 'include' | 'exclude'>): string {
  const one = (name: SubscriptionFilterName, value: string) => {
    if (name === 'topic') return catalog.topics.get(value)?.label ?? value;
    if (name === 'mechanism') {
      const mechanism = catalog.mechanisms.get(value);
      return mechanism?.shortName ?? mechanism?.name ?? value;
    }
    return value;
  };
  const shown = (name: SubscriptionFilterName, value: string) =>
    (name === 'person' ? [value] : anyOf(value)).map((part) => one(name, part)).join(' or ');
  const parts = [
    ...SUBSCRIPTION_FILTERS.flatMap((name) => {
      const value = sub.include[name];
      return value === undefined ? [] : [`${name} ${shown(name, value)}`];
    }),
    ...SUBSCRIPTION_FILTERS.flatMap((name) => {
      const value = sub.exclude[name];
      return value === undefined ? [] : [`not ${name} ${shown(name, value)}`];
    }),
  ];
  const what = sub.kind === 'channels' ? 'changes in dialogue channel status' : 'new events';
  return parts.length === 0 ? `all ${what}` : `${what}: ${parts.join(' · ')}`;
}

/** The filters as options a person could type again: "topic:taiwan -kind:exercise". */
export function filterOptionsText(sub: Pick<Subscription, 'include' | 'exclude'>): string {
  const quote = (v: string) => (/\s/.test(v) ? `"${v}"` : v);
  return [
    ...SUBSCRIPTION_FILTERS.flatMap((n) => (sub.include[n] === undefined ? [] : [`${n}:${quote(sub.include[n])}`])),
    ...SUBSCRIPTION_FILTERS.flatMap((n) => (sub.exclude[n] === undefined ? [] : [`-${n}:${quote(sub.exclude[n])}`])),
  ].join(' ');
}

/** "active · last notice 3 March 2026 (2026-03-03-x)", "paused by <user> …", "paused: channel gone (…)". */
export function healthText(sub: Subscription): string {
  const last = sub.lastDelivery
    ? `last notice ${formatDate(sub.lastDelivery.at.slice(0, 10))} (${sub.lastDelivery.eventId})`
    : 'no notice yet';
  const failure = sub.lastFailure
    ? ` · last failure ${formatDate(sub.lastFailure.at.slice(0, 10))}: ${sub.lastFailure.detail}`
    : '';
  if (!sub.paused) return `active · ${last}${failure}`;
  const since = formatDate(sub.paused.at.slice(0, 10));
  if (sub.paused.reason === 'user') return `paused since ${since} · ${last}`;
  const why = sub.paused.reason === 'gone' ? 'the channel is gone or archived' : 'Hotline may not post here';
  return `PAUSED since ${since}: ${why}${sub.paused.detail ? ` (${sub.paused.detail})` : ''} · ${last}`;
}
