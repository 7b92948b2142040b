// How fast the notifier posts to a platform whose client does not pace itself (Slack's): one token bucket per
// channel and one for the whole workspace, as Slack's limits are (docs/SLACK.md, Rate limits), so posts are
// spread from the first one instead of bursting into HTTP 429s. The platform's Retry-After is still obeyed
// (the notifier waits it out); a rate limit met anyway teaches the workspace bucket a slower rate.
import type { PostLimits } from '../core/poster.js';

/** The share of a platform's rate limit that paced posts use (docs/PERFORMANCE.md, Notifier). */
export const PACE_SHARE = 0.98;
/** How much slower the pace gets at each rate limit met while already paced. */
const PACE_BACKOFF = 1.02;
/**
 * The fewest posts accepted in a rate-limit window for its rate to be learned: fewer means the limit was a
 * channel's own (Slack allows about one post a second per channel), not the app's, and pacing every channel
 * to it would slow them all.
 */
const PACE_MIN_POSTS = 10;
/** How far back posts are remembered for learning a rate (longer than any rate-limit window we pace to). */
const PACE_MEMORY_MS = 120_000;
/** Channels not posted to for this long are forgotten (their bucket is full again). */
const CHANNEL_MEMORY_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One platform's pace. A bucket holds one post: a post may go once the previous one's interval has passed
 * (a full bucket lets none through early, because the platforms' windows are fixed: a burst on top of a
 * paced second would pass the limit).
 */
export class Pacer {
  /** The workspace-wide interval (ms between posts) and when the next post may go; none: unpaced. */
  private workspace: { intervalMs: number; next: number; learned: boolean } | undefined;
  /** Per channel: when its next post may go. */
  private readonly channels = new Map<string, number>();
  private readonly channelMs: number;
  /** The workspace interval a documented rate gives (0: none documented). */
  private readonly declaredMs: number;
  /** When recent posts were accepted (ms), to learn the rate at the next rate limit. */
  private accepted: number[] = [];
  /** When the last rate-limit wait ended (posts before it belong to an earlier window). */
  private resumedAt = 0;

  /** `limits`: what the platform documents (none: unpaced until a rate limit teaches a rate). */
  constructor(
    private readonly now: () => number,
    limits: PostLimits = {},
  ) {
    this.channelMs = limits.perChannelPerSecond ? 1000 / limits.perChannelPerSecond : 0;
    this.declaredMs = limits.perSecond ? 1000 / (limits.perSecond * PACE_SHARE) : 0;
    this.workspace = this.declared();
  }

  private declared(): Pacer['workspace'] {
    return this.declaredMs > 0 ? { intervalMs: this.declaredMs, next: 0, learned: false } : undefined;
  }

  /** How long until a post to `channel` may go under its own limit (0: now). */
  channelWait(channel: string): number {
    return Math.max(0, (this.channels.get(channel) ?? 0) - this.now());
  }

  /**
   * Waits for the workspace's pace, then books this post's slots: the workspace's next a whole interval after
   * this post really goes (a post delayed by a busy machine never lets the next ones catch up in a burst), and
   * the channel's next a channel interval after it. Call after `channelWait` said 0.
   */
  async beforePost(channel: string): Promise<void> {
    const pace = this.workspace;
    if (pace) {
      const wait = pace.next - this.now();
      if (wait > 0) await sleep(wait);
      pace.next = Math.max(this.now(), pace.next) + pace.intervalMs;
    }
    if (this.channelMs > 0) this.channels.set(channel, this.now() + this.channelMs);
  }

  /** Notes an accepted post, for learning the rate at the next rate limit. */
  posted(): void {
    const now = this.now();
    this.accepted.push(now);
    let old = 0;
    while (old < this.accepted.length && (this.accepted[old] as number) < now - PACE_MEMORY_MS) old += 1;
    if (old > 0) this.accepted = this.accepted.slice(old);
  }

  /**
   * After a rate limit that said to wait `waitMs`: the platform took the posts accepted in the last
   * max(1 s, waitMs) since the previous rate-limit wait ended, over that time. Posts from now on are spread
   * evenly at PACE_SHARE of that rate (never faster than a documented rate). A first burst that spanned two of
   * the platform's windows counts too many; the next rate limit, which then falls within one window, corrects
   * it. Fewer than PACE_MIN_POSTS accepted in that time: nothing to learn from; the pace stays as it was, only
   * held back until the wait is over.
   */
  rateLimited(waitMs: number): void {
    const now = this.now();
    const windowMs = Math.max(1_000, waitMs);
    const from = Math.max(now - windowMs, this.resumedAt);
    const posts = this.accepted.filter((t) => t > from).length;
    this.resumedAt = now + waitMs;
    const known = this.workspace;
    if (posts < PACE_MIN_POSTS) {
      if (known) known.next = Math.max(known.next, now + waitMs);
      return;
    }
    // Limited again while paced (timers and the network bunch posts up): slow down a little more each time.
    const intervalMs = Math.max(windowMs / (posts * PACE_SHARE), (known?.intervalMs ?? 0) * PACE_BACKOFF);
    this.workspace = { intervalMs, next: now + waitMs, learned: true };
  }

  /**
   * At the start of a delivery pass. With nothing waiting for this platform (`backlog` false), a pace learned
   * from a rate limit is dropped: the next fan-out starts at full speed, or at the documented rate. Channels
   * whose slot has long passed are forgotten either way, so a fan-out to many channels leaves nothing behind.
   */
  pass(backlog: boolean): void {
    if (!backlog && this.workspace?.learned) this.workspace = this.declared();
    const now = this.now();
    for (const [channel, next] of this.channels) if (next < now - CHANNEL_MEMORY_MS) this.channels.delete(channel);
  }
}
