// What the feed watcher remembers in the `feeds` namespace: each source's validators, health and backoff, and
// a key per item read, so a restart (or another instance taking over) reads nothing twice.
import { createHash } from 'node:crypto';
import type { JsonValue, State } from '../state/index.js';

/*
 * Keys in the `feeds` namespace:
 *   source:<name>            SourceHealth, written after every poll of the source.
 *   seen:<sha1(name, key)>   { at, draft? }: the item was read (and proposed, if it read as a contact). Kept
 *                            SEEN_KEPT_MS: far longer than any feed keeps an item, and an item older than the
 *                            watcher's age limit is skipped anyway.
 */

/** One source's state: what to send back, how it went, and when to try again. */
export interface SourceHealth {
  /** The URL the validators belong to: when feeds.yaml changes it, they are dropped. */
  url: string;
  etag?: string;
  lastModified?: string;
  /** ISO instants. */
  lastAttempt?: string;
  lastSuccess?: string;
  lastError?: { at: string; message: string };
  /** Failures in a row (0 after a success). */
  failures: number;
  /** Items read from this source since it was first polled. */
  itemsSeen: number;
  /** Set while the source is failing: not polled before this instant. */
  backoffUntil?: string;
  /** When the source is next due (ISO instant). */
  nextPoll?: string;
}

/** How long an item's seen key is kept. */
export const SEEN_KEPT_MS = 400 * 24 * 60 * 60_000;

const sourceKey = (name: string) => `source:${name}`;
/** The seen key of an item: per source, so the same article in two feeds is read in each (the drafts book joins them). */
export const seenKey = (name: string, key: string) =>
  `seen:${createHash('sha1').update(`${name}\n${key.trim()}`).digest('hex')}`;

/** The watcher's memory over a state. */
export function feedMemory(state: State) {
  return {
    async health(name: string): Promise<SourceHealth | undefined> {
      return (await state.feeds.get(sourceKey(name))) as SourceHealth | undefined;
    },
    async healthOf(names: readonly string[]): Promise<(SourceHealth | undefined)[]> {
      return (await state.feeds.getMany(names.map(sourceKey))) as (SourceHealth | undefined)[];
    },
    async setHealth(name: string, health: SourceHealth): Promise<void> {
      await state.feeds.set(sourceKey(name), health as unknown as JsonValue);
    },
    /** For each key, whether the item was read before. */
    async seen(name: string, keys: readonly string[]): Promise<boolean[]> {
      const values = await state.feeds.getMany(keys.map((key) => seenKey(name, key)));
      return values.map((value) => value !== undefined);
    },
    async markSeen(name: string, key: string, at: string, draft?: number): Promise<void> {
      await state.feeds.set(seenKey(name, key), { at, ...(draft !== undefined ? { draft } : {}) }, SEEN_KEPT_MS);
    },
  };
}

export type FeedMemory = ReturnType<typeof feedMemory>;
