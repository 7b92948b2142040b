// Local fake platform APIs that enforce a rate limit as the platforms do, for the benchmarks that post through
// the real Posters and platform clients (bench/notifier.bench.ts, bench/schedules.bench.ts):
//   slack    a fake Slack Web API (chat.postMessage; HTTP 429 with a Retry-After in whole seconds)
//   discord  a fake Discord REST API (Discord's X-RateLimit-* headers, a per-channel route bucket, and the global
//            limit: 429 with X-RateLimit-Global and retry_after)
// Both count what they saw in `posts`, and the requests that came before an earlier 429's retry time.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { readBody } from '../tests/fakes/http.js';

export type Platform = 'slack' | 'discord';

/** The fake Discord's route bucket for creating a message: this many per channel per ROUTE_RESET_MS. */
export const ROUTE_LIMIT = 5;
export const ROUTE_RESET_MS = 5_000;
const ROUTE_BUCKET = '7d1c6a0e5b3f4e2a9c8b1d0f6e5a4c3b';

/** Slack channel ids (C000000000 …); Discord's are snowflakes (17–19 digits, or @discordjs/rest would not see the
 * channel as the route's major parameter and would queue every channel in one bucket). */
export const channelId = (platform: Platform, i: number) =>
  platform === 'slack' ? `C${String(i).padStart(9, '0')}` : String(100_000_000_000_000_000n + BigInt(i));

/** One request to post a message, as a fake saw it. */
export interface FakePost {
  /** Date.now() and performance.now() when the request arrived. */
  at: number;
  perf: number;
  channel: string;
  status: 200 | 429;
  /** Of a Discord 429: the global limit, or the channel's route bucket. */
  scope?: 'global' | 'user';
}

/** Both fakes, running on 127.0.0.1. */
export interface RateLimitedFakes {
  /** The Slack Web API base (ends with /api/) and the Discord REST base (without the version). */
  slackApiUrl: string;
  discordApiUrl: string;
  /** Every message request, in order of arrival (one platform at a time; `reset` before each run). */
  posts: FakePost[];
  /** Requests that came before an earlier 429's retry time, and the most any came early by (ms). */
  ignored(): { count: number; earliestMs: number };
  reset(): void;
  close(): void;
}

/** Starts both fakes, each allowing `RATE` message requests per fixed window of one wall-clock second. */
export async function startRateLimitedFakes(RATE: number): Promise<RateLimitedFakes> {
  // What the fake of the platform being measured saw (one platform and store at a time; reset before each run).
  const posts: FakePost[] = [];
  let windowStart = 0;
  let inWindow = 0;
  let notBefore = 0;
  let ignored = 0;
  let earliestIgnored = 0;
  let ts = 0;

  /** Counts the request as ignoring a 429 if it arrived before the retry time `until` (ms since the epoch). */
  function checkIgnored(at: number, until: number) {
    if (at < until) {
      ignored += 1;
      earliestIgnored = Math.max(earliestIgnored, until - at);
    }
  }

  /** The fixed one-second window of the whole-app limit that `at` falls in; its start (ms since the epoch). */
  function limiterWindow(at: number): number {
    const window = Math.floor(at / 1000) * 1000;
    if (window !== windowStart) {
      windowStart = window;
      inWindow = 0;
    }
    return window;
  }

  /*
   * The fake Slack Web API: chat.postMessage only, answered at once. Its rate limit is a fixed window of one
   * wall-clock second (Date.now()) allowing RATE requests, for the whole app (all channels). A request over
   * the limit gets HTTP 429 with Retry-After = the seconds until the window ends, rounded up as Slack's
   * whole-second header must be: always 1. A request arriving before an earlier 429's Retry-After has passed
   * is counted as ignoring it (and then limited like any other request).
   */
  const slackFake = createServer(async (req, res) => {
    const body = await readBody(req);
    const at = Date.now();
    const perf = performance.now();
    res.setHeader('Content-Type', 'application/json');
    if (req.url !== '/api/chat.postMessage') {
      res.end('{"ok":false,"error":"unknown_method"}');
      return;
    }
    const channel =
      req.headers['content-type']?.startsWith('application/json') === true
        ? String((JSON.parse(body) as { channel?: unknown }).channel)
        : (new URLSearchParams(body).get('channel') ?? '');
    checkIgnored(at, notBefore);
    const window = limiterWindow(at);
    if (inWindow >= RATE) {
      const retryAfter = Math.ceil((window + 1000 - at) / 1000);
      notBefore = Math.max(notBefore, at + retryAfter * 1000);
      posts.push({ at, perf, channel, status: 429 });
      res.writeHead(429, { 'Retry-After': String(retryAfter) });
      res.end('{"ok":false,"error":"ratelimited"}');
      return;
    }
    inWindow += 1;
    posts.push({ at, perf, channel, status: 200 });
    ts += 1;
    res.end(JSON.stringify({ ok: true, channel, ts: `${Math.floor(at / 1000)}.${String(ts % 1e6).padStart(6, '0')}` }));
  });

  /*
   * The fake Discord REST API: POST /api/v10/channels/{id}/messages only, answered at once, rate limited as
   * Discord documents it (https://discord.com/developers/docs/topics/rate-limits):
   * - The global limit, which is what limits a fan-out: RATE requests per fixed window of one wall-clock
   *   second for the whole bot (all channels). A request over it gets HTTP 429 with X-RateLimit-Global: true,
   *   X-RateLimit-Scope: global, Retry-After in whole seconds rounded up (Discord's header, as in its example
   *   "Retry-After: 65" for "retry_after": 64.57; always 1 here) and the exact wait in the body
   *   ({ message, retry_after: seconds with milliseconds, global: true }); like Discord's example of a global
   *   429, it carries no route-bucket headers.
   * - The route bucket of creating a message, per channel (the route's major parameter): ROUTE_LIMIT requests
   *   per ROUTE_RESET_MS from its first use, reported on every other response with X-RateLimit-Limit,
   *   -Remaining, -Reset (epoch seconds, fractional), -Reset-After (seconds, fractional) and -Bucket; over it a
   *   429 with X-RateLimit-Scope: user and global: false. One notice per channel never reaches it.
   * A request arriving before an earlier 429's retry_after has passed (a global one, or its channel's) is
   * counted as ignoring it (and then limited like any other request).
   */
  const routeBuckets = new Map<string, { reset: number; remaining: number }>();
  const channelNotBefore = new Map<string, number>();
  const discordFake = createServer(async (req, res) => {
    await readBody(req);
    const at = Date.now();
    const perf = performance.now();
    res.setHeader('Content-Type', 'application/json');
    const match = req.method === 'POST' ? /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(req.url ?? '') : null;
    if (!match) {
      res.writeHead(404);
      res.end('{"message":"404: Not Found","code":0}');
      return;
    }
    const channel = match[1] as string;
    checkIgnored(at, Math.max(notBefore, channelNotBefore.get(channel) ?? 0));
    const window = limiterWindow(at);
    if (inWindow >= RATE) {
      const retryMs = window + 1000 - at;
      notBefore = Math.max(notBefore, at + retryMs);
      posts.push({ at, perf, channel, status: 429, scope: 'global' });
      res.writeHead(429, {
        'Retry-After': String(Math.ceil(retryMs / 1000)),
        'X-RateLimit-Global': 'true',
        'X-RateLimit-Scope': 'global',
      });
      res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: retryMs / 1000, global: true }));
      return;
    }
    let bucket = routeBuckets.get(channel);
    if (!bucket || at >= bucket.reset) {
      bucket = { reset: at + ROUTE_RESET_MS, remaining: ROUTE_LIMIT };
      routeBuckets.set(channel, bucket);
    }
    const { reset } = bucket;
    const headers = (remaining: number) => ({
      'X-RateLimit-Limit': String(ROUTE_LIMIT),
      'X-RateLimit-Remaining': String(remaining),
      'X-RateLimit-Reset': (reset / 1000).toFixed(3),
      'X-RateLimit-Reset-After': ((reset - at) / 1000).toFixed(3),
      'X-RateLimit-Bucket': ROUTE_BUCKET,
    });
    if (bucket.remaining === 0) {
      channelNotBefore.set(channel, reset);
      posts.push({ at, perf, channel, status: 429, scope: 'user' });
      res.writeHead(429, {
        ...headers(0),
        'Retry-After': String(Math.ceil((reset - at) / 1000)),
        'X-RateLimit-Scope': 'user',
      });
      res.end(
        JSON.stringify({ message: 'You are being rate limited.', retry_after: (reset - at) / 1000, global: false }),
      );
      return;
    }
    inWindow += 1;
    bucket.remaining -= 1;
    posts.push({ at, perf, channel, status: 200 });
    ts += 1;
    res.writeHead(200, headers(bucket.remaining));
    res.end(JSON.stringify({ id: String(1_300_000_000_000_000_000n + BigInt(ts)), channel_id: channel, type: 0 }));
  });

  await new Promise<void>((resolve) => slackFake.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => discordFake.listen(0, '127.0.0.1', resolve));

  function reset() {
    posts.length = 0;
    windowStart = 0;
    inWindow = 0;
    notBefore = 0;
    ignored = 0;
    earliestIgnored = 0;
    routeBuckets.clear();
    channelNotBefore.clear();
  }

  return {
    slackApiUrl: `http://127.0.0.1:${(slackFake.address() as AddressInfo).port}/api/`,
    discordApiUrl: `http://127.0.0.1:${(discordFake.address() as AddressInfo).port}/api`,
    posts,
    ignored: () => ({ count: ignored, earliestMs: earliestIgnored }),
    reset,
    close() {
      for (const server of [slackFake, discordFake]) {
        server.close();
        server.closeAllConnections();
      }
    },
  };
}
