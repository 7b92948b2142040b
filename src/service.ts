// The bot's stateful side, shared by the console and the chat bots: state, the catalog published to the
// event log, subscription books per channel, and the job runner with the notifier.
import { hostname } from 'node:os';
import type { Catalog } from './core/catalog.js';
import { type DraftDesk, lazyDraftDesk } from './core/drafts.js';
import type { Poster } from './core/poster.js';
import type { ScheduleBook } from './core/schedule.js';
import type { Place, SubscriptionBook } from './core/subscription.js';
import { DraftCards } from './drafts/cards.js';
import type { ReviewDesk } from './drafts/desk.js';
import { emptyView, entryKey, liveCatalog, openView, readView, saveView, viewOfPublished } from './events/live.js';
import { lastSeq, logEntries, type PublishCounts, publishCatalog } from './events/log.js';
import { Notifier, type NotifierObserver } from './jobs/notifier.js';
import { type JobRunner, startJobRunner } from './jobs/runner.js';
import { Scheduler, type SchedulerDeps } from './jobs/scheduler.js';
import type { Watcher, WatcherDeps } from './jobs/watcher.js';
import type { Log } from './logging.js';
import { scheduleBook } from './schedules/book.js';
import { openState, type State } from './state/index.js';
import { subscriptionBook } from './subscriptions/book.js';

/** Options of `startService`. */
export interface ServiceOptions {
  /** STATE_URL (undefined: the embedded file .hotline/state.db). */
  stateUrl: string | undefined;
  catalog: Catalog;
  /** A Poster per platform this instance serves. */
  posters: Partial<Record<Place['platform'], Poster>>;
  log?: Log;
  /** Lease and idle times of the job runner (tests shorten them). */
  leaseMs?: number;
  idleMs?: number;
  /** How often the event log is read for events added at run time (default 1 s). */
  refreshMs?: number;
  /** The bound on each state operation (STATE_TIMEOUT_MS; default 5 s). */
  stateTimeoutMs?: number;
  /** The state's scope (SQL table, Redis key prefix); tests give each run its own. */
  scope?: string;
  /** Told when the log is found to have gone backwards (for metrics). */
  onLogBackwards?: () => void;
  /** Told when the state store stops answering (once per outage, for metrics). */
  onStateFault?: () => void;
  /** Passed to each notifier (for metrics). */
  observe?: NotifierObserver;
  /** The most subscriptions a channel may have (MAX_SUBSCRIPTIONS_PER_CHANNEL). */
  maxPerChannel?: number;
  /** Digest schedules: the digest a run posts, and its chart. Without `digest`, no scheduler runs. */
  scheduling?: Pick<SchedulerDeps, 'digest' | 'chart'>;
  /** The web view's public base URL (PUBLIC_URL), if configured: notices link each event to its page there. */
  publicUrl?: string;
  /** The feed watcher: the sources to poll (feeds.yaml), on a lease of its own. Absent: no watcher. */
  watch?: Pick<WatcherDeps, 'feeds' | 'limits' | 'onReport' | 'maxAgeDays' | 'firstPollSpreadMs'>;
  /** The editors' channel per platform (SLACK_EDITORS_CHANNEL, DISCORD_EDITORS_CHANNEL): new drafts' cards go there. */
  editors?: Partial<Record<Place['platform'], string>>;
}

/** The running service. */
export interface Service {
  state: State;
  /** What publishing the catalog at start-up did. */
  published: PublishCounts;
  /** The catalog to answer from now: data/ plus the events the log added or corrected. */
  catalog(): Catalog;
  /** Calls `listener` with the new catalog each time the log changes it. */
  onCatalog(listener: (catalog: Catalog) => void): void;
  /** The subscriptions of one channel. */
  book(place: Place): SubscriptionBook;
  /** The digest schedules of one channel. */
  schedules(place: Place): ScheduleBook;
  /** The review of drafts, answering from the catalog as it is now (commands reach it only for editors). */
  drafts: DraftDesk;
  /** The same desk with its book of drafts and their cards, where an editors' channel is set (`editors`). */
  review?: ReviewDesk;
  /** One job runner per platform served. */
  runners: JobRunner[];
  /** The feed watcher's runner (lease `jobs:feeds`), when it runs. */
  watcher?: JobRunner;
  /** Per platform served: whether this instance runs its notifier now, and how many log entries it has not yet read. */
  jobs(): Promise<{ platform: Place['platform']; holding: boolean; lag: number }[]>;
  /** Stops the jobs and closes the state. */
  stop(): Promise<void>;
}

/** The feed watcher's lease. */
export const WATCHER_LEASE = 'jobs:feeds';

/** A name for this instance in the jobs lease: host, process and a random part. */
export function instanceName(): string {
  return `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Opens the state (an unreachable or wrong STATE_URL throws, naming it), publishes the catalog (ids not
 * seen before become new log entries, changed ones revisions), and starts the job runner with the notifier.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const state = await openState(options.stateUrl, {
    ...(options.stateTimeoutMs !== undefined ? { timeoutMs: options.stateTimeoutMs } : {}),
    ...(options.scope !== undefined ? { scope: options.scope } : {}),
    onFault: (message, recovered) => {
      if (!recovered) options.onStateFault?.();
      options.log?.(
        recovered ? 'warn' : 'error',
        recovered ? `state store: ${message}` : `state store not answering: ${message}`,
      );
    },
  });
  try {
    const empty = (await lastSeq(state)) === 0;
    const published = await publishCatalog(state, options.catalog, new Date().toISOString());
    // Every instance follows the log, so each answers with the events added at run time. A first start that filled
    // an empty log with data/ alone need not read it back; a restart with the same data/ reads it from where the
    // last one left it (its checkpoint), not from the first entry.
    let view =
      (empty && published.new === options.catalog.count ? await viewOfPublished(state, published.new) : undefined) ??
      (await openView(state, options.catalog));
    await saveView(state, options.catalog, view);
    let current = await liveCatalog(state, options.catalog, view.changed);
    const listeners: ((catalog: Catalog) => void)[] = [];
    const onBackwards = options.onLogBackwards;
    let unanswered = false; // the view has entries the catalog was not made with
    const refresh = async () => {
      // The last entry read is checked again, to notice a log that went backwards even once it has grown past it.
      if (view.seen > 0 && entryKey((await logEntries(state, [view.seen]))[0]) !== view.at) {
        // The store lost entries this instance has read (flushed, or restored from an older backup).
        options.log?.(
          'error',
          `the event log went backwards: entry ${view.seen} is gone from the ${state.kind} store (flushed, or restored from an older backup?). Events added with hotline ingest since then are lost; publishing data/ again and reading the log from its start.`,
        );
        onBackwards?.();
        view = emptyView();
        // Event by event: the store may have kept the fingerprint of data/ and lost the entries it stood for.
        await publishCatalog(state, options.catalog, new Date().toISOString(), { everyEvent: true });
      }
      // What was read is answered once the catalog is made of it: a failure making it (reading `data:<id>`) after
      // the view moved past the entries leaves it to the next refresh, which finds nothing new in the log.
      if (await readView(state, options.catalog, view)) unanswered = true;
      if (!unanswered) return;
      current = await liveCatalog(state, options.catalog, view.changed);
      unanswered = false;
      for (const listener of listeners) listener(current);
    };
    // The desk loads the event checks (the schema library, YAML) and the detector, about 0.1 s of CPU: it is made
    // at start only where editors' channels get drafts' cards, and elsewhere (the console) at the first /drafts.
    const makeDesk = async () =>
      (await import('./drafts/desk.js')).draftDesk({ state, catalog: () => current, clock: () => new Date() });
    const review = Object.values(options.editors ?? {}).some(Boolean) ? await makeDesk() : undefined;
    // The watcher's modules (the feed parser, linkedom, Readability) load only where it runs. Both loads come before
    // the refresh timer and the job runners start: nothing after that point can fail and leave them running.
    const watcherModule = options.watch ? await import('./jobs/watcher.js') : undefined;
    let refreshing = Promise.resolve();
    const timer = setInterval(() => {
      refreshing = refreshing
        .then(refresh)
        .catch((error: Error) => options.log?.('error', `could not read the event log: ${error.message}`));
    }, options.refreshMs ?? 1_000);
    timer.unref();
    // One lease, cursor and notifier per platform: the instances serving a platform take turns on it,
    // whatever else each serves, and one platform's rate limit or outage never holds up another's.
    const holder = instanceName();
    const platforms = Object.keys(options.posters) as Place['platform'][];
    const runners = (Object.entries(options.posters) as [Place['platform'], Poster][]).map(([platform, poster]) =>
      startJobRunner({
        state,
        holder,
        lease: `jobs:${platform}`,
        ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
        ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
        ...(options.log ? { log: options.log } : {}),
        jobs: (holds) => [
          new Notifier({
            state,
            cursor: `notifier:${platform}`,
            catalog: () => current,
            posters: { [platform]: poster },
            holds,
            ...(options.log ? { log: options.log } : {}),
            ...(options.observe ? { observe: options.observe } : {}),
            ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
          }),
          ...(options.scheduling
            ? [
                new Scheduler({
                  state,
                  catalog: () => current,
                  ...options.scheduling,
                  posters: { [platform]: poster },
                  holds,
                  ...(options.log ? { log: options.log } : {}),
                }),
              ]
            : []),
          ...(options.editors?.[platform] && review
            ? [
                new DraftCards({
                  state,
                  book: review.book,
                  card: review.card,
                  platform,
                  channel: options.editors[platform] as string,
                  poster,
                  holds,
                  ...(options.log ? { log: options.log } : {}),
                }),
              ]
            : []),
        ],
      }),
    );
    // The watcher has a lease of its own: one instance polls, whichever platforms each serves.
    let watcher: Watcher | undefined;
    const watch = options.watch;
    const watcherRunner =
      watch && watcherModule
        ? startJobRunner({
            state,
            holder,
            lease: WATCHER_LEASE,
            ...(options.leaseMs !== undefined ? { leaseMs: options.leaseMs } : {}),
            ...(options.idleMs !== undefined ? { idleMs: Math.max(options.idleMs, 1_000) } : { idleMs: 1_000 }),
            ...(options.log ? { log: options.log } : {}),
            jobs: (holds) => {
              watcher = new watcherModule.Watcher({
                state,
                catalog: () => current,
                ...watch,
                holds,
                ...(options.log ? { log: options.log } : {}),
              });
              return [watcher];
            },
          })
        : undefined;
    return {
      state,
      published,
      ...(watcherRunner ? { watcher: watcherRunner } : {}),
      catalog: () => current,
      onCatalog: (listener) => listeners.push(listener),
      book: (place) => subscriptionBook(state, place, undefined, options.maxPerChannel),
      schedules: (place) => scheduleBook(state, place),
      drafts: review ?? lazyDraftDesk(makeDesk),
      ...(review ? { review } : {}),
      async jobs() {
        const head = await lastSeq(state);
        return Promise.all(
          platforms.map(async (platform, i) => {
            const cursor = ((await state.cursors.get(`notifier:${platform}`)) as { seq: number } | undefined)?.seq ?? 0;
            return { platform, holding: runners[i]?.holding() ?? false, lag: Math.max(0, head - cursor) };
          }),
        );
      },
      runners,
      async stop() {
        clearInterval(timer);
        await Promise.all([...runners, ...(watcherRunner ? [watcherRunner] : [])].map((runner) => runner.stop()));
        // Requests in flight are aborted; their polls end without writing.
        await watcher?.stop();
        await refreshing;
        // A store that hangs must not hold up shutdown: the connection is dropped with the process.
        await Promise.race([state.close(), new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
      },
    };
  } catch (error) {
    await state.close();
    throw error;
  }
}
