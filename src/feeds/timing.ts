// When a source is polled next: its interval with jitter, or a growing backoff while it fails. Pure: the
// instant and the random number are given.

/** Jitter: each wait is the interval times a factor in [1 - JITTER, 1 + JITTER). */
export const JITTER = 0.1;
/** The longest backoff: a source down for days is still tried daily. */
export const MAX_BACKOFF_MS = 24 * 60 * 60_000;
/** A source never polled before is first polled within this after start (at random; the watcher polls at most 4 at once). */
export const FIRST_POLL_SPREAD_MS = 5_000;

/** The next poll after a good answer: one interval, jittered. */
export function nextPollAt(now: number, intervalMinutes: number, random: number): number {
  return now + intervalMinutes * 60_000 * (1 - JITTER + 2 * JITTER * random);
}

/**
 * The next poll after the `failures`-th failure in a row: twice the interval after the first, doubling after
 * each further failure, at most MAX_BACKOFF_MS, jittered; never before the server's Retry-After.
 */
export function backoffUntil(
  now: number,
  intervalMinutes: number,
  failures: number,
  random: number,
  retryAfterMs = 0,
): number {
  const base = Math.min(MAX_BACKOFF_MS, intervalMinutes * 60_000 * 2 ** Math.min(failures, 20));
  return now + Math.max(retryAfterMs, base * (1 - JITTER + 2 * JITTER * random));
}
