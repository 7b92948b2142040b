// Posting into a channel, as jobs do: the one vocabulary every platform's failures are mapped to.
import type { Reply } from './reply.js';

/** Why a post failed, in words every platform's failures map to. */
export type PostFailure =
  /** Too many requests: try again after `retryAfterMs` (the platform's own retry-after). */
  | { kind: 'rate-limited'; retryAfterMs: number; detail: string }
  /** The channel no longer exists or was archived: stop posting there. */
  | { kind: 'gone'; detail: string }
  /** The bot may not post in this channel (not a member, missing permission): stop there, and tell someone. */
  | { kind: 'forbidden'; detail: string }
  /** The platform refuses the bot itself (token revoked, expired or wrong): nothing can be posted anywhere until it is fixed. */
  | { kind: 'unauthorized'; detail: string }
  /** The platform refused this message itself (malformed, too long): retrying it cannot help; log it, move on. */
  | { kind: 'rejected'; detail: string }
  /** Anything else that may pass: a network error, a 5xx. Retry with backoff. */
  | { kind: 'transient'; detail: string };

/** The outcome of one post: the platform's message id, or why it failed. */
export type PostResult = { ok: true; messageId: string } | { ok: false; failure: PostFailure };

/** A file posted with a message: a digest's chart. */
export interface PostFile {
  /** The file's name, with its extension: "contacts.png". */
  name: string;
  data: Uint8Array;
  /** What the file shows, in words (its alt text: the chart's text alternative). */
  alt: string;
}

/** How to post: as a follow-up of an earlier message (a thread reply on Slack, a reply on Discord), with files. */
export interface PostOptions {
  /** The message id a PostResult gave for the earlier message. */
  replyTo?: string;
  /**
   * Files to attach (Discord: in the same message; Slack: uploaded into the message's thread right after it).
   * A file the platform refuses never fails the post: the message is what matters, the failure is logged.
   */
  files?: readonly PostFile[];
}

/** Posts replies into channels; each adapter implements it, and jobs use only this. */
export interface Poster {
  /** Posts `reply` into `channel`; never throws for a platform failure, but returns it. */
  post(channel: string, reply: Reply, options?: PostOptions): Promise<PostResult>;
  /**
   * Replaces a message posted earlier (its PostResult's messageId) with `reply`, e.g. a draft's card once it is
   * decided elsewhere. Platforms that cannot leave it out.
   */
  update?(channel: string, messageId: string, reply: Reply): Promise<PostResult>;
  /** Sends `reply` to one person privately (a direct message), e.g. to say their subscription was paused. */
  direct(user: string, reply: Reply): Promise<PostResult>;
  /**
   * True when the platform's client keeps to the rate limit itself and gives exact retry-after times
   * (Discord's): the notifier then never paces its posts on top (see src/jobs/pacing.ts).
   */
  readonly pacesItself?: boolean;
  /** The platform's posting limits, when known: the notifier paces posts to them from the first post. */
  readonly limits?: PostLimits;
}

/** A platform's posting limits (Slack's: docs/SLACK.md, Rate limits). */
export interface PostLimits {
  /** Posts a second into one channel. */
  perChannelPerSecond?: number;
  /** Posts a second in all, across channels (a workspace's limit); none: learned from the first rate limit. */
  perSecond?: number;
}
