// The feed watcher job: on the job runner's lease, polls each source of feeds.yaml when it is due (its own
// interval, jittered; later while it fails) and proposes the contacts it reads to the drafts book.
import type { Catalog } from '../core/catalog.js';
import type { Feed } from '../core/schema.js';
import { type FetchLimits, type HttpClient, httpClient } from '../feeds/fetch.js';
import { feedMemory } from '../feeds/memory.js';
import { type FeedParser, type ParseLimits, workerParser } from '../feeds/parser.js';
import { FIRST_POLL_SPREAD_MS } from '../feeds/timing.js';
import { pollSource, type SourceReport, type WatchDeps } from '../feeds/watch.js';
import type { Log } from '../logging.js';
import type { State } from '../state/index.js';
import type { Job } from './runner.js';

/** What the watcher needs. */
export interface WatcherDeps {
  state: State;
  catalog: () => Catalog;
  feeds: readonly Feed[];
  /** Bounds of each request (tests shorten the time limit). */
  limits?: Partial<FetchLimits>;
  /** How many sources are polled at once. */
  concurrency?: number;
  clock?: () => Date;
  random?: () => number;
  log?: Log;
  holds?: () => boolean;
  /** Told after each poll (tests and metrics). */
  onReport?: (report: SourceReport) => void;
  maxAgeDays?: number;
  maxItemsPerPoll?: number;
  /** Sources never polled are first polled within this after start (default FIRST_POLL_SPREAD_MS). */
  firstPollSpreadMs?: number;
  /** Bounds of the parse worker (default PARSE_TIMEOUT_MS and PARSE_HEAP_MB; tests shorten them). */
  parseLimits?: Partial<ParseLimits>;
}

export const DEFAULT_WATCH_CONCURRENCY = 4;

/**
 * The watcher. `step()` starts the polls that are due and returns at once: a slow source never holds up the
 * notifier, which runs on the same loop. The polls run in the background, at most `concurrency` at a time.
 */
export class Watcher implements Job {
  readonly name = 'watcher';
  private readonly http: HttpClient;
  /** Feeds and articles are parsed off the event loop, on one worker thread started at the first parse. */
  private readonly parser: FeedParser;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly holds: () => boolean;
  /** When each source is due (ms since the epoch); read from state when the lease is (re)gained. */
  private due: Map<string, number> | undefined;
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: WatcherDeps) {
    this.http = httpClient(deps.limits);
    this.parser = workerParser(deps.parseLimits);
    this.clock = deps.clock ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    this.holds = deps.holds ?? (() => true);
  }

  resumed(): void {
    // Another instance may have polled meanwhile: its times are in state.
    this.due = undefined;
  }

  async step(): Promise<boolean> {
    if (this.stopped) return false;
    const due = this.due ?? (await this.load());
    const now = this.clock().getTime();
    const limit = this.deps.concurrency ?? DEFAULT_WATCH_CONCURRENCY;
    for (const feed of this.deps.feeds) {
      if (this.running.size >= limit || !this.holds()) break;
      if (this.running.has(feed.name) || (due.get(feed.name) ?? 0) > now) continue;
      this.running.set(feed.name, this.poll(feed, due));
    }
    return false;
  }

  /** The polls in flight, settled (tests wait on this, not on the clock). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  /** Stops starting polls, aborts the requests and parses in flight and waits for their polls to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.http.destroy();
    await this.parser.close();
    await this.idle();
  }

  private async load(): Promise<Map<string, number>> {
    const names = this.deps.feeds.map((feed) => feed.name);
    const health = await feedMemory(this.deps.state).healthOf(names);
    const start = this.clock().getTime();
    const due = new Map<string, number>();
    names.forEach((name, i) => {
      const at = health[i]?.nextPoll ? Date.parse(health[i].nextPoll) : Number.NaN;
      due.set(
        name,
        Number.isNaN(at) ? start + this.random() * (this.deps.firstPollSpreadMs ?? FIRST_POLL_SPREAD_MS) : at,
      );
    });
    this.due = due;
    return due;
  }

  private async poll(feed: Feed, due: Map<string, number>): Promise<void> {
    try {
      const deps: WatchDeps = {
        state: this.deps.state,
        catalog: this.deps.catalog,
        fetch: this.http.fetch,
        parser: this.parser,
        clock: this.clock,
        random: this.random,
        holds: () => this.holds() && !this.stopped,
        ...(this.deps.log ? { log: this.deps.log } : {}),
        ...(this.deps.maxAgeDays !== undefined ? { maxAgeDays: this.deps.maxAgeDays } : {}),
        ...(this.deps.maxItemsPerPoll !== undefined ? { maxItemsPerPoll: this.deps.maxItemsPerPoll } : {}),
      };
      const report = await pollSource(feed, deps);
      due.set(feed.name, Date.parse(report.nextPoll));
      this.deps.onReport?.(report);
    } catch (error) {
      // The state store failed while recording: try again after one interval.
      due.set(feed.name, this.clock().getTime() + feed.interval * 60_000);
      this.deps.log?.('error', `feed "${feed.name}": ${(error as Error).message}`);
    } finally {
      this.running.delete(feed.name);
    }
  }
}
