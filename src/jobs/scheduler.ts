// The scheduler job: digest schedules -> due runs -> an outbox of digests -> delivery through the Posters.
import type { Catalog } from '../core/catalog.js';
import type { Poster, PostFailure, PostFile } from '../core/poster.js';
import type { Reply } from '../core/reply.js';
import { lastDue, nextRun, type Schedule } from '../core/schedule.js';
import type { Pause, Place } from '../core/subscription.js';
import type { Log } from '../logging.js';
import { allSchedules, SCHEDULES_VERSION_KEY, scheduleKey } from '../schedules/book.js';
import type { JsonValue, State } from '../state/index.js';
import type { Clock } from '../subscriptions/book.js';
import { RESYNC_MS, retryDelayMs } from './notifier.js';
import { PlatformWaits } from './platformWaits.js';

/*
 * Keys the scheduler writes in the `schedules` namespace (see src/schedules/book.ts for the rest):
 *   out:<schedule key>|<slot>   DigestRun: a run to post, written once with setIfAbsent (the idempotency key).
 *   done:<schedule key>         { slot }: the last slot queued. Written after the run: a crash between the two
 *                               queues the same slot again, which setIfAbsent ignores.
 *   sent:<schedule key>|<slot>  { at, messageId }: the run was posted. Then the run is deleted.
 *   health:<key>, failure:<key>, paused:<key>: the schedule's last run, last failure and the platform's pause.
 * Order of delivery writes, and what a crash between them does: post -> sent -> health -> delete the run. A crash
 * before the post posts it after the restart (nothing lost); between the post and `sent`, it is posted again (the
 * one duplicate the design allows, as for notices); after `sent`, the run is seen as posted: its health is written
 * from `sent` (the crash may have come before it) and the run deleted.
 * After downtime a schedule is due once, for its latest slot, and that run's window reaches back to the
 * previous run: one digest covering the whole gap, never one per missed slot.
 */

/** One digest to post. */
export interface DigestRun {
  /** The schedule's state key. */
  schedule: string;
  platform: Place['platform'];
  channel: string;
  /** The instant it was due (ISO). */
  slot: string;
  /** The slot of the run before it, if any: where its window starts. */
  previousSlot?: string;
  attempts: number;
  /** Not to be tried before this time (ms since the epoch). */
  notBefore: number;
  createdAt: string;
  /** Set when the platform refused the message itself: kept for a person to look at, never retried. */
  failed?: string;
}

/**
 * The chart of a reply as a file, or why there is none (a failed render never holds the digest back). It draws
 * `reply.chart` and depends on nothing else: the scheduler reuses one drawing for digests with the same series.
 */
export type ChartRenderer = (reply: Reply) => Promise<{ file?: PostFile; error?: string }>;

/** What the scheduler needs. */
export interface SchedulerDeps {
  state: State;
  catalog: () => Catalog;
  /** The digest a run posts: the schedule's filters over the days from the previous slot to this one. */
  digest: (catalog: Catalog, schedule: Schedule, slot: Date, previousSlot: Date | undefined) => Promise<Reply>;
  /** Draws a reply's chart (src/charts); absent: digests go out without one. */
  chart?: ChartRenderer;
  posters: Partial<Record<Place['platform'], Poster>>;
  clock?: Clock;
  random?: () => number;
  log?: Log;
  holds?: () => boolean;
}

const runKey = (schedule: string, slot: string) => `out:${schedule}|${slot}`;

/** How long a `sent:` record is kept: far longer than a run can wait in the outbox, then it expires. */
const SENT_KEPT_MS = 30 * 24 * 60 * 60_000;

/** How many drawn charts the scheduler keeps: a chart takes ~100 ms to draw, and its PNG ~50 KB to keep. */
export const CHARTS_KEPT = 16;

/** The scheduler; `step()` queues the runs that are due and posts the queued ones that may go. */
export class Scheduler {
  readonly name = 'scheduler';
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Log;
  private readonly holds: () => boolean;
  /** The schedules and their last slots as last read, with the version key's value then. */
  private copy:
    | { version: string; list: Schedule[]; done: Map<string, string>; nextAt: Map<string, number>; at: number }
    | undefined;
  /** The queued runs as this scheduler knows them (only the lease holder writes them); read again when stale. */
  private readonly runs = new Map<string, DigestRun>();
  private stale = true;
  private syncedAt = 0;
  /** Per platform: no post before this time, after a rate limit or a refused token. */
  private readonly waits: PlatformWaits;
  /**
   * The charts drawn last, by their series as JSON (filter, months, window and the window's events): schedules
   * with the same filters due at the same time have the same series, and drawing dominates a digest's cost.
   */
  private readonly charts = new Map<string, PostFile>();

  constructor(private readonly deps: SchedulerDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    this.log = deps.log ?? (() => {});
    this.waits = new PlatformWaits(() => this.clock().getTime(), this.log, 'digests');
    this.holds = deps.holds ?? (() => true);
  }

  resumed(): void {
    this.stale = true;
    this.copy = undefined;
  }

  async step(): Promise<boolean> {
    try {
      const queued = await this.queueDue();
      const posted = await this.deliverDue();
      return queued + posted > 0;
    } catch (error) {
      this.resumed(); // some writes may have failed after the copy changed
      throw error;
    }
  }

  /** The schedules (and their last slots), read again when the version key changed or after RESYNC_MS. */
  private async schedules(
    now: number,
  ): Promise<{ list: Schedule[]; done: Map<string, string>; nextAt: Map<string, number> }> {
    const { state } = this.deps;
    const version = JSON.stringify((await state.schedules.get(SCHEDULES_VERSION_KEY)) ?? null);
    const copy = this.copy;
    if (copy && copy.version === version && now - copy.at < RESYNC_MS) return copy;
    const list = (await allSchedules(state)).filter((s) => this.deps.posters[s.platform]);
    const slots = (await state.schedules.getMany(list.map((s) => `done:${scheduleKey(s)}`))) as (
      | { slot: string }
      | undefined
    )[];
    const done = new Map<string, string>();
    // When each is next due, worked out once: an idle round then costs a comparison per schedule.
    const nextAt = new Map<string, number>();
    list.forEach((s, i) => {
      const slot = slots[i]?.slot;
      if (slot) done.set(scheduleKey(s), slot);
      nextAt.set(scheduleKey(s), nextRun(s, new Date(slot ?? s.createdAt)).getTime());
    });
    this.copy = { version, list, done, nextAt, at: now };
    return this.copy;
  }

  /** Queues a run for every schedule whose next slot has come; returns how many were queued. */
  async queueDue(): Promise<number> {
    const now = this.clock();
    const { list, done, nextAt } = await this.schedules(now.getTime());
    let queued = 0;
    for (const schedule of list) {
      if (!this.holds()) break;
      if (schedule.paused) continue; // a paused schedule's slots pass; on resume it covers the gap in one run
      const key = scheduleKey(schedule);
      if ((nextAt.get(key) ?? 0) > now.getTime()) continue;
      const previous = done.get(key);
      const slot = lastDue(schedule, new Date(previous ?? schedule.createdAt), now);
      if (!slot) continue;
      const run: DigestRun = {
        schedule: key,
        platform: schedule.platform,
        channel: schedule.channel,
        slot: slot.toISOString(),
        ...(previous ? { previousSlot: previous } : {}),
        attempts: 0,
        notBefore: 0,
        createdAt: now.toISOString(),
      };
      const k = runKey(key, run.slot);
      await this.deps.state.setIfAbsent('schedules', k, run as unknown as JsonValue);
      if (!this.runs.has(k)) this.runs.set(k, run);
      await this.deps.state.schedules.set(`done:${key}`, { slot: run.slot });
      done.set(key, run.slot);
      nextAt.set(key, nextRun(schedule, slot).getTime());
      queued += 1;
    }
    return queued;
  }

  /** Reads every queued run into the in-memory copy. */
  private async resync(now: number): Promise<void> {
    this.runs.clear();
    for await (const [key, value] of this.deps.state.schedules.entries()) {
      if (key.startsWith('out:')) this.runs.set(key, value as unknown as DigestRun);
    }
    this.stale = false;
    this.syncedAt = now;
  }

  /** Posts the queued runs that are due, oldest slot first; returns how many were posted. */
  async deliverDue(): Promise<number> {
    const started = this.clock().getTime();
    if (this.stale || started - this.syncedAt >= RESYNC_MS) await this.resync(started);
    const due = [...this.runs]
      .filter(([, r]) => r.failed === undefined && r.notBefore <= started && this.deps.posters[r.platform])
      .sort(([a, x], [b, y]) => (x.slot < y.slot ? -1 : x.slot > y.slot ? 1 : a < b ? -1 : 1));
    let posted = 0;
    for (const [key, run] of due) {
      if (!this.holds()) break;
      if (this.waits.waitMs(run.platform) > 0) continue;
      if (await this.deliverOne(key, run)) posted += 1;
    }
    return posted;
  }

  private async drop(key: string): Promise<void> {
    this.runs.delete(key);
    await this.deps.state.schedules.delete(key);
  }

  /** Posts one run; true if it was posted. */
  private async deliverOne(key: string, run: DigestRun): Promise<boolean> {
    const { state } = this.deps;
    const [stored, sent, pause, health] = (await state.schedules.getMany([
      run.schedule,
      `sent:${run.schedule}|${run.slot}`,
      `paused:${run.schedule}`,
      `health:${run.schedule}`,
    ])) as [
      Schedule | { removed: true } | undefined,
      { at: string } | undefined,
      Pause | undefined,
      Pick<Schedule, 'lastRun'> | undefined,
    ];
    if (!stored || 'removed' in stored) {
      await this.drop(key); // cancelled: its waiting digest is dropped
      return false;
    }
    if (sent) {
      // Posted before a crash, which may have come before its health was written.
      await state.schedules.set(`health:${run.schedule}`, { lastRun: { at: sent.at, slot: run.slot } });
      await this.drop(key);
      return false;
    }
    if (stored.paused || pause) return false; // held until resumed
    // The window starts at the last run posted: a run that could never be posted leaves its days to the next.
    const posted = health?.lastRun?.slot;
    const previousSlot = posted !== undefined && posted < run.slot ? posted : run.previousSlot;
    const catalog = this.deps.catalog();
    let reply: Reply;
    try {
      reply = await this.deps.digest(
        catalog,
        stored,
        new Date(run.slot),
        previousSlot ? new Date(previousSlot) : undefined,
      );
    } catch (error) {
      await this.markFailed(key, run, `the digest cannot be built: ${(error as Error).message}`);
      return false;
    }
    const files: PostFile[] = [];
    if (reply.chart && this.deps.chart) {
      const chart = await this.drawChart(reply, this.deps.chart);
      if (chart.file) files.push(chart.file);
      else
        this.log(
          'warn',
          `digest ${key}: the chart could not be drawn (${chart.error ?? 'unknown'}); posted without it`,
        );
    }
    const poster = this.deps.posters[run.platform] as Poster;
    let result: Awaited<ReturnType<Poster['post']>>;
    try {
      result = await poster.post(run.channel, reply, files.length > 0 ? { files } : {});
    } catch (error) {
      result = { ok: false, failure: { kind: 'transient', detail: `the poster threw: ${(error as Error).message}` } };
    }
    const at = this.clock().toISOString();
    if (result.ok) {
      // Needed only while the run exists (a crash before its delete): it expires, so such keys never pile up.
      await state.schedules.set(`sent:${run.schedule}|${run.slot}`, { at, messageId: result.messageId }, SENT_KEPT_MS);
      // Health before the run is deleted: once it is gone, nothing would write a lost health again.
      await state.schedules.set(`health:${run.schedule}`, { lastRun: { at, slot: run.slot } });
      await this.drop(key);
      return true;
    }
    await this.failed(key, run, stored, result.failure, at);
    return false;
  }

  /** The reply's chart, drawn once per series while it is among the last CHARTS_KEPT; failures are not kept. */
  private async drawChart(reply: Reply, draw: ChartRenderer): Promise<{ file?: PostFile; error?: string }> {
    const key = JSON.stringify(reply.chart);
    const kept = this.charts.get(key);
    if (kept) return { file: kept };
    const drawn = await draw(reply);
    if (drawn.file) {
      this.charts.set(key, drawn.file);
      const oldest = this.charts.keys().next().value;
      if (this.charts.size > CHARTS_KEPT && oldest !== undefined) this.charts.delete(oldest);
    }
    return drawn;
  }

  private async failed(key: string, run: DigestRun, schedule: Schedule, failure: PostFailure, at: string) {
    const { state } = this.deps;
    const where = `${run.platform} ${run.channel} schedule #${schedule.id}`;
    if (failure.kind === 'rate-limited') {
      this.waits.rateLimited(run.platform, failure.retryAfterMs);
      return;
    }
    await state.schedules.set(`failure:${run.schedule}`, {
      lastFailure: { at, detail: `${failure.kind}: ${failure.detail}` },
    });
    switch (failure.kind) {
      case 'unauthorized':
        this.waits.unauthorized(run.platform, failure.detail);
        return;
      case 'transient': {
        const attempts = run.attempts + 1;
        const next = { ...run, attempts, notBefore: this.clock().getTime() + retryDelayMs(attempts, this.random) };
        this.runs.set(key, next);
        await state.schedules.set(key, next as unknown as JsonValue);
        this.log('warn', `digest to ${where} failed (${failure.detail}); attempt ${attempts}, retrying later`);
        return;
      }
      case 'rejected':
        await this.markFailed(key, run, failure.detail);
        return;
      case 'gone':
      case 'forbidden': {
        const pause: Pause = { reason: failure.kind, at, detail: failure.detail };
        await state.schedules.set(`paused:${run.schedule}`, pause as unknown as JsonValue);
        this.copy = undefined; // read the schedules again: this one is paused now
        this.log('warn', `paused ${where}: ${failure.kind} (${failure.detail})`);
        await this.tell({ ...schedule, paused: pause });
        return;
      }
    }
  }

  private async markFailed(key: string, run: DigestRun, detail: string): Promise<void> {
    this.runs.set(key, { ...run, failed: detail });
    await this.deps.state.schedules.set(key, { ...run, failed: detail } as unknown as JsonValue);
    this.log('error', `digest ${key} can never be posted as it is (${detail}); kept, not retried`);
  }

  /** Tells the person who made the schedule that it was paused (the channel itself cannot be reached). */
  private async tell(schedule: Schedule): Promise<void> {
    const poster = this.deps.posters[schedule.platform];
    if (!poster || !schedule.createdBy) return;
    const why =
      schedule.paused?.reason === 'gone'
        ? 'the channel no longer exists or was archived'
        : 'Hotline may no longer post there (it was removed, or lost a permission)';
    const text = `Hotline paused digest schedule #${schedule.id} in channel ${schedule.channel}: ${why}${schedule.paused?.detail ? ` (${schedule.paused.detail})` : ''}. Once Hotline can post there again, run /digest schedule resume ${schedule.id} in that channel; the next digest covers the days since the last one posted.`;
    const result = await poster.direct(schedule.createdBy, {
      tone: 'answer',
      title: `Digest schedule #${schedule.id} paused`,
      blocks: [{ type: 'text', text }],
      sources: [],
      fallbackText: text,
    });
    if (!result.ok) this.log('warn', `could not tell ${schedule.createdBy} that schedule #${schedule.id} was paused`);
  }
}
