// Benchmark: one event fanned out to many channels by the notifier, through the real Posters and platform
// clients, to local fake platform APIs that enforce a rate limit as the platforms do:
//   slack    SlackPoster and the Slack Web API client -> a fake Slack (HTTP 429 with a Retry-After in whole seconds)
//   discord  DiscordPoster and @discordjs/rest -> a fake Discord REST API (Discord's X-RateLimit-* headers, a
//            per-channel route bucket, and the global limit: 429 with X-RateLimit-Global and retry_after)
// Runs on the embedded SQLite store, and on Redis and PostgreSQL at 127.0.0.1 when they answer.
// Run: node bin/run-ts.js bench/notifier.bench.ts [--platform both] [--subs 10000] [--rate 50] [--seconds 30] [--stores sqlite,redis,postgres]
//   --platform slack, discord or both (Slack first)
//   --subs     subscriptions (one per channel, no filters): the outbox entries one event makes
//   --rate     requests per second the fake platform accepts (a fixed one-second window)
//   --seconds  how long delivery is measured from the first delivered notice; 0: until every notice is delivered
//   --stores   which stores to run, in order
//   --slack-workspace-rate  the workspace rate SlackPoster tells the notifier (posts/s; as an operator who knows
//              the limit would set it), so posts are paced from the first one; without it the rate is learned at
//              the first 429. Slack's per-channel limit (1/s) applies either way (one post per channel here).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { RESTEvents } from 'discord.js';
import { DiscordPoster, discordRest } from '../src/adapters/discord/poster.js';
import { SlackPoster, slackWebClient } from '../src/adapters/slack/poster.js';
import type { Poster } from '../src/core/poster.js';
import { publish, recordOf } from '../src/events/log.js';
import { Notifier } from '../src/jobs/notifier.js';
import { type JobRunner, startJobRunner } from '../src/jobs/runner.js';
import { loadCatalog } from '../src/load.js';
import { openState, type State } from '../src/state/index.js';
import { allSubscriptions, subscriptionBook } from '../src/subscriptions/book.js';
import { FIXTURE_DIR } from '../tests/helpers.js';
import {
  channelId,
  type FakePost,
  type Platform,
  ROUTE_LIMIT,
  ROUTE_RESET_MS,
  startRateLimitedFakes,
} from './rateLimitedFakes.js';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    platform: { type: 'string', default: 'both' },
    subs: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
    stores: { type: 'string', default: 'sqlite,redis,postgres' },
    'slack-workspace-rate': { type: 'string' },
  },
});
const SUBS = Number(args.subs);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const SLACK_RATE = args['slack-workspace-rate'] === undefined ? undefined : Number(args['slack-workspace-rate']);
if (!(SUBS > 0 && RATE > 0 && SECONDS >= 0)) throw new Error('--subs and --rate must be positive, --seconds >= 0');
const PLATFORMS: Platform[] =
  args.platform === 'both'
    ? ['slack', 'discord']
    : args.platform === 'slack' || args.platform === 'discord'
      ? [args.platform]
      : [];
if (PLATFORMS.length === 0) throw new Error('--platform must be slack, discord or both');

const STORES: Record<string, { name: string; url: (dir: string) => string }> = {
  sqlite: { name: 'embedded SQLite', url: (dir) => `sqlite:${join(dir, 'state.db')}` },
  redis: { name: 'Redis', url: () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  postgres: {
    name: 'PostgreSQL',
    url: () => process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  },
};

const loaded = loadCatalog(FIXTURE_DIR);
if (!loaded.ok) throw new Error('the fixture data is invalid');
const catalog = loaded.catalog;
const event = catalog.events[0];
if (!event) throw new Error('the fixture has no events');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fakes = await startRateLimitedFakes(RATE);
const { posts, slackApiUrl, discordApiUrl } = fakes;
type Post = FakePost;

/** Creates SUBS subscriptions, one per channel, with no filters (several channels at a time). */
async function subscribe(state: State, platform: Platform): Promise<void> {
  const PARALLEL = 100;
  for (let i = 0; i < SUBS; i += PARALLEL) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(SUBS, i + PARALLEL); j++) {
      batch.push(
        subscriptionBook(state, { platform, channel: channelId(platform, j) }).add({
          kind: 'events',
          include: {},
          exclude: {},
        }),
      );
    }
    await Promise.all(batch);
  }
}

interface Result {
  platform: Platform;
  store: string;
  subscribeMs: number;
  readSubsMs: number;
  fillMs: number;
  filled: number;
  publishMs: number;
  /** From the end of publish() to the runner's next round starting fill(). */
  idleMs: number;
  /** From fill() starting to the first notice arriving at the fake. */
  processMs: number;
  e2eMs: number;
  delivered: number;
  duplicates: number;
  windows: number;
  inWindows: number;
  limited: number;
  ignored: number;
  earliestIgnored: number;
  passes: number;
  scanMs: number[];
  /** Per window of the limiter that ended in a 429: from its first accepted post to that 429. */
  burstMs: number[];
  /** From each 429 to the next request: the Retry-After (1 s) plus how late the notifier resumed. */
  resumeMs: number[];
  measuredMs: number;
  left: number;
  /** Discord: requests @discordjs/rest refused to send (its own count of the global limit, or a bucket it knew empty). */
  held: number;
  /** Discord: the waits it gave with them (ms), sorted. */
  heldMs: number[];
  /** Discord: from each held request to the next request arriving at the fake (ms), sorted. */
  heldResumeMs: number[];
  /** Discord: 429s from the global limit. */
  globalLimited: number;
  /** Per whole window of the fake's limiter: notices accepted in it, sorted. */
  perWindow: number[];
  /** The most requests (accepted or not) that arrived in one whole window. */
  maxArrived: number;
}

/** The platform's Poster as the service builds it, pointed at its fake; `onHeld` hears of requests the client held back. */
function posterFor(platform: Platform, onHeld: (waitMs: number, perf: number) => void): Poster {
  if (platform === 'slack')
    return new SlackPoster(
      slackWebClient('xoxb-bench', { apiUrl: slackApiUrl, retries: 0 }),
      undefined,
      SLACK_RATE ? { postsPerSecond: SLACK_RATE } : {},
    );
  const rest = discordRest('bench-token', { apiUrl: discordApiUrl, retries: 0 });
  // Emitted only when the client refuses a request before sending it (then rejectOnRateLimit throws).
  rest.on(RESTEvents.RateLimited, (info) => onHeld(info.timeToReset, performance.now()));
  return new DiscordPoster(rest);
}

async function run(platform: Platform, key: string): Promise<Result | string> {
  const store = STORES[key];
  if (!store) throw new Error(`unknown store ${key}; use ${Object.keys(STORES).join(',')}`);
  const dir = mkdtempSync(join(tmpdir(), 'hotline-notifier-bench-'));
  const scope = `bench_notifier_${process.pid}_${platform}_${key}`;
  let state: State;
  let runner: JobRunner | undefined;
  try {
    state = await openState(store.url(dir), { scope });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `${store.name}: skipped (${(error as Error).message})`;
  }
  try {
    let started = performance.now();
    await subscribe(state, platform);
    const subscribeMs = performance.now() - started;
    // The part of fill() that reads every subscription, timed on its own (fill reads them once per call).
    started = performance.now();
    if ((await allSubscriptions(state)).length !== SUBS) throw new Error('subscriptions missing');
    const readSubsMs = performance.now() - started;
    fakes.reset();

    // The notifier as the service runs it: under the job runner with its default idle time and pass length;
    // fill and deliver are wrapped only to time them.
    let fillStart = 0;
    let fillMs = 0;
    let filled = 0;
    const passStarts: number[] = [];
    let rounds = 0;
    const held: { waitMs: number; perf: number }[] = [];
    const poster = posterFor(platform, (waitMs, perf) => held.push({ waitMs, perf }));
    runner = startJobRunner({
      state,
      holder: `bench-${key}`,
      jobs: (holds) => {
        const notifier = new Notifier({ state, catalog: () => catalog, posters: { [platform]: poster }, holds });
        const fill = notifier.fill.bind(notifier);
        const deliver = notifier.deliver.bind(notifier);
        notifier.fill = async () => {
          const t = performance.now();
          const read = await fill();
          if (read > 0 && fillMs === 0) {
            fillStart = t;
            fillMs = performance.now() - t;
            filled = read;
          }
          return read;
        };
        notifier.deliver = async () => {
          if (fillMs > 0) passStarts.push(performance.now());
          const posted = await deliver();
          rounds += 1;
          return posted;
        };
        return [notifier];
      },
    });
    while (rounds === 0) await sleep(10);
    await sleep(Math.random() * 1000); // publish at any point of the runner's idle wait

    started = performance.now();
    await publish(state, recordOf(event as NonNullable<typeof event>), new Date().toISOString());
    const published = performance.now();
    const accepted = () => posts.filter((p) => p.status === 200).length;
    while (accepted() === 0) {
      if (performance.now() - published > 300_000) throw new Error(`${store.name}: nothing delivered in 5 minutes`);
      await sleep(5);
    }
    const first = posts.find((p) => p.status === 200) as Post;
    const deadline = first.perf + SECONDS * 1000;
    while (accepted() < SUBS && (SECONDS === 0 || performance.now() < deadline)) await sleep(20);
    const stoppedAt = Date.now();
    await runner.stop();

    const ok = posts.filter((p) => p.status === 200);
    const channels = new Set(ok.map((p) => p.channel));
    // Whole windows of the fake's limiter after the first delivery and before the end: each allows exactly RATE.
    const complete = ok.length >= SUBS;
    const firstWindow = Math.floor(first.at / 1000) + 1;
    const endWindow = Math.floor((complete ? (ok.at(-1) as Post).at : stoppedAt) / 1000); // excluded (partial)
    const windows = Math.max(0, endWindow - firstWindow);
    const inWindows = ok.filter((p) => p.at >= firstWindow * 1000 && p.at < endWindow * 1000).length;
    const inWindow = (list: Post[], i: number) => {
      const start = (firstWindow + i) * 1000;
      return list.filter((p) => p.at >= start && p.at < start + 1000).length;
    };
    const perWindow = Array.from({ length: windows }, (_, i) => inWindow(ok, i)).sort((a, b) => a - b);
    const maxArrived = Math.max(0, ...Array.from({ length: windows }, (_, i) => inWindow(posts, i)));
    // How long each delivery pass spent before its first request: reading and sorting the outbox.
    const scanMs = passStarts
      .map((start) => {
        const next = posts.find((p) => p.perf >= start);
        return next ? next.perf - start : undefined;
      })
      .filter((ms): ms is number => ms !== undefined)
      .sort((a, b) => a - b);
    const burstMs: number[] = [];
    const resumeMs: number[] = [];
    for (let i = 0; i < posts.length; i++) {
      const p = posts[i] as Post;
      if (p.status !== 429) continue;
      const windowFirst = ok.find((q) => Math.floor(q.at / 1000) === Math.floor(p.at / 1000));
      if (windowFirst && windowFirst.perf <= p.perf) burstMs.push(p.perf - windowFirst.perf);
      const next = posts[i + 1];
      if (next) resumeMs.push(next.perf - p.perf);
    }
    burstMs.sort((a, b) => a - b);
    resumeMs.sort((a, b) => a - b);
    let left = 0;
    for await (const _ of state.outbox.entries()) left += 1;
    return {
      platform,
      store: store.name,
      subscribeMs,
      readSubsMs,
      fillMs,
      filled,
      publishMs: published - started,
      idleMs: fillStart - published,
      processMs: first.perf - fillStart,
      e2eMs: first.perf - started,
      delivered: ok.length,
      duplicates: ok.length - channels.size,
      windows,
      inWindows,
      limited: posts.length - ok.length,
      ignored: fakes.ignored().count,
      earliestIgnored: fakes.ignored().earliestMs,
      passes: passStarts.length,
      scanMs,
      burstMs,
      resumeMs,
      measuredMs: (complete ? (ok.at(-1) as Post).perf : performance.now()) - first.perf,
      left,
      held: held.length,
      heldMs: held.map((h) => h.waitMs).sort((a, b) => a - b),
      heldResumeMs: held
        .map((h) => posts.find((p) => p.perf >= h.perf))
        .map((next, i) => (next ? next.perf - (held[i] as { perf: number }).perf : undefined))
        .filter((ms): ms is number => ms !== undefined)
        .sort((a, b) => a - b),
      globalLimited: posts.filter((p) => p.scope === 'global').length,
      perWindow,
      maxArrived,
    };
  } finally {
    await runner?.stop();
    await state.destroy();
    await state.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
const skipped: string[] = [];
for (const platform of PLATFORMS) {
  for (const key of (args.stores ?? '').split(',').filter(Boolean)) {
    const result = await run(platform, key);
    if (typeof result === 'string') skipped.push(`${platform}: ${result}`);
    else results.push(result);
  }
}
fakes.close();

const ms = (n: number) => (n < 100 ? `${n.toFixed(1)} ms` : `${Math.round(n).toLocaleString('en-US')} ms`);
const mid = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)] ?? 0;
const fmt = (n: number) => n.toLocaleString('en-US');
const measured = SECONDS === 0 ? 'until every notice was delivered' : `for ${SECONDS} s from the first notice`;
const TITLES: Record<Platform, string> = {
  slack:
    `Slack channels through SlackPoster, fake Slack allowing ${RATE} requests/s ` +
    '(fixed 1 s window, 429 + Retry-After in whole seconds), ' +
    (SLACK_RATE ? `workspace rate ${SLACK_RATE}/s given to the poster` : 'workspace rate learned at the first 429'),
  discord:
    `Discord channels through DiscordPoster (@discordjs/rest), fake Discord allowing ${RATE} requests/s globally ` +
    `(fixed 1 s window, 429 + X-RateLimit-Global, retry_after in ms, Retry-After in whole seconds; ` +
    `per-channel route bucket ${ROUTE_LIMIT} per ${ROUTE_RESET_MS / 1000} s)`,
};
for (const platform of PLATFORMS) {
  const rows = results.filter((r) => r.platform === platform);
  if (rows.length === 0) continue;
  const discord = platform === 'discord';
  console.log(`\n# Notifier fan-out: 1 event -> ${fmt(SUBS)} ${TITLES[platform]}; delivery measured ${measured}\n`);
  console.log(
    '| store | fill outbox | publish → first delivery | delivered rate (of allowed) | delivered | 429s | 429s ignored |' +
      (discord ? ' held back by the client |' : ''),
  );
  console.log(`| --- | --- | --- | --- | --- | --- | --- |${discord ? ' --- |' : ''}`);
  for (const r of rows) {
    const rate = r.windows > 0 ? r.inWindows / r.windows : Number.NaN;
    console.log(
      `| ${r.store} | ${ms(r.fillMs)} (${fmt(r.filled)} event → ${fmt(SUBS)} entries) | ${ms(r.e2eMs)} | ` +
        `${rate.toFixed(1)}/s of ${RATE}/s = ${(rate / RATE).toFixed(3)} (${fmt(r.inWindows)} in ${r.windows} whole windows) | ` +
        `${fmt(r.delivered)} in ${(r.measuredMs / 1000).toFixed(1)} s | ${fmt(r.limited)}${discord ? ` (${fmt(r.globalLimited)} global)` : ''} | ` +
        `${r.ignored}${r.ignored > 0 ? ` (up to ${r.earliestIgnored} ms early)` : ''} |` +
        (discord ? ` ${fmt(r.held)} |` : ''),
    );
  }
  console.log('\nDetails:');
  for (const r of rows) {
    const median = mid(r.scanMs);
    const limits = discord
      ? `most requests arriving in one whole window ${r.maxArrived}; ` +
        `held back by @discordjs/rest ${fmt(r.held)} times, wait given median ${ms(mid(r.heldMs))}, ` +
        `held → next request arriving: median ${ms(mid(r.heldResumeMs))}, min ${ms(r.heldResumeMs[0] ?? 0)}; ` +
        (r.limited > 0
          ? `429 → next request: median ${ms(mid(r.resumeMs))}, min ${ms(r.resumeMs[0] ?? 0)}; `
          : 'no 429; ')
      : `${RATE} posts from the window's first to its 429: median ${ms(mid(r.burstMs))}; ` +
        `429 → next request: median ${ms(mid(r.resumeMs))}, min ${ms(r.resumeMs[0] ?? 0)}; `;
    console.log(
      `- ${r.store}: creating ${fmt(SUBS)} subscriptions ${ms(r.subscribeMs)} (set-up, not measured); ` +
        `fill = reading the ${fmt(SUBS)} subscriptions (timed separately: ${ms(r.readSubsMs)}) + writing the outbox entries; ` +
        `publish→first delivery = publish() ${ms(r.publishMs)} + waiting for the runner's next round ${ms(r.idleMs)} ` +
        `+ fill and first delivery pass to its first post ${ms(r.processMs)}; ` +
        `${r.passes} delivery passes, time from a pass's start to its first post (reading and sorting the outbox, or the rest of a rate-limit wait): median ${ms(median)}, max ${ms(r.scanMs.at(-1) ?? 0)}; ` +
        `notices accepted per whole window: min ${r.perWindow[0] ?? 0}, median ${mid(r.perWindow)}, ` +
        `${r.perWindow.filter((n) => n < RATE).length} of ${r.perWindow.length} windows below ${RATE}; ` +
        limits +
        `duplicates ${r.duplicates}; left in the outbox at the end ${fmt(r.left)} (delivered + left = ${fmt(r.delivered - r.duplicates + r.left)} of ${fmt(SUBS)})`,
    );
  }
}
for (const line of skipped) console.log(`- ${line}`);
