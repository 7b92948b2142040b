// One poll of one source: conditional GET, items parsed, the new ones read (the article fetched when the feed
// gives only a short summary), each that reads as a contact proposed to the drafts book, then remembered.
import type { Catalog } from '../core/catalog.js';
import { type Day, shiftDays, utcToday } from '../core/dates.js';
import { detectContact, type FeedItem } from '../core/detect/index.js';
import type { Feed } from '../core/schema.js';
import { draftBook, type ProposeOutcome } from '../drafts/book.js';
import type { Log } from '../logging.js';
import type { State } from '../state/index.js';
import { articleText, SHORT_SUMMARY } from './article.js';
import { type Fetch, FetchError } from './fetch.js';
import { feedMemory, type SourceHealth } from './memory.js';
import type { ParsedItem } from './parse.js';
import { type FeedParser, inThreadParser } from './parser.js';
import { backoffUntil, nextPollAt } from './timing.js';

/** What a poll needs. */
export interface WatchDeps {
  state: State;
  catalog: () => Catalog;
  fetch: Fetch;
  clock?: () => Date;
  random?: () => number;
  log?: Log;
  /** False once this instance may no longer run the watcher: the poll stops before its next write. */
  holds?: () => boolean;
  /** Items published more than this many days ago are remembered unread (a new source's back catalogue). */
  maxAgeDays?: number;
  /** The most new items read in one poll; the rest wait for the next (the validators are not kept meanwhile). */
  maxItemsPerPoll?: number;
  /** Parses the answers and article pages: the watcher's worker (and `feeds check`'s); by default this thread (tests). */
  parser?: FeedParser;
}

export const DEFAULT_MAX_AGE_DAYS = 30;
export const DEFAULT_MAX_ITEMS_PER_POLL = 25;

/** What one poll did. */
export interface SourceReport {
  feed: string;
  status: 'ok' | 'not-modified' | 'error';
  /** Why it failed (status error). */
  error?: string;
  /** Items the answer listed. */
  listed: number;
  /** Items not seen before, handled now: read, or skipped as old. */
  fresh: number;
  /**
   * Of the fresh items, those left unproposed as older than the age limit: by their publication day, or (an
   * undated listing item) by the day of the contact they report.
   */
  old: number;
  /** Fresh items that read as contacts, and what proposing each did. */
  proposals: { title: string; outcome: ProposeOutcome }[];
  /** Articles that could not be read (the summary was used), with why. */
  articleFailures: { url: string; reason: string }[];
  /** Items left for the next poll (over the per-poll limit). */
  left: number;
  /** When the source is next due (ISO). */
  nextPoll: string;
}

/** Polls one source and records the outcome in the `feeds` namespace. Never throws for the source's faults. */
export async function pollSource(feed: Feed, deps: WatchDeps): Promise<SourceReport> {
  const clock = deps.clock ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const holds = deps.holds ?? (() => true);
  const memory = feedMemory(deps.state);
  const started = clock();
  const at = started.toISOString();
  const before = await memory.health(feed.name);
  const health: SourceHealth = {
    failures: 0,
    itemsSeen: 0,
    ...before,
    url: feed.url,
    lastAttempt: at,
  };
  if (before && before.url !== feed.url) {
    // The validators were the old address's.
    delete health.etag;
    delete health.lastModified;
  }
  const report: SourceReport = {
    feed: feed.name,
    status: 'ok',
    listed: 0,
    fresh: 0,
    old: 0,
    proposals: [],
    articleFailures: [],
    left: 0,
    nextPoll: at,
  };
  try {
    // The feed's own redirects are followed (defense.gov answers with war.gov), each connection to a public
    // address unless it is the source's configured host.
    const answer = await deps.fetch(
      feed.url,
      {
        ...(health.etag ? { etag: health.etag } : {}),
        ...(health.lastModified ? { lastModified: health.lastModified } : {}),
      },
      { source: feed.url },
    );
    if (answer.status === 'not-modified') {
      report.status = 'not-modified';
    } else {
      const items = await (deps.parser ?? inThreadParser).parseSource(feed, answer.body, answer.url);
      report.listed = items.length;
      const seen = await memory.seen(
        feed.name,
        items.map((item) => item.key),
      );
      // An item listed twice (the same guid in two places) is read once (a set: a feed may list tens of thousands).
      const keys = new Set<string>();
      const fresh = items.filter((item, i) => {
        if (keys.has(item.key)) return false;
        keys.add(item.key);
        return !seen[i];
      });
      const now = clock();
      const oldest = shiftDays(utcToday(now), -(deps.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS));
      const limit = deps.maxItemsPerPoll ?? DEFAULT_MAX_ITEMS_PER_POLL;
      let read = 0;
      for (const item of fresh) {
        if (!holds()) throw new FetchError('the watcher lease was lost during the poll');
        if (item.published !== undefined && item.published < oldest) {
          await memory.markSeen(feed.name, item.key, now.toISOString());
          report.old += 1;
          report.fresh += 1;
          continue;
        }
        if (read >= limit) {
          report.left += 1;
          continue;
        }
        read += 1;
        report.fresh += 1;
        await readItem(feed, item, deps, report, clock, oldest);
      }
      health.itemsSeen += report.fresh;
      // Kept only when every item was read: else the next poll must see the whole feed again, not a 304.
      if (report.left === 0) {
        if (answer.etag) health.etag = answer.etag;
        else delete health.etag;
        if (answer.lastModified) health.lastModified = answer.lastModified;
        else delete health.lastModified;
      }
    }
    const done = clock();
    health.lastSuccess = done.toISOString();
    health.failures = 0;
    delete health.backoffUntil;
    health.nextPoll = new Date(nextPollAt(done.getTime(), feed.interval, random())).toISOString();
  } catch (error) {
    const message = (error as Error).message;
    const done = clock();
    health.failures += 1;
    health.lastError = { at: done.toISOString(), message };
    const until = new Date(
      backoffUntil(done.getTime(), feed.interval, health.failures, random(), (error as FetchError).retryAfterMs),
    ).toISOString();
    health.backoffUntil = until;
    health.nextPoll = until;
    report.status = 'error';
    report.error = message;
  }
  report.nextPoll = health.nextPoll;
  if (holds()) await memory.setHealth(feed.name, health);
  // Logged once recorded: `hotline feeds list` shows what the line says.
  if (report.status === 'error') {
    deps.log?.(
      'warn',
      `feed "${feed.name}": ${report.error} (failure ${health.failures} in a row; next try after ${health.backoffUntil})`,
    );
  }
  return report;
}

/** Reads one new item: the text, the verdict, the proposal; then remembers it (after the proposal, so a crash re-proposes, which the book ignores). */
async function readItem(
  feed: Feed,
  item: ParsedItem,
  deps: WatchDeps,
  report: SourceReport,
  clock: () => Date,
  /** The age limit's first day: an undated item about an older contact is back catalogue, not news. */
  oldest: Day,
): Promise<void> {
  let text = item.content;
  if ((text === undefined || text.length < SHORT_SUMMARY) && (item.summary ?? '').length < SHORT_SUMMARY) {
    // Articles come from the source's site as configured, never from where its feed redirected: a redirect
    // is the feed's answer, and would let whoever controls it choose which hosts the watcher reads.
    const sites = [feed.url];
    const article = sameSite(item.url, sites)
      ? // A redirect is held to the same site: a page on the source's site cannot send the watcher elsewhere.
        await articleText(
          deps.fetch,
          item.url,
          { mayFollow: (next) => sameSite(next, sites), source: feed.url },
          (html, url) => (deps.parser ?? inThreadParser).extractText(html, url),
        )
      : ({ ok: false, reason: `not fetched: on another site than the source's` } as const);
    if (article.ok) text = article.text;
    else {
      report.articleFailures.push({ url: item.url, reason: article.reason });
      deps.log?.('info', `feed "${feed.name}": article ${item.url}: ${article.reason}; the summary is read instead`);
    }
  }
  const catalog = deps.catalog();
  const published: Day | undefined = item.published;
  // Detection reads "on Monday", "9日" or "April 16" against a day (only a date with its year, such as "April 16,
  // 2024", needs none): an undated item (a listing without dates) is read against the day it is first seen, and
  // its source then claims no publication day.
  const feedItem: FeedItem = {
    title: item.title,
    ...(item.summary ? { summary: item.summary } : {}),
    ...(text ? { text } : {}),
    published: published ?? utcToday(clock()),
    url: item.url,
    publisher: feed.name,
    language: feed.language,
    side: feed.side,
  };
  const detection = detectContact(feedItem, catalog);
  if (!published && detection.draft) {
    detection.draft.sources = detection.draft.sources.map((source) => {
      if (source.url !== item.url) return source;
      const { date: _firstSeen, ...undated } = source;
      return undated;
    });
  }
  const now = clock().toISOString();
  let draft: number | undefined;
  const stale = !published && detection.draft?.date !== undefined && detection.draft.date < oldest;
  if (stale) report.old += 1;
  else if (detection.verdict === 'contact' && detection.draft) {
    const outcome = await draftBook(deps.state).propose(
      {
        draft: detection.draft,
        reasons: detection.reasons,
        item: { feed: feed.name, title: item.title, url: item.url, ...(published ? { published } : {}), seenAt: now },
      },
      catalog,
      now,
    );
    report.proposals.push({ title: item.title, outcome });
    if (outcome.outcome !== 'cited') draft = outcome.id;
  }
  await feedMemory(deps.state).markSeen(feed.name, item.key, now, draft);
}

/**
 * Whether `url` is on the site of one of `sites` (the same host, a leading "www." aside). A feed's links are
 * outside text: fetching only from the source's own site keeps a feed from sending the watcher anywhere else
 * (an intranet address, a metadata service).
 */
export function sameSite(url: string, sites: readonly string[]): boolean {
  const host = (u: string) => {
    try {
      return new URL(u).host.toLowerCase().replace(/^www\./, '');
    } catch {
      return undefined;
    }
  };
  const own = host(url);
  return own !== undefined && sites.some((site) => host(site) === own);
}

/** Polls every source, `concurrency` at a time, in the order given; the reports in the same order. */
export async function pollAll(feeds: readonly Feed[], deps: WatchDeps, concurrency = 4): Promise<SourceReport[]> {
  const reports: SourceReport[] = new Array(feeds.length);
  let next = 0;
  const worker = async () => {
    while (next < feeds.length) {
      const i = next++;
      reports[i] = await pollSource(feeds[i] as Feed, deps);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, feeds.length) }, worker));
  return reports;
}
