// Subscriptions kept in state: one channel's book for commands, and every subscription for the notifier.
import { createHash } from 'node:crypto';
import {
  type Pause,
  type Place,
  type Subscription,
  type SubscriptionBook,
  type SubscriptionDraft,
  sameSubscriptionKey,
} from '../core/subscription.js';
import { lastSeq } from '../events/log.js';
import type { JsonValue, State } from '../state/index.js';
import { DEFAULT_MAX_PER_CHANNEL } from './limits.js';

/*
 * Keys in the `subscriptions` namespace:
 *   sub:<platform>:<channel>:<nnnnnn>   Subscription, or { removed: true } once removed. Numbers are
 *                                       claimed with setIfAbsent and never reused, so an old outbox
 *                                       entry or notice can never be taken for a new subscription's.
 *   top:<platform>:<channel>            { id }: the highest number claimed (a hint; reads probe past it).
 *   health:<subscription key>           { lastDelivery } and
 *   failure:<subscription key>          { lastFailure }: written only by the notifier, so its writes never
 *                                       race a command's change to the subscription, and never read first.
 *   paused:<subscription key>           Pause: the notifier's, when the channel is gone or forbids posting
 *                                       (same reason); `/subscribe resume` deletes it.
 *   version                             { changed }: written after every change to a subscription (add, pause,
 *                                       resume, remove), so the notifier re-reads them only when they changed.
 *   same:<platform>:<channel>:<hash>    { id } or { claimedAt }: which subscription has these filters, claimed
 *                                       with setIfAbsent before the subscription is written, so two identical
 *                                       /subscribe at once make one. A claim never completed (a crash) is
 *                                       taken over after SAME_CLAIM_STALE_MS; a removed subscription's is deleted.
 */

/** The key whose value changes whenever any subscription does (see the notifier's copy of them). */
export const VERSION_KEY = 'version';

/** Marks the subscriptions as changed: a new value every time, whoever writes it. */
async function changed(state: State): Promise<void> {
  await state.subscriptions.set(VERSION_KEY, { changed: `${Date.now()}-${Math.random().toString(36).slice(2)}` });
}

/** After this long, a same-filters claim whose subscription was never written is taken over. */
const SAME_CLAIM_STALE_MS = 10_000;

/** What the notifier records about a subscription's deliveries. */
export type Health = Pick<Subscription, 'lastDelivery' | 'lastFailure'>;

type Stored = Subscription | { removed: true; id: number };

const prefix = (place: Place) => `sub:${place.platform}:${place.channel}:`;
const subKey = (place: Place, id: number) => `${prefix(place)}${String(id).padStart(6, '0')}`;
const topKey = (place: Place) => `top:${place.platform}:${place.channel}`;
const sameKey = (place: Place, sameAs: string) =>
  `same:${place.platform}:${place.channel}:${createHash('sha256').update(sameAs).digest('hex').slice(0, 32)}`;

type SameClaim = { id: number } | { claimedAt: number };

/** The state key of a subscription: also the first part of its outbox and notice keys. */
export function subscriptionKey(sub: Pick<Subscription, 'platform' | 'channel' | 'id'>): string {
  return subKey({ platform: sub.platform, channel: sub.channel }, sub.id);
}

const isLive = (value: Stored | undefined): value is Subscription => value !== undefined && !('removed' in value);

/** The pause the notifier set (channel gone or forbidden), kept apart so it never overwrites a command's change. */
const platformPauseKey = (key: string) => `paused:${key}`;

/** A person's pause wins over the platform's (it is shown, and resume clears both). */
async function withPlatformPause(state: State, key: string, sub: Subscription): Promise<Subscription> {
  if (sub.paused) return sub;
  const pause = (await state.subscriptions.get(platformPauseKey(key))) as Pause | undefined;
  return pause ? { ...sub, paused: pause } : sub;
}

/** The subscription with its health records and the notifier's pause merged in. */
async function withHealth(state: State, sub: Subscription): Promise<Subscription> {
  const key = subscriptionKey(sub);
  const [delivered, failed, paused] = await Promise.all([
    state.subscriptions.get(`health:${key}`) as Promise<Health | undefined>,
    state.subscriptions.get(`failure:${key}`) as Promise<Health | undefined>,
    withPlatformPause(state, key, sub),
  ]);
  return { ...paused, ...delivered, ...failed };
}

/** The wall clock as an ISO timestamp; the core never reads it, the book and the jobs do. */
export type Clock = () => Date;

/** One channel's subscriptions in state. */
export function subscriptionBook(
  state: State,
  place: Place,
  clock: Clock = () => new Date(),
  limit = DEFAULT_MAX_PER_CHANNEL,
): SubscriptionBook {
  const get = async (id: number) => (await state.subscriptions.get(subKey(place, id))) as Stored | undefined;
  const top = async () => {
    let n = ((await state.subscriptions.get(topKey(place))) as { id: number } | undefined)?.id ?? 0;
    while ((await get(n + 1)) !== undefined) n += 1;
    return n;
  };
  const book: SubscriptionBook = {
    // Four round trips whatever the number: the top, the subscriptions, their health and pauses.
    async list() {
      const n = await top();
      const ids = Array.from({ length: n }, (_, i) => i + 1);
      const stored = (await state.subscriptions.getMany(ids.map((id) => subKey(place, id)))) as (Stored | undefined)[];
      const live = stored.filter(isLive);
      const keys = live.map((sub) => subscriptionKey(sub));
      const records = (await state.subscriptions.getMany(
        keys.flatMap((key) => [`health:${key}`, `failure:${key}`, platformPauseKey(key)]),
      )) as (Health | Pause | undefined)[];
      return live.map((sub, i) => {
        const [delivered, failed, pause] = records.slice(i * 3, i * 3 + 3) as [
          Health | undefined,
          Health | undefined,
          Pause | undefined,
        ];
        return { ...(sub.paused || !pause ? sub : { ...sub, paused: pause }), ...delivered, ...failed };
      });
    },
    async add(draft: SubscriptionDraft) {
      const claimKey = sameKey(place, sameSubscriptionKey(draft));
      for (;;) {
        const claim = (await state.subscriptions.get(claimKey)) as SameClaim | undefined;
        if (claim && 'id' in claim) {
          const existing = await get(claim.id);
          if (isLive(existing)) return { ...(await withHealth(state, existing)), existing: true };
          await state.subscriptions.delete(claimKey); // its subscription was removed: the filters are free
          continue;
        }
        if (claim && clock().getTime() - claim.claimedAt < SAME_CLAIM_STALE_MS) {
          await new Promise((resolve) => setTimeout(resolve, 50)); // another request is adding it right now
          continue;
        }
        if (claim) await state.subscriptions.delete(claimKey); // a claim whose request never finished
        if (await state.setIfAbsent('subscriptions', claimKey, { claimedAt: clock().getTime() })) break;
      }
      const afterSeq = await lastSeq(state);
      let id = (await top()) + 1;
      for (;;) {
        const sub: Subscription = {
          id,
          platform: place.platform,
          channel: place.channel,
          ...draft,
          afterSeq,
          createdAt: book.timestamp(),
        };
        if (await state.setIfAbsent('subscriptions', subKey(place, id), sub as unknown as JsonValue)) {
          await state.subscriptions.set(topKey(place), { id });
          await state.subscriptions.set(claimKey, { id });
          await changed(state);
          return { ...sub, existing: false };
        }
        id += 1; // another command took this number at the same moment
      }
    },
    async setPaused(id: number, pause: Pause | undefined) {
      const sub = await get(id);
      if (!isLive(sub)) return undefined;
      const { paused: _, ...rest } = sub;
      const updated: Subscription = pause ? { ...rest, paused: pause } : rest;
      await state.subscriptions.set(subKey(place, id), updated as unknown as JsonValue);
      if (!pause) await state.subscriptions.delete(platformPauseKey(subKey(place, id))); // resume clears both
      await changed(state);
      return withHealth(state, updated);
    },
    async remove(id: number) {
      const sub = await get(id);
      if (!isLive(sub)) return false;
      await state.subscriptions.set(subKey(place, id), { removed: true, id });
      await changed(state);
      // The filters are free again: a later identical /subscribe makes a new subscription.
      await state.subscriptions.delete(sameKey(place, sameSubscriptionKey(sub)));
      return true;
    },
    timestamp: () => clock().toISOString(),
    limit,
  };
  return book;
}

/** Every live subscription of every channel (for the notifier). */
export async function allSubscriptions(state: State): Promise<Subscription[]> {
  const subs: Subscription[] = [];
  for await (const [key, value] of state.subscriptions.entries()) {
    if (key.startsWith('sub:') && isLive(value as Stored)) subs.push(value as unknown as Subscription);
  }
  return subs.sort((a, b) => (subscriptionKey(a) < subscriptionKey(b) ? -1 : 1));
}

/** The subscription stored under `key`, if it is live, with the notifier's pause if any. */
export async function subscriptionAt(state: State, key: string): Promise<Subscription | undefined> {
  const value = (await state.subscriptions.get(key)) as Stored | undefined;
  return isLive(value) ? withPlatformPause(state, key, value) : undefined;
}

/**
 * Pauses the subscription at `key` because its channel is gone or forbids posting: a write of its own
 * key, so it can never bring back a subscription removed meanwhile or undo a person's change.
 */
export async function pauseForPlatform(state: State, key: string, pause: Pause): Promise<void> {
  await state.subscriptions.set(platformPauseKey(key), pause as unknown as JsonValue);
}

/** Records a delivery or a failure in the subscription's health (the notifier's own keys; blind writes). */
export async function recordHealth(state: State, key: string, change: Health): Promise<void> {
  await Promise.all([
    ...(change.lastDelivery ? [state.subscriptions.set(`health:${key}`, { lastDelivery: change.lastDelivery })] : []),
    ...(change.lastFailure ? [state.subscriptions.set(`failure:${key}`, { lastFailure: change.lastFailure })] : []),
  ]);
}

/** A book that opens the state only when first used (for one-shot `hotline ask`). */
export function lazyBook(
  open: () => Promise<State>,
  place: Place,
  clock: Clock = () => new Date(),
  limit = DEFAULT_MAX_PER_CHANNEL,
): SubscriptionBook {
  const book = async () => subscriptionBook(await open(), place, clock, limit);
  return {
    list: async () => (await book()).list(),
    add: async (draft) => (await book()).add(draft),
    setPaused: async (id, pause) => (await book()).setPaused(id, pause),
    remove: async (id) => (await book()).remove(id),
    timestamp: () => clock().toISOString(),
    limit,
  };
}
