// Posts a Reply into a Slack channel with chat.postMessage (its files uploaded into the message's thread with
// files.uploadV2), mapping Slack's failures to the shared vocabulary.
import { webApi } from '@slack/bolt';
import type { Poster, PostFailure, PostFile, PostLimits, PostOptions, PostResult } from '../../core/poster.js';
import type { Reply } from '../../core/reply.js';
import { cutToLength } from '../../core/text.js';
import { type Log, logger } from '../../logging.js';
import { renderSlack } from './render.js';

/** Slack's Web API client, as @slack/bolt re-exports it. */
export type SlackWebClient = webApi.WebClient;

/** Options of `slackWebClient`. */
export interface SlackWebClientOptions {
  /** The Web API base URL (SLACK_API_URL: GovSlack, or a local fake in tests); it must end with `/api/`. */
  apiUrl?: string;
  /** Retries of a failed request (network error, 5xx) inside the client; 0 in tests. Rate limits are never retried here. */
  retries?: number;
  /** How long one request may take before it fails as transient. */
  timeoutMs?: number;
}

/** Slack's own Web API base URL. */
export const SLACK_API_URL = 'https://slack.com/api/';

/** Retries when none are given: a job retries transient failures itself, so the client only smooths over blips. */
export const DEFAULT_RETRIES = 2;

/** A request's time limit when none is given: chat.postMessage answers in well under a second. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Platform errors that mean the channel is gone or archived: stop posting there. */
export const GONE_ERRORS: ReadonlySet<string> = new Set(['channel_not_found', 'is_archived', 'channel_is_archived']);

/** Platform errors that mean the bot's token is refused everywhere: nothing can be posted until it is fixed. */
export const UNAUTHORIZED_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'not_authed',
  'token_expired',
]);

/** Platform errors that mean the bot may not post there (membership, permissions): stop, and tell someone. */
export const FORBIDDEN_ERRORS: ReadonlySet<string> = new Set([
  'not_in_channel',
  'restricted_action',
  'missing_scope',
  'ekm_access_denied',
  'team_access_not_granted',
  'no_permission',
  'access_denied',
  'not_allowed_token_type',
  'org_login_required',
  'enterprise_is_restricted',
]);

/** Platform errors about the message itself: it will never be accepted, so it is not retried. */
export const REJECTED_ERRORS: ReadonlySet<string> = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'message_limit_exceeded',
  'invalid_arguments',
]);

// The client logs every failure itself; the Poster returns failures instead, so the client stays quiet.
const silentLogger: webApi.Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => {},
};

/**
 * A Web API client for a Poster: rate limits come back as errors with Slack's retry time (never
 * slept on inside the client), few retries, a time limit, and no logging of its own.
 * Throws if `apiUrl` does not end with `/api/`.
 */
export function slackWebClient(token: string, options: SlackWebClientOptions = {}): SlackWebClient {
  const apiUrl = options.apiUrl ?? SLACK_API_URL;
  if (!/^https?:\/\/[^/]+(\/.*)?\/api\/$/.test(apiUrl)) {
    throw new Error(`The Slack API URL must be an http(s) URL ending with /api/, such as ${SLACK_API_URL}: ${apiUrl}`);
  }
  return new webApi.WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: options.retries ?? DEFAULT_RETRIES },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    logger: silentLogger,
  });
}

/** Posts Replies into Slack channels through an injected Web API client; failures are returned, never thrown. */
export class SlackPoster implements Poster {
  /**
   * `client` is built by the caller (usually `slackWebClient`), so tests and the app choose where it points.
   * `log` hears of files Slack refused: the post itself still succeeds, so a job never sees them.
   */
  /**
   * Slack's posting limits (https://api.slack.com/docs/rate-limits): chat.postMessage "generally allows posting
   * one message per second per channel, while also maintaining a workspace-wide limit" whose number Slack does
   * not give. `postsPerSecond` is that workspace limit when the operator knows it: the notifier then paces to it
   * from the first post; without it, it learns the rate from the first HTTP 429.
   */
  readonly limits: PostLimits;

  constructor(
    private readonly client: SlackWebClient,
    private readonly log: Log = logger('info', 'slack'),
    options: { postsPerSecond?: number } = {},
  ) {
    this.limits = {
      perChannelPerSecond: 1,
      ...(options.postsPerSecond && options.postsPerSecond > 0 ? { perSecond: options.postsPerSecond } : {}),
    };
  }

  /**
   * Posts `reply` into `channel` (an id such as C0123…) as Block Kit, with no link or media previews;
   * with `replyTo` (an earlier message's ts) into that message's thread. `files` are uploaded into the
   * thread of the message just posted (or the thread it went into): chat.postMessage cannot carry files,
   * and a file shared on its own at the channel's top level would read as a second, unexplained post.
   */
  async post(channel: string, reply: Reply, options: PostOptions = {}): Promise<PostResult> {
    const message = renderSlack(reply);
    let ts: string;
    try {
      const result = await this.client.chat.postMessage({
        channel,
        ...(options.replyTo ? { thread_ts: options.replyTo } : {}),
        ...message,
        unfurl_links: false,
        unfurl_media: false,
      });
      // Slack always returns ts on success; if it ever did not, the message was still posted,
      // and reporting a failure would make a job post it twice.
      ts = result.ts ?? '';
    } catch (error) {
      return { ok: false, failure: slackPostFailure(error) };
    }
    const thread = options.replyTo ?? ts;
    if (options.files && options.files.length > 0 && !thread) {
      this.log('warn', `${channel}: Slack gave no ts for the message, so its files had no thread to go into`);
    } else if (options.files && options.files.length > 0) {
      // The message is what matters: a refused file is logged, and the post still counts as done (retrying
      // it would post the message twice).
      const refused = await uploadFiles(this.client, options.files, { channel, threadTs: thread, title: reply.title });
      for (const line of refused) this.log('warn', `${channel}: message ${ts} posted without a file: ${line}`);
    }
    return { ok: true, messageId: ts };
  }

  /** Replaces an earlier message (its ts) with `reply` (chat.update). */
  async update(channel: string, messageId: string, reply: Reply): Promise<PostResult> {
    try {
      await this.client.chat.update({ channel, ts: messageId, ...renderSlack(reply) });
      return { ok: true, messageId };
    } catch (error) {
      return { ok: false, failure: slackPostFailure(error) };
    }
  }

  /** A direct message: chat.postMessage to a user id posts in the app's DM with that person. */
  direct(user: string, reply: Reply): Promise<PostResult> {
    return this.post(user, reply);
  }
}

/** Slack's limit on a file's alt text (longer is refused with alt_txt_too_large). */
export const ALT_TEXT_LIMIT = 1000;

/** Slack's limit on a file's title, as the clients show it before cutting it. */
const TITLE_LIMIT = 250;

/** Where uploaded files are shared: a channel, or a message's thread in it, with a title for each file. */
export interface UploadTarget {
  channel: string;
  /** The ts of the message whose thread the files go into; absent: the channel itself. */
  threadTs?: string;
  /** Shown above each file. */
  title: string;
  /** A message posted with the files (as their own message), e.g. what the chart shows. */
  initialComment?: string;
}

/**
 * Uploads each file with files.uploadV2 (files.getUploadURLExternal, the bytes to the upload URL, then
 * files.completeUploadExternal) and shares it at `target`, with its alt text. Returns one line for each
 * file Slack refused ("contacts.png: forbidden: missing_scope (needed: files:write)"); never throws.
 */
export async function uploadFiles(
  client: SlackWebClient,
  files: readonly PostFile[],
  target: UploadTarget,
): Promise<string[]> {
  const refused: string[] = [];
  for (const file of files) {
    try {
      const destination = target.threadTs
        ? { channel_id: target.channel, thread_ts: target.threadTs }
        : { channel_id: target.channel };
      await client.filesUploadV2({
        ...destination,
        ...(target.initialComment ? { initial_comment: target.initialComment } : {}),
        // The client takes a Buffer (or a path, or a stream), not any Uint8Array: a view, not a copy.
        file: Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength),
        filename: file.name,
        alt_text: cutToLength(file.alt, ALT_TEXT_LIMIT),
        title: cutToLength(target.title, TITLE_LIMIT),
      });
    } catch (error) {
      const failure = slackPostFailure(error);
      const hint =
        failure.detail.includes('missing_scope') && failure.detail.includes('files:write')
          ? ' (add the files:write scope and reinstall the app)'
          : '';
      refused.push(`${file.name}: ${failure.kind}: ${failure.detail}${hint}`);
    }
  }
  return refused;
}

/** What an error from the Web API client means for a job, in the shared vocabulary (docs/SLACK.md). */
export function slackPostFailure(error: unknown): PostFailure {
  if (!isWebApiError(error)) {
    // Not one of the client's coded errors: e.g. a 429 without a usable Retry-After.
    return { kind: 'transient', detail: error instanceof Error ? error.message : String(error) };
  }
  switch (error.code) {
    case webApi.ErrorCode.RateLimitedError:
      return rateLimited('ratelimited', error.retryAfter);
    case webApi.ErrorCode.PlatformError:
      return platformFailure(error.data);
    case webApi.ErrorCode.HTTPError: {
      const body: unknown = error.body;
      const slackError =
        typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string'
          ? `: ${body.error}`
          : '';
      return { kind: 'transient', detail: `HTTP ${error.statusCode} ${error.statusMessage}${slackError}`.trim() };
    }
    case webApi.ErrorCode.RequestError: {
      const original: unknown = error.original;
      const code =
        typeof original === 'object' && original !== null && 'code' in original && typeof original.code === 'string'
          ? original.code
          : undefined;
      return { kind: 'transient', detail: `request failed: ${code ?? error.message}` };
    }
  }
}

/** A platform error (`ok: false` with Slack's error string) in the shared vocabulary. */
function platformFailure(data: webApi.WebAPICallResult & { error: string; needed?: unknown }): PostFailure {
  // The client's types promise an error string; a body of just { ok: false } would still lack one.
  const code = typeof data.error === 'string' && data.error.length > 0 ? data.error : 'unknown_error';
  const retryAfter = data.response_metadata?.retryAfter;
  if ((code === 'ratelimited' || code === 'rate_limited') && retryAfter !== undefined) {
    return rateLimited(code, retryAfter);
  }
  if (GONE_ERRORS.has(code)) return { kind: 'gone', detail: code };
  if (UNAUTHORIZED_ERRORS.has(code)) return { kind: 'unauthorized', detail: code };
  if (REJECTED_ERRORS.has(code)) return { kind: 'rejected', detail: code };
  // restricted_action_read_only_channel, restricted_action_thread_only_channel, … : posting is not allowed there.
  if (FORBIDDEN_ERRORS.has(code) || code.startsWith('restricted_action')) {
    const needed = code === 'missing_scope' && typeof data.needed === 'string' ? ` (needed: ${data.needed})` : '';
    return { kind: 'forbidden', detail: `${code}${needed}` };
  }
  return { kind: 'transient', detail: code };
}

function rateLimited(code: string, retryAfterSeconds: number): PostFailure {
  return {
    kind: 'rate-limited',
    retryAfterMs: Math.max(0, retryAfterSeconds) * 1000,
    detail: `${code}: retry after ${retryAfterSeconds} s`,
  };
}

const WEB_API_CODES: ReadonlySet<string> = new Set([
  webApi.ErrorCode.PlatformError,
  webApi.ErrorCode.RateLimitedError,
  webApi.ErrorCode.HTTPError,
  webApi.ErrorCode.RequestError,
]);

function isWebApiError(error: unknown): error is webApi.WebAPICallError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    WEB_API_CODES.has(error.code)
  );
}
