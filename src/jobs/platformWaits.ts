// When each platform may be posted to again, for the jobs that post (the notifier, the digest scheduler): after a
// rate limit (the platform's retry-after, kept within bounds) or after the platform refused the bot's token.
import type { Log } from '../logging.js';

/** How long every post to a platform waits after it refused the bot's token. */
export const UNAUTHORIZED_WAIT_MS = 60_000;

/** The shortest wait after a rate limit. */
const MIN_RATE_WAIT_MS = 50;
/** The longest: a retry-after past this (a bug, or a hostile value) is logged and cut to it. */
export const MAX_RATE_WAIT_MS = 15 * 60_000;

/** A platform's retry-after as a wait a job can keep: a number in [MIN_RATE_WAIT_MS, MAX_RATE_WAIT_MS]. */
export function rateWaitMs(retryAfterMs: number): number {
  if (!Number.isFinite(retryAfterMs)) return Number.isNaN(retryAfterMs) ? MIN_RATE_WAIT_MS : MAX_RATE_WAIT_MS;
  return Math.min(MAX_RATE_WAIT_MS, Math.max(MIN_RATE_WAIT_MS, retryAfterMs));
}

/** Per platform, the time before which nothing is posted there. */
export class PlatformWaits {
  private readonly until = new Map<string, number>();

  /** `what` names what waits, in the log: "notices", "digests". */
  constructor(
    private readonly now: () => number,
    private readonly log: Log,
    private readonly what: string,
  ) {}

  /** How long before `platform` may be posted to (0: now). */
  waitMs(platform: string): number {
    return Math.max(0, (this.until.get(platform) ?? 0) - this.now());
  }

  /**
   * A rate limit: every post to the platform waits its retry-after, at least MIN_RATE_WAIT_MS (a retry-after read
   * as 0, as Slack's client drops fractions, or NaN never spins) and at most MAX_RATE_WAIT_MS (a huge one, logged,
   * never stops posting for good). Returns the wait kept.
   */
  rateLimited(platform: string, retryAfterMs: number): number {
    const wait = rateWaitMs(retryAfterMs);
    if (wait !== retryAfterMs && wait === MAX_RATE_WAIT_MS) {
      this.log('warn', `${platform} asked to wait ${retryAfterMs} ms; waiting ${wait} ms instead`);
    }
    this.until.set(platform, this.now() + wait);
    return wait;
  }

  /** The platform refuses the bot itself: not a channel's fault, so nothing is paused; every post there waits. */
  unauthorized(platform: string, detail: string): void {
    this.until.set(platform, this.now() + UNAUTHORIZED_WAIT_MS);
    this.log('error', `${platform} refuses Hotline's token (${detail}); ${this.what} wait until it is fixed`);
  }
}
