// The notifier job: event log -> matching subscriptions -> outbox -> delivery through the platforms' Posters.
import { type Catalog, catalogEvent } from '../core/catalog.js';
import { changedFields, type NoticeKind, noticeReply } from '../core/notice.js';
import type { Poster, PostFailure } from '../core/poster.js';
import type { Reply } from '../core/reply.js';
import { type Place, type Subscription, subscriptionMatches } from '../core/subscription.js';
import { type LogEntry, lastSeq, logEntry, readLog, revisionEntry } from '../events/log.js';
import type { Log } from '../logging.js';
import type { JsonValue, State } from '../state/index.js';
import {
  allSubscriptions,
  type Clock,
  pauseForPlatform,
  recordHealth,
  subscriptionAt,
  subscriptionKey,
  VERSION_KEY,
} from '../subscriptions/book.js';
import { Pacer } from './pacing.js';
import { PlatformWaits } from './platformWaits.js';

/*
 * State the notifier keeps:
 *   cursors  notifier                          { seq }: the last log entry whose outbox entries are all written.
 *   outbox   <sub key>|<event id>|<revision>   OutboxEntry, written once with setIfAbsent (the idempotency
 *                                              key), deleted after its notice is recorded.
 *   notices  chan:<platform>:<channel>|<event id>  NoticeRecord: the latest revision posted in that channel and its
 *                                              message. One per channel: when several of a channel's subscriptions
 *                                              match an event, the channel gets one notice naming them all; the
 *                                              other subscriptions' outbox entries are then dropped unposted.
 * Order of writes, and what a crash between two of them does:
 *   fill:    outbox entries (setManyIfAbsent, a thousand a round trip) -> cursor. A crash re-reads the same
 *            log entries; the entries already written are not written again.
 *   deliver: post -> notice record -> delete the outbox entry. A crash before the post posts it after the
 *            restart (nothing lost); between the post and the notice record it posts it again (the one
 *            duplicate the design allows); after the record, the entry is seen as delivered and deleted.
 *            The record and delete of one post run while the next entry is read, and end before the next post.
 * Only the notifier holding the lease writes the outbox, so it keeps a copy of it in memory (`mirror`) and a
 * delivery pass reads that instead of the whole outbox: the copy is read from the store when the lease is
 * (re)gained, after any failed store operation, and every RESYNC_MS in case of a hand edit.
 */

/** One notice waiting to be delivered. */
export interface OutboxEntry {
  /** The subscription's state key. */
  sub: string;
  platform: Place['platform'];
  channel: string;
  /** The log entry (event revision) to announce. */
  seq: number;
  eventId: string;
  revision: number;
  /** Failed attempts so far (transient failures only). */
  attempts: number;
  /** Not to be tried before this time (ms since the epoch). */
  notBefore: number;
  createdAt: string;
  /** Set when the platform refused the message itself: it is kept for a person to look at, never retried. */
  failed?: string;
}

/** What the notifier remembers of a notice it posted. */
export interface NoticeRecord {
  revision: number;
  messageId: string;
  at: string;
}

/** What the notifier needs. */
export interface NotifierDeps {
  state: State;
  /** The catalog as it is now (people, topics and mechanisms for matching and wording). */
  catalog: () => Catalog;
  /** A Poster per platform this instance runs; entries for other platforms wait for an instance that runs them. */
  posters: Partial<Record<Place['platform'], Poster>>;
  clock?: Clock;
  /** Uniform in [0, 1): the jitter of retry delays. */
  random?: () => number;
  log?: Log;
  /** False once this instance may no longer run jobs (its lease lapsed): stop before the next post. */
  holds?: () => boolean;
  /** How long one delivery pass may run before it returns, so new log entries are read in between. */
  passMs?: number;
  /** The cursor's name: one per set of platforms served (see `startService`). Default `notifier`. */
  cursor?: string;
  /** Told of each delivery's outcome and of the outbox at each pass (for metrics). */
  observe?: NotifierObserver;
  /** The web view's public base URL (PUBLIC_URL), if configured: notices link each event to its page there. */
  publicUrl?: string;
}

/** What the notifier reports as it works. */
export interface NotifierObserver {
  outcome?(platform: Place['platform'], outcome: 'delivered' | 'failed' | 'rate_limited'): void;
  /** At the start of a delivery pass: notices due per platform, and the oldest one's age in seconds. */
  pending?(platform: Place['platform'], due: number, oldestSeconds: number): void;
}

/** The notifier's cursor name when none is given. */
export const CURSOR = 'notifier';
/** Log entries read per fill. */
const BATCH = 100;
/** Outbox entries written per round trip. */
const FILL_CHUNK = 1_000;
/** How often the in-memory copy of the outbox is read again from the store, whatever happened. */
export const RESYNC_MS = 60_000;
/** The share of a platform's rate limit that paced posts use (src/jobs/pacing.ts). */
export { PACE_SHARE } from './pacing.js';
/** Retry delays of transient failures: doubling from 2 s up to 10 minutes, each with jitter. */
export const RETRY = { firstMs: 2_000, maxMs: 10 * 60_000 };

const outboxKey = (sub: string, eventId: string, revision: number) =>
  `${sub}|${eventId}|${String(revision).padStart(4, '0')}`;
const noticeKey = (place: Pick<Place, 'platform' | 'channel'>, eventId: string) =>
  `chan:${place.platform}:${place.channel}|${eventId}`;

/** The delay before attempt `attempts + 1`: exponential, capped, and spread over its upper half by `random`. */
export function retryDelayMs(attempts: number, random: () => number): number {
  const ceiling = Math.min(RETRY.maxMs, RETRY.firstMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** What came of one delivery attempt. */
type Outcome = 'posted' | 'skipped' | 'rate-limited' | 'failed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The notifier; `step()` does one round of work and says whether there may be more. */
export class Notifier {
  readonly name = 'notifier';
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Log;
  private readonly holds: () => boolean;
  /** Per platform: no post before this time, after a rate limit or a refused token. */
  private readonly waits: PlatformWaits;
  /**
   * The writes that record the last post (notice record, outbox delete, health), and the notice key they
   * are for. They run while the next entry is read; they complete before the next post.
   */
  private recording: Promise<unknown> = Promise.resolve();
  private recordingFor = '';
  /** The outbox as this notifier knows it (see the comment at the top); `stale` until read from the store. */
  private readonly mirror = new Map<string, OutboxEntry>();
  /** The subscriptions as last read, and the version key's value then. */
  private subsCopy: { version: string; list: Subscription[]; at: number; perChannel: Map<string, number> } | undefined;
  private stale = true;
  private syncedAt = 0;
  /** Per platform whose client does not pace itself: its pace (per channel and workspace-wide). */
  private readonly pacers = new Map<string, Pacer>();

  constructor(private readonly deps: NotifierDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    this.log = deps.log ?? (() => {});
    this.holds = deps.holds ?? (() => true);
    this.waits = new PlatformWaits(() => this.clock().getTime(), this.log, 'notices');
  }

  /** The lease was (re)gained: another instance may have changed the outbox meanwhile. */
  resumed(): void {
    this.stale = true;
  }

  /**
   * Every subscription, from this notifier's copy while the subscriptions' version key is unchanged (and for
   * at most RESYNC_MS), else read afresh: reading 10,000 of them is most of the time to a first notice.
   */
  private async subscriptions(): Promise<Subscription[]> {
    const { state } = this.deps;
    const version = JSON.stringify((await state.subscriptions.get(VERSION_KEY)) ?? null);
    const now = this.clock().getTime();
    const copy = this.subsCopy;
    if (copy && copy.version === version && now - copy.at < RESYNC_MS) return copy.list;
    const list = await allSubscriptions(state);
    const perChannel = new Map<string, number>();
    for (const sub of list)
      perChannel.set(`${sub.platform}:${sub.channel}`, (perChannel.get(`${sub.platform}:${sub.channel}`) ?? 0) + 1);
    this.subsCopy = { version, list, at: now, perChannel };
    return list;
  }

  /** Reads new log entries and writes an outbox entry for each subscription that should hear of them. */
  async fill(): Promise<number> {
    try {
      return await this.fillEntries();
    } catch (error) {
      this.stale = true; // some entries may be written and not copied
      throw error;
    }
  }

  private async fillEntries(): Promise<number> {
    const { state } = this.deps;
    const name = this.deps.cursor ?? CURSOR;
    const cursor = ((await state.cursors.get(name)) as { seq: number } | undefined)?.seq ?? 0;
    const entries = await readLog(state, cursor, BATCH);
    if (entries.length === 0) {
      // A cursor past the log's end (the store lost entries) would skip every new entry: bring it back.
      if (cursor > 0 && !(await logEntry(state, cursor))) {
        const end = await lastSeq(state);
        if (end < cursor) {
          this.log(
            'error',
            `the notifier's cursor ${name} was at ${cursor}, past the event log's end (${end}); now at ${end}`,
          );
          await state.cursors.set(name, { seq: end });
        }
      }
      return 0;
    }
    // Subscriptions are read after the log: one made since has an afterSeq at or past these entries.
    // Only those of the platforms this notifier posts to: another set of platforms has its own notifier.
    const subs = (await this.subscriptions()).filter((sub) => this.deps.posters[sub.platform]);
    const catalog = this.deps.catalog();
    for (const entry of entries) {
      if (!this.holds()) break;
      const event = catalogEvent(entry.event, 'log');
      // When the event first entered the log: a correction of an event older than a subscription is
      // not news to that channel, unless it was told of the event (then it hears of the correction).
      const firstSeq = entry.revision === 1 ? entry.seq : ((await revisionEntry(state, entry.id, 1))?.seq ?? entry.seq);
      const wanted: Subscription[] = [];
      for (const sub of subs) {
        if (entry.seq <= sub.afterSeq || sub.paused?.reason === 'user') continue;
        // A channel told of an earlier revision hears of the correction, whether or not it still matches
        // (asked of the store only when the event is not news to it anyway).
        const news = firstSeq > sub.afterSeq && subscriptionMatches(catalog, sub, event);
        if (news || (await this.toldOfEarlier(sub, entry))) wanted.push(sub);
      }
      const createdAt = this.clock().toISOString();
      const rows = wanted.map((sub): [string, OutboxEntry] => {
        const key = subscriptionKey(sub);
        const outbox: OutboxEntry = {
          sub: key,
          platform: sub.platform,
          channel: sub.channel,
          seq: entry.seq,
          eventId: entry.id,
          revision: entry.revision,
          attempts: 0,
          notBefore: 0,
          createdAt,
        };
        return [outboxKey(key, entry.id, entry.revision), outbox];
      });
      for (let i = 0; i < rows.length; i += FILL_CHUNK) {
        const chunk = rows.slice(i, i + FILL_CHUNK);
        await state.setManyIfAbsent('outbox', chunk as unknown as [string, JsonValue][]);
        // A key already in the outbox is already in the copy, as it is there (attempts, failure).
        for (const [key, outbox] of chunk) if (!this.mirror.has(key)) this.mirror.set(key, outbox);
      }
      await state.cursors.set(name, { seq: entry.seq });
    }
    return entries.length;
  }

  /** Whether the subscription's channel was posted, or the subscription has waiting, a notice of an earlier revision. */
  private async toldOfEarlier(sub: Subscription, entry: LogEntry): Promise<boolean> {
    if (entry.revision === 1) return false;
    if (await this.deps.state.notices.get(noticeKey(sub, entry.id))) return true;
    const key = subscriptionKey(sub);
    for (let revision = 1; revision < entry.revision; revision++) {
      if (await this.deps.state.outbox.get(outboxKey(key, entry.id, revision))) return true;
    }
    return false;
  }

  /**
   * The channel's other subscriptions with this same notice waiting (live and not paused): one notice names
   * them all, and their own entries are dropped when their turn comes (the channel has it by then).
   */
  private async alsoMatching(key: string, entry: OutboxEntry): Promise<Subscription[]> {
    // A channel with one subscription (most of them) has no other to name: no need to look through the outbox.
    const count = this.subsCopy?.perChannel.get(`${entry.platform}:${entry.channel}`);
    if (count !== undefined && count <= 1) return [];
    const others = [...this.mirror]
      .filter(
        ([k, e]) =>
          k !== key &&
          e.failed === undefined &&
          e.platform === entry.platform &&
          e.channel === entry.channel &&
          e.eventId === entry.eventId &&
          e.revision === entry.revision,
      )
      .map(([, e]) => e.sub);
    const subs = await Promise.all(others.map((other) => subscriptionAt(this.deps.state, other)));
    return subs.filter((s): s is Subscription => s !== undefined && !s.paused);
  }

  /** Delivers the outbox entries that are due, oldest event first, for at most `passMs`. Returns how many were posted. */
  async deliver(): Promise<number> {
    try {
      return await this.deliverDue();
    } catch (error) {
      this.stale = true; // a write may have failed after the copy was changed
      throw error;
    }
  }

  /** Reads the whole outbox into the in-memory copy. */
  private async resync(now: number): Promise<void> {
    this.mirror.clear();
    for await (const [key, value] of this.deps.state.outbox.entries())
      this.mirror.set(key, value as unknown as OutboxEntry);
    this.stale = false;
    this.syncedAt = now;
  }

  private async deliverDue(): Promise<number> {
    const started = this.clock().getTime();
    if (this.stale || started - this.syncedAt >= RESYNC_MS) await this.resync(started);
    const due: [string, OutboxEntry][] = [];
    for (const [key, entry] of this.mirror) {
      if (entry.failed === undefined && entry.notBefore <= started && this.deps.posters[entry.platform]) {
        due.push([key, entry]);
      }
    }
    this.fairOrder(due);
    this.report(due, started);
    // A pace learned from a rate limit holds while there is a backlog; the next fan-out starts at full speed.
    for (const platform of Object.keys(this.deps.posters)) {
      this.pacer(platform)?.pass(due.some(([, e]) => e.platform === platform));
    }
    let posted = 0;
    const passMs = this.deps.passMs ?? 10_000;
    const logged = new Map<number, Promise<LogEntry | undefined>>(); // one read per log entry per pass
    const over = () => !this.holds() || this.clock().getTime() - started > passMs;
    // A notice to a channel still within its own limit (Slack: about one post a second per channel) waits at the
    // end of the pass, so it holds up no other channel's.
    const queue = [...due];
    try {
      entries: for (let i = 0; i < queue.length; i++) {
        const [key, entry] = queue[i] as [string, OutboxEntry];
        const channelWait = this.pacer(entry.platform)?.channelWait(entry.channel) ?? 0;
        if (channelWait > 0 && i < due.length) {
          queue.push([key, entry]);
          continue;
        }
        if (channelWait > passMs - (this.clock().getTime() - started)) continue; // for a later pass
        if (channelWait > 0) await sleep(channelWait);
        // A rate-limited post is tried again as soon as the platform's retry-after has passed.
        for (let outcome: Outcome = 'rate-limited'; outcome === 'rate-limited'; ) {
          if (over()) return posted;
          const now = this.clock().getTime();
          const wait = this.waits.waitMs(entry.platform);
          // The pass ends before this platform may post again: its entries wait for a later pass, and
          // other platforms' go on.
          if (wait > passMs - (now - started)) continue entries;
          if (wait > 0) await sleep(wait); // every post to that platform waits for it
          if (!this.holds()) return posted;
          outcome = await this.deliverOne(key, entry, logged);
          if (outcome === 'posted') posted += 1;
          if (outcome !== 'skipped') {
            const name = outcome === 'posted' ? 'delivered' : outcome === 'rate-limited' ? 'rate_limited' : 'failed';
            this.deps.observe?.outcome?.(entry.platform, name);
          }
        }
      }
      return posted;
    } finally {
      await this.recorded();
    }
  }

  /** Tells the observer how many notices are due per platform served, and how old the oldest is. */
  private report(due: [string, OutboxEntry][], now: number): void {
    if (!this.deps.observe?.pending) return;
    for (const platform of Object.keys(this.deps.posters) as Place['platform'][]) {
      const mine = due.filter(([, e]) => e.platform === platform);
      const oldest = mine.reduce((min, [, e]) => Math.min(min, Date.parse(e.createdAt) || now), now);
      this.deps.observe.pending(platform, mine.length, Math.max(0, (now - oldest) / 1000));
    }
  }

  /**
   * Sorts due entries oldest event first and, within one event, by subscription number before channel:
   * every channel's #1, then every channel's #2 … so a channel with many matching subscriptions never
   * holds up another channel's notice behind all of its own. The order depends only on the entries'
   * keys, so a pass that was cut short resumes where it stopped.
   */
  private fairOrder(due: [string, OutboxEntry][]): void {
    const number = (entry: OutboxEntry) => Number(entry.sub.slice(entry.sub.lastIndexOf(':') + 1)) || 0;
    due.sort(([ka, a], [kb, b]) => a.seq - b.seq || number(a) - number(b) || (ka < kb ? -1 : 1));
  }

  /**
   * Waits for the writes recording the last post. If they failed (the store went away), the error
   * ends this pass and the runner logs it; the entry stays in the outbox, so at worst that notice is
   * posted again. The next pass starts clean either way.
   */
  private async recorded(): Promise<void> {
    const recording = this.recording;
    this.recording = Promise.resolve();
    this.recordingFor = '';
    await recording;
  }

  /** Posts one entry's notice and records the outcome. */
  private async deliverOne(
    key: string,
    entry: OutboxEntry,
    log: Map<number, Promise<LogEntry | undefined>>,
  ): Promise<Outcome> {
    const { state } = this.deps;
    const notices = noticeKey(entry, entry.eventId);
    if (this.recordingFor === notices) await this.recorded(); // this entry must see that record
    if (!log.has(entry.seq)) log.set(entry.seq, logEntry(state, entry.seq));
    const [sub, earlier, logged] = await Promise.all([
      subscriptionAt(state, entry.sub),
      state.notices.get(notices) as Promise<NoticeRecord | undefined>,
      log.get(entry.seq) as Promise<LogEntry | undefined>,
    ]);
    if (!sub) {
      this.mirror.delete(key);
      await state.outbox.delete(key); // unsubscribed: its waiting notices are dropped
      return 'skipped';
    }
    if (sub.paused) return 'skipped'; // held until resumed
    if (earlier && earlier.revision >= entry.revision) {
      this.mirror.delete(key);
      await state.outbox.delete(key); // posted before a crash, or superseded by a later revision already posted
      return 'skipped';
    }
    if (!logged) {
      await this.markFailed(key, entry, `log entry ${entry.seq} is missing`);
      return 'failed';
    }
    const notice: NoticeKind = earlier
      ? { kind: 'corrected', changed: await this.changes(entry.eventId, earlier.revision, logged) }
      : { kind: 'new' };
    const catalog = this.deps.catalog();
    const named = [sub, ...(await this.alsoMatching(key, entry))].sort((a, b) => a.id - b.id);
    let reply: Reply;
    try {
      reply = noticeReply(catalog, catalogEvent(logged.event, 'log'), named, notice, {
        publicUrl: this.deps.publicUrl,
      });
    } catch (error) {
      // Building the notice is deterministic: if it fails once it always will. Kept for a person to look at.
      await this.markFailed(key, entry, `the notice cannot be built: ${(error as Error).message}`);
      return 'failed';
    }
    const poster = this.deps.posters[entry.platform] as Poster;
    await this.recorded(); // the previous post is recorded before this one is made
    await this.pacer(entry.platform)?.beforePost(entry.channel);
    if (!this.holds()) return 'skipped'; // the lease went while waiting for the pace: another instance posts it
    let result: Awaited<ReturnType<Poster['post']>>;
    try {
      result = await poster.post(entry.channel, reply, earlier ? { replyTo: earlier.messageId } : {});
    } catch (error) {
      // A Poster returns failures; one that throws is a bug: treated as transient, so the entry backs off
      // and the notices behind it still go out.
      result = { ok: false, failure: { kind: 'transient', detail: `the poster threw: ${(error as Error).message}` } };
    }
    const at = this.clock().toISOString();
    if (result.ok) {
      this.pacer(entry.platform)?.posted();
      this.mirror.delete(key);
      const record: NoticeRecord = { revision: entry.revision, messageId: result.messageId, at };
      // The record first, then the delete: these run while the next entry is read, and are awaited
      // before the next post.
      this.recordingFor = notices;
      this.recording = (async () => {
        await state.notices.set(notices, record as unknown as JsonValue);
        await Promise.all([
          state.outbox.delete(key),
          ...named.map((s) =>
            recordHealth(state, subscriptionKey(s), { lastDelivery: { at, eventId: entry.eventId } }),
          ),
        ]);
      })();
      this.recording.catch(() => {}); // seen where it is awaited (recorded()); never an unhandled rejection
      return 'posted';
    }
    await this.failed(key, entry, sub, result.failure, at);
    return result.failure.kind === 'rate-limited' ? 'rate-limited' : 'failed';
  }

  /** The fields that differ between the revision posted earlier and this one. */
  private async changes(eventId: string, revision: number, now: LogEntry): Promise<string[]> {
    const before = await revisionEntry(this.deps.state, eventId, revision);
    return before ? changedFields(before.event, now.event) : [];
  }

  private async failed(key: string, entry: OutboxEntry, sub: Subscription, failure: PostFailure, at: string) {
    const { state } = this.deps;
    const where = `${entry.platform} ${entry.channel} #${sub.id}`;
    if (failure.kind === 'rate-limited') {
      // Not a failure of the subscription: the next post waits, and this one is tried again.
      this.pacer(entry.platform)?.rateLimited(this.waits.rateLimited(entry.platform, failure.retryAfterMs));
      return;
    }
    await recordHealth(state, entry.sub, { lastFailure: { at, detail: `${failure.kind}: ${failure.detail}` } });
    if (failure.kind === 'unauthorized') {
      this.waits.unauthorized(entry.platform, failure.detail);
      return;
    }
    switch (failure.kind) {
      case 'transient': {
        const attempts = entry.attempts + 1;
        const notBefore = this.clock().getTime() + retryDelayMs(attempts, this.random);
        this.mirror.set(key, { ...entry, attempts, notBefore });
        await state.outbox.set(key, { ...entry, attempts, notBefore } as unknown as JsonValue);
        this.log('warn', `notice to ${where} failed (${failure.detail}); attempt ${attempts}, retrying later`);
        return;
      }
      case 'rejected':
        await this.markFailed(key, entry, failure.detail);
        return;
      case 'gone':
      case 'forbidden': {
        const pause = { reason: failure.kind, at, detail: failure.detail };
        await pauseForPlatform(state, entry.sub, pause);
        this.log('warn', `paused ${where}: ${failure.kind} (${failure.detail})`);
        await this.tell({ ...sub, paused: pause });
        return;
      }
    }
  }

  private async markFailed(key: string, entry: OutboxEntry, detail: string): Promise<void> {
    this.mirror.set(key, { ...entry, failed: detail });
    await this.deps.state.outbox.set(key, { ...entry, failed: detail } as unknown as JsonValue);
    this.log('error', `notice ${key} can never be posted as it is (${detail}); kept in the outbox, not retried`);
  }

  /** The pace of `platform`'s posts, made from its poster's documented limits; none when its client paces itself. */
  private pacer(platform: string): Pacer | undefined {
    const poster = this.deps.posters[platform as Place['platform']];
    if (!poster || poster.pacesItself) return undefined;
    let pacer = this.pacers.get(platform);
    if (!pacer) {
      pacer = new Pacer(() => this.clock().getTime(), poster.limits);
      this.pacers.set(platform, pacer);
    }
    return pacer;
  }

  /** Tells the person who set the subscription up that it was paused (the channel itself cannot be reached). */
  private async tell(sub: Subscription): Promise<void> {
    const poster = this.deps.posters[sub.platform];
    if (!poster || !sub.createdBy) return;
    const result = await poster.direct(sub.createdBy, pausedReply(sub));
    if (!result.ok)
      this.log('warn', `could not tell ${sub.createdBy} that #${sub.id} was paused: ${result.failure.detail}`);
  }

  /** Fills, then delivers (even if filling failed: what is queued still goes out); true when there may be more to do. */
  async step(): Promise<boolean> {
    let read = 0;
    let failure: unknown;
    try {
      read = await this.fill();
      // With nothing new, the subscriptions are read now (if they changed), not when an event arrives.
      if (read === 0) await this.subscriptions();
    } catch (error) {
      failure = error;
    }
    const posted = await this.deliver();
    if (failure !== undefined) throw failure;
    return read > 0 || posted > 0;
  }
}

/** The message to the person who set up a subscription that Hotline had to pause. */
export function pausedReply(sub: Subscription): Reply {
  const why =
    sub.paused?.reason === 'gone'
      ? 'the channel no longer exists or was archived'
      : 'Hotline may no longer post there (it was removed, or lost a permission)';
  const text = `Hotline paused subscription #${sub.id} in channel ${sub.channel}: ${why}${sub.paused?.detail ? ` (${sub.paused.detail})` : ''}. Notices are kept, not lost. Once Hotline can post there again, run /subscribe resume ${sub.id} in that channel; /subscribe list shows its state.`;
  return {
    tone: 'answer',
    title: `Subscription #${sub.id} paused`,
    blocks: [{ type: 'text', text }],
    sources: [],
    fallbackText: text,
  };
}
