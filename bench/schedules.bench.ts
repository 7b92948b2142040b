// Benchmark: digest schedules (issue 14). Many weekly schedules due at the same minute, one per channel, on the
// bundled data:
//   idle     ms per Scheduler.step() when nothing is due (after the first step, which reads every schedule)
//   queue    the step at the due minute that queues every run (setIfAbsent + the slot record per schedule)
//   build    digests per second the scheduler can make and hand to a poster that answers at once: without charts,
//            with a chart drawn per digest, and with the charts the scheduler keeps per series; the chart's render
//            time p50/p99 (chartFile, src/charts/contactsChart.ts)
//   post     digests through the real SlackPoster and DiscordPoster, with their charts, to the rate-limited fake
//            Slack and Discord of bench/rateLimitedFakes.ts (as bench/notifier.bench.ts), under the job runner
// Run: node bin/run-ts.js bench/schedules.bench.ts [--schedules 10000] [--rate 50] [--seconds 30] [--build 200]
//        [--platform both] [--stores sqlite] [--filters 5]
//   --schedules  weekly schedules, one per channel, all due at the same minute
//   --rate       requests per second the fake platform accepts (a fixed one-second window)
//   --seconds    how long posting is measured from the first digest; 0: until every digest is posted
//   --build      digests made in each build measurement
//   --platform   slack, discord, both or none (skip posting)
//   --stores     which stores to run (sqlite, redis, postgres), in order
//   --filters    how many different digests the schedules ask for (cycled: "", taiwan, level:minister, …)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { scheduledDigest } from '../commands/digestSchedule.js';
import { COMMANDS } from '../commands/index.js';
import { DiscordPoster, discordRest } from '../src/adapters/discord/poster.js';
import { SlackPoster, slackWebClient } from '../src/adapters/slack/poster.js';
import { chartFile } from '../src/charts/contactsChart.js';
import type { Catalog } from '../src/core/catalog.js';
import type { Poster } from '../src/core/poster.js';
import type { Reply } from '../src/core/reply.js';
import { nextRun, type Schedule } from '../src/core/schedule.js';
import { type JobRunner, startJobRunner } from '../src/jobs/runner.js';
import { type ChartRenderer, Scheduler } from '../src/jobs/scheduler.js';
import { loadCatalog } from '../src/load.js';
import { allSchedules, scheduleBook } from '../src/schedules/book.js';
import { openState, type State } from '../src/state/index.js';
import { percentile } from './latency.js';
import { channelId, type Platform, startRateLimitedFakes } from './rateLimitedFakes.js';

const { values: args } = parseArgs({
  args: process.argv.slice(3),
  options: {
    schedules: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '30' },
    build: { type: 'string', default: '200' },
    platform: { type: 'string', default: 'both' },
    stores: { type: 'string', default: 'sqlite' },
    filters: { type: 'string', default: '5' },
  },
});
const SCHEDULES = Number(args.schedules);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const BUILD = Number(args.build);
const PLATFORMS: Platform[] =
  args.platform === 'both' ? ['slack', 'discord'] : args.platform === 'none' ? [] : [args.platform as Platform];
const FILTERS = ['', 'taiwan', 'level:minister', 'kind:call', 'side:us'].slice(0, Number(args.filters));
if (!(SCHEDULES > 0 && RATE > 0 && SECONDS >= 0 && BUILD > 0 && FILTERS.length > 0)) throw new Error('bad arguments');

const STORES: Record<string, { name: string; url: (dir: string) => string }> = {
  sqlite: { name: 'embedded SQLite', url: (dir) => `sqlite:${join(dir, 'state.db')}` },
  redis: { name: 'Redis', url: () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  postgres: {
    name: 'PostgreSQL',
    url: () => process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  },
};

const loaded = loadCatalog();
if (!loaded.ok) throw new Error('the bundled data is invalid');
const catalog = loaded.catalog;

/** Made a week before, so each schedule's first run is SLOT: Monday 7 December 2026, 09:00 UTC. */
const MADE = new Date('2026-11-30T09:30:00.000Z');
const SLOT = new Date('2026-12-07T09:00:00.000Z');
const BEFORE = new Date(SLOT.getTime() - 60_000);

const digest = (c: Catalog, schedule: Schedule, slot: Date, previous: Date | undefined) =>
  scheduledDigest({ catalog: c, commands: COMMANDS }, schedule, slot, previous);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (n: number) => (n < 100 ? `${n.toFixed(1)} ms` : `${Math.round(n).toLocaleString('en-US')} ms`);
const fmt = (n: number) => n.toLocaleString('en-US');

/** SCHEDULES weekly schedules, one per channel of `platform`, cycling through FILTERS (100 channels at a time). */
async function makeSchedules(state: State, platform: Platform): Promise<void> {
  for (let i = 0; i < SCHEDULES; i += 100) {
    const batch: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(SCHEDULES, i + 100); j++) {
      const book = scheduleBook(state, { platform, channel: channelId(platform, j) }, () => MADE);
      batch.push(
        book.add({ every: 'weekly', on: 1, at: '09:00', tz: 'UTC', filters: FILTERS[j % FILTERS.length] ?? '' }),
      );
    }
    await Promise.all(batch);
  }
}

/** A poster that answers at once: what the scheduler costs on its own. */
const instant: Poster = {
  post: async () => ({ ok: true, messageId: 'm' }),
  direct: async () => ({ ok: true, messageId: 'dm' }),
};

/** Renders each chart, timing it into `times`. */
function timedChart(times: number[]): ChartRenderer {
  return async (reply: Reply) => {
    const started = performance.now();
    const result = await chartFile(reply);
    times.push(performance.now() - started);
    return result;
  };
}

/** Idle rounds, the queueing step, and how many digests per second the scheduler makes (with and without charts). */
async function measureScheduler(state: State, platform: Platform) {
  let now = BEFORE;
  const chartTimes: number[] = [];
  let chartOn = false;
  let digests = 0;
  const plain: ChartRenderer = async () => ({});
  const charts = timedChart(chartTimes);
  const scheduler = new Scheduler({
    state,
    catalog: () => catalog,
    digest,
    chart: (reply) => (chartOn ? charts(reply) : plain(reply)),
    posters: { [platform]: { ...instant, post: async () => ({ ok: true, messageId: String(++digests) }) } },
    clock: () => now,
    holds: () => digests < BUILD,
  });
  let started = performance.now();
  await scheduler.step();
  const firstStepMs = performance.now() - started;
  const IDLE = 50;
  started = performance.now();
  for (let i = 0; i < IDLE; i++) if (await scheduler.step()) throw new Error('something was due before the slot');
  const idleMs = (performance.now() - started) / IDLE;

  now = SLOT;
  started = performance.now();
  const queued = await scheduler.queueDue();
  const queueMs = performance.now() - started;
  if (queued !== SCHEDULES) throw new Error(`queued ${queued} of ${SCHEDULES}`);

  // The first delivery pass reads every queued run into memory and sorts them: timed on its own (`holds` is
  // false at once, so it posts nothing). Then BUILD digests without charts, then BUILD with them.
  digests = BUILD;
  started = performance.now();
  await scheduler.deliverDue();
  const readRunsMs = performance.now() - started;
  digests = 0;
  started = performance.now();
  await scheduler.deliverDue();
  const plainPerSecond = digests / ((performance.now() - started) / 1000);
  digests = 0;
  chartOn = true;
  started = performance.now();
  await scheduler.deliverDue();
  const chartPerSecond = digests / ((performance.now() - started) / 1000);
  const drawn = chartTimes.length;
  // Each digest with a chart drawn for it, as before the scheduler kept charts: the digests of the schedules
  // above, built and drawn one after another.
  const schedules = (await allSchedules(state)).slice(0, BUILD);
  started = performance.now();
  for (const schedule of schedules) await charts(await digest(catalog, schedule, SLOT, undefined));
  const uncachedPerSecond = schedules.length / ((performance.now() - started) / 1000);
  chartTimes.sort((a, b) => a - b);
  return {
    firstStepMs,
    idleMs,
    queueMs,
    readRunsMs,
    plainPerSecond,
    chartPerSecond,
    drawn,
    uncachedPerSecond,
    chartTimes,
  };
}

/** Posting every due digest with its chart through the real poster of `platform` to its rate-limited fake. */
async function measurePosting(
  state: State,
  platform: Platform,
  poster: Poster,
  posts: { status: number; perf: number; channel: string }[],
) {
  // The clock starts at the slot and runs: rate-limit waits and retries are timed by it.
  const t0 = Date.now();
  const clock = () => new Date(SLOT.getTime() + (Date.now() - t0));
  const runner: JobRunner = startJobRunner({
    state,
    holder: `bench-${platform}`,
    jobs: (holds) => [
      new Scheduler({
        state,
        catalog: () => catalog,
        digest,
        chart: (reply) => chartFile(reply),
        posters: { [platform]: poster },
        clock,
        holds,
      }),
    ],
  });
  try {
    const started = performance.now();
    const accepted = () => posts.filter((p) => p.status === 200).length;
    while (accepted() === 0) {
      if (performance.now() - started > 300_000) throw new Error('nothing posted in 5 minutes');
      await sleep(5);
    }
    const first = posts.find((p) => p.status === 200) as { perf: number };
    const deadline = first.perf + SECONDS * 1000;
    while (accepted() < SCHEDULES && (SECONDS === 0 || performance.now() < deadline)) await sleep(20);
    const ended = performance.now();
    const ok = posts.filter((p) => p.status === 200);
    return {
      toFirstMs: first.perf - started,
      posted: ok.length,
      duplicates: ok.length - new Set(ok.map((p) => p.channel)).size,
      limited: posts.length - ok.length,
      measuredMs: Math.min(ended, (ok.at(-1) as { perf: number }).perf) - first.perf,
    };
  } finally {
    await runner.stop();
  }
}

const fakes = await startRateLimitedFakes(RATE);
const lines: string[] = [];
for (const key of (args.stores ?? '').split(',').filter(Boolean)) {
  const store = STORES[key];
  if (!store) throw new Error(`unknown store ${key}`);
  for (const platform of PLATFORMS.length > 0 ? PLATFORMS : (['slack'] as Platform[])) {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-schedules-bench-'));
    const scope = `bench_schedules_${process.pid}_${platform}_${key}`;
    let state: State;
    try {
      state = await openState(store.url(dir), { scope });
    } catch (error) {
      lines.push(`- ${store.name}: skipped (${(error as Error).message})`);
      continue;
    }
    try {
      const started = performance.now();
      await makeSchedules(state, platform);
      const makeMs = performance.now() - started;
      const first = (await scheduleBook(state, { platform, channel: channelId(platform, 0) }).list())[0] as Schedule;
      if (nextRun(first, MADE).getTime() !== SLOT.getTime()) throw new Error('the schedules are not due at SLOT');

      const s = await measureScheduler(state, platform);
      // The same schedules again, their runs queued afresh: the measured runs are forgotten.
      for await (const [k] of state.schedules.entries()) {
        if (k.startsWith('out:') || k.startsWith('done:') || k.startsWith('sent:') || k.startsWith('health:')) {
          await state.schedules.delete(k);
        }
      }
      lines.push(
        `- ${store.name}, ${fmt(SCHEDULES)} ${platform} schedules (${FILTERS.length} different digests; made in ${ms(makeMs)}, not measured): ` +
          `first step (reads every schedule, works out when each is next due) ${ms(s.firstStepMs)}; ` +
          `idle step ${s.idleMs.toFixed(2)} ms; step at the due minute queueing all ${fmt(SCHEDULES)} runs ${ms(s.queueMs)}; ` +
          `first delivery pass reading them back ${ms(s.readRunsMs)}; ` +
          `digests made and handed to an instant poster (${BUILD} each): ${s.plainPerSecond.toFixed(0)}/s without charts, ` +
          `${s.uncachedPerSecond.toFixed(1)}/s with a chart drawn for each, ${s.chartPerSecond.toFixed(0)}/s with the scheduler's kept charts ` +
          `(${s.drawn} drawn); chart render (chartFile, ${s.chartTimes.length} renders) p50 ${ms(percentile(s.chartTimes, 50))}, ` +
          `p99 ${ms(percentile(s.chartTimes, 99))}`,
      );
      if (PLATFORMS.includes(platform)) {
        fakes.reset();
        const poster =
          platform === 'slack'
            ? new SlackPoster(slackWebClient('xoxb-bench', { apiUrl: fakes.slackApiUrl, retries: 0 }))
            : new DiscordPoster(discordRest('bench-token', { apiUrl: fakes.discordApiUrl, retries: 0 }));
        const p = await measurePosting(state, platform, poster, fakes.posts);
        const perSecond = p.posted / (p.measuredMs / 1000);
        lines.push(
          `  posting through the real ${platform === 'slack' ? 'SlackPoster' : 'DiscordPoster'} with charts, fake allowing ${RATE}/s: ` +
            `first digest after ${ms(p.toFirstMs)}; ${fmt(p.posted)} posted in ${(p.measuredMs / 1000).toFixed(1)} s = ${perSecond.toFixed(1)}/s ` +
            `(${fmt(p.limited)} 429s, ${p.duplicates} duplicates); all ${fmt(SCHEDULES)} at this rate: ${(SCHEDULES / perSecond / 60).toFixed(1)} min`,
        );
      }
    } finally {
      await state.destroy();
      await state.close();
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(lines.splice(0).join('\n'));
  }
}
fakes.close();
console.log(lines.join('\n'));
