// Digest schedules kept in state: one channel's book for commands, and every schedule for the scheduler job.
import type { Schedule, ScheduleBook, ScheduleDraft } from '../core/schedule.js';
import type { Pause, Place } from '../core/subscription.js';
import type { JsonValue, State } from '../state/index.js';
import type { Clock } from '../subscriptions/book.js';

/*
 * Keys in the `schedules` namespace:
 *   sch:<platform>:<channel>:<nnnnnn>   Schedule, or { removed: true } once cancelled. Numbers are claimed with
 *                                       setIfAbsent and never reused (an old run can never be taken for a new one's).
 *   top:<platform>:<channel>            { id }: the highest number claimed (a hint; reads probe past it).
 *   tz:<platform>:<channel>             { tz }: the channel's zone for new schedules.
 *   done:<schedule key>                 { slot }: the last run queued (ISO instant). Written by the scheduler only.
 *   health:<schedule key>               { lastRun }, failure:<key> { lastFailure }, paused:<key> Pause: the
 *                                       scheduler's own records, so its writes never race a command's change.
 *   out:<schedule key>|<slot>           DigestRun waiting to be posted (the outbox of digests).
 *   version                             { changed }: written after every change to a schedule.
 */

/** The key whose value changes whenever any schedule does, so the scheduler re-reads them only then. */
export const SCHEDULES_VERSION_KEY = 'version';

/** The most schedules one channel may have. */
export const MAX_SCHEDULES_PER_CHANNEL = 10;

type Stored = Schedule | { removed: true; id: number };

const isLive = (value: Stored | undefined): value is Schedule => value !== undefined && !('removed' in value);
const prefix = (place: Place) => `sch:${place.platform}:${place.channel}:`;
const key = (place: Place, id: number) => `${prefix(place)}${String(id).padStart(6, '0')}`;
const topKey = (place: Place) => `top:${place.platform}:${place.channel}`;

/** The state key of a schedule: also the first part of its runs' keys. */
export function scheduleKey(schedule: Pick<Schedule, 'platform' | 'channel' | 'id'>): string {
  return key({ platform: schedule.platform, channel: schedule.channel }, schedule.id);
}

async function changed(state: State): Promise<void> {
  await state.schedules.set(SCHEDULES_VERSION_KEY, {
    changed: `${Date.now()}-${Math.random().toString(36).slice(2)}`,
  });
}

/** What two schedules of a channel must share to be the same one. */
const sameAs = (s: Pick<Schedule, 'every' | 'on' | 'at' | 'tz' | 'filters'>) =>
  JSON.stringify([s.every, s.on ?? null, s.at, s.tz, s.filters.toLowerCase()]);

/** The scheduler's records of a schedule, merged in: its health and its pause (a person's pause wins). */
async function withRecords(state: State, schedule: Schedule): Promise<Schedule> {
  const k = scheduleKey(schedule);
  const [health, failure, pause] = (await state.schedules.getMany([`health:${k}`, `failure:${k}`, `paused:${k}`])) as [
    Pick<Schedule, 'lastRun'> | undefined,
    Pick<Schedule, 'lastFailure'> | undefined,
    Pause | undefined,
  ];
  return { ...schedule, ...(schedule.paused || !pause ? {} : { paused: pause }), ...health, ...failure };
}

/** One channel's schedules in state. */
export function scheduleBook(
  state: State,
  place: Place,
  clock: Clock = () => new Date(),
  limit = MAX_SCHEDULES_PER_CHANNEL,
): ScheduleBook {
  const get = async (id: number) => (await state.schedules.get(key(place, id))) as Stored | undefined;
  const top = async () => {
    let n = ((await state.schedules.get(topKey(place))) as { id: number } | undefined)?.id ?? 0;
    while ((await get(n + 1)) !== undefined) n += 1;
    return n;
  };
  const book: ScheduleBook = {
    async list() {
      const n = await top();
      const stored = (await state.schedules.getMany(Array.from({ length: n }, (_, i) => key(place, i + 1)))) as (
        | Stored
        | undefined
      )[];
      return Promise.all(stored.filter(isLive).map((s) => withRecords(state, s)));
    },
    async add(draft: ScheduleDraft) {
      const same = (await book.list()).find((s) => sameAs(s) === sameAs(draft));
      if (same) return { ...same, existing: true };
      let id = (await top()) + 1;
      for (;;) {
        const schedule: Schedule = {
          id,
          platform: place.platform,
          channel: place.channel,
          ...draft,
          createdAt: book.timestamp(),
        };
        if (await state.setIfAbsent('schedules', key(place, id), schedule as unknown as JsonValue)) {
          await state.schedules.set(topKey(place), { id });
          await changed(state);
          return { ...schedule, existing: false };
        }
        id += 1; // another command took this number at the same moment
      }
    },
    async setPaused(id, pause) {
      const schedule = await get(id);
      if (!isLive(schedule)) return undefined;
      const { paused: _, ...rest } = schedule;
      const updated: Schedule = pause ? { ...rest, paused: pause } : rest;
      await state.schedules.set(key(place, id), updated as unknown as JsonValue);
      if (!pause) await state.schedules.delete(`paused:${key(place, id)}`); // resume clears the scheduler's too
      await changed(state);
      return withRecords(state, updated);
    },
    async remove(id) {
      const schedule = await get(id);
      if (!isLive(schedule)) return false;
      await state.schedules.set(key(place, id), { removed: true, id });
      // Its records go with it (the number is never reused), so the namespace the scheduler reads stays small.
      const k = key(place, id);
      await Promise.all(['done', 'health', 'failure', 'paused'].map((p) => state.schedules.delete(`${p}:${k}`)));
      await changed(state);
      return true;
    },
    async zone() {
      return ((await state.schedules.get(`tz:${place.platform}:${place.channel}`)) as { tz: string } | undefined)?.tz;
    },
    async setZone(tz) {
      await state.schedules.set(`tz:${place.platform}:${place.channel}`, { tz });
    },
    timestamp: () => clock().toISOString(),
    limit,
  };
  return book;
}

/** Every live schedule of every channel, with the scheduler's pause merged in (for the scheduler). */
export async function allSchedules(state: State): Promise<Schedule[]> {
  const found: Schedule[] = [];
  const pauses = new Map<string, Pause>();
  for await (const [k, value] of state.schedules.entries()) {
    if (k.startsWith('sch:') && isLive(value as Stored)) found.push(value as unknown as Schedule);
    else if (k.startsWith('paused:')) pauses.set(k.slice('paused:'.length), value as unknown as Pause);
  }
  return found
    .map((s) => {
      const pause = pauses.get(scheduleKey(s));
      return s.paused || !pause ? s : { ...s, paused: pause };
    })
    .sort((a, b) => (scheduleKey(a) < scheduleKey(b) ? -1 : 1));
}

/** A book that opens the state only when first used (for one-shot `hotline ask`). */
export function lazyScheduleBook(
  open: () => Promise<State>,
  place: Place,
  clock: Clock = () => new Date(),
): ScheduleBook {
  const book = async () => scheduleBook(await open(), place, clock);
  return {
    list: async () => (await book()).list(),
    add: async (draft) => (await book()).add(draft),
    setPaused: async (id, pause) => (await book()).setPaused(id, pause),
    remove: async (id) => (await book()).remove(id),
    zone: async () => (await book()).zone(),
    setZone: async (tz) => (await book()).setZone(tz),
    timestamp: () => clock().toISOString(),
    limit: MAX_SCHEDULES_PER_CHANNEL,
  };
}
