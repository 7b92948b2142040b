// Posts a Reply into a Discord channel over REST (files attached to the same message, multipart), mapping
// Discord's failures to the shared vocabulary.
import {
  DefaultRestOptions,
  DiscordAPIError,
  HTTPError,
  RateLimitError,
  REST,
  type ResponseLike,
  Routes,
} from 'discord.js';
import type { Poster, PostFailure, PostFile, PostOptions, PostResult } from '../../core/poster.js';
import type { Reply } from '../../core/reply.js';
import { cutToLength } from '../../core/text.js';
import { type Log, logger } from '../../logging.js';
import { type DiscordMessage, type Embed, renderDiscord } from './render.js';
import { DEFAULT_API_URL } from './rest.js';

/** Options of `discordRest`. */
export interface DiscordRestOptions {
  /** The REST base URL without the version (DISCORD_API_URL: a shared REST proxy, or a local fake in tests). */
  apiUrl?: string;
  /** Retries of a 5xx or reset connection inside the client; 0 in tests. Rate limits are never waited out here. */
  retries?: number;
  /** How long one request may take before it fails as transient. */
  timeoutMs?: number;
}

/** Retries when none are given: a job retries transient failures itself, so the client only smooths over blips. */
export const DEFAULT_RETRIES = 2;

/** A request's time limit when none is given: creating a message answers in well under a second. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Discord's JSON error codes that mean the channel is gone: stop posting there. */
export const GONE_CODES: ReadonlySet<number> = new Set([
  10003, // Unknown Channel
]);

/** Discord's JSON error codes that mean the bot may not post there: stop, and tell someone. */
export const FORBIDDEN_CODES: ReadonlySet<number> = new Set([
  50001, // Missing Access
  50013, // Missing Permissions
]);

/**
 * A REST client for a Poster: every rate limit (a 429, or a bucket known to be empty) rejects at
 * once with Discord's retry time instead of being slept on, few retries, a time limit, and no
 * offset added to Discord's retry time.
 */
export function discordRest(token: string, options: DiscordRestOptions = {}): REST {
  return new REST({
    version: '10',
    api: options.apiUrl ?? DEFAULT_API_URL,
    retries: options.retries ?? DEFAULT_RETRIES,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    rejectOnRateLimit: () => true,
    // 1 ms past each reset: waking exactly on the reset millisecond, @discordjs/rest 2.6 neither counts
    // itself limited nor opens a new window, and sends one request too many (measured in bench/).
    offset: 1,
    makeRequest: withRetryAfterFromBody,
  }).setToken(token);
}

/** Discord's limits on the files of one message: how many, bytes each (without boosts), alt text characters. */
export const ATTACHMENT_LIMITS = { files: 10, bytes: 25 * 1024 * 1024, description: 1024 } as const;

/** A file as it goes into a message: its entry in `attachments` (id n matches the form field files[n]). */
export interface Attachment {
  id: number;
  filename: string;
  description: string;
}

/** A message with files: the body with its `attachments`, and the files to send beside it. */
export interface MessageWithFiles<M> {
  body: M & { attachments: Attachment[] };
  files: { name: string; data: Uint8Array; description: string }[];
  /** Files left out, and why ("big.png: 30 MB, over Discord's 25 MB"). */
  dropped: string[];
}

/**
 * `message` with `files` attached, within Discord's limits (10 files of 25 MB; alt text of 1,024 characters),
 * the first image shown in the last embed (`attachment://name`), so the chart sits under the digest rather
 * than below the embeds as a loose file. Names are reduced to the characters attachment:// accepts.
 */
export function withAttachments<M extends Pick<DiscordMessage, 'embeds'>>(
  message: M,
  files: readonly PostFile[],
): MessageWithFiles<M> {
  const dropped: string[] = [];
  const kept: { name: string; data: Uint8Array; description: string }[] = [];
  for (const file of files) {
    if (kept.length === ATTACHMENT_LIMITS.files) {
      dropped.push(`${file.name}: more than ${ATTACHMENT_LIMITS.files} files`);
    } else if (file.data.byteLength > ATTACHMENT_LIMITS.bytes) {
      dropped.push(`${file.name}: ${megabytes(file.data.byteLength)} MB, over Discord's 25 MB`);
    } else {
      kept.push({
        name: attachmentName(file.name, kept.length),
        data: file.data,
        description: cutToLength(file.alt, ATTACHMENT_LIMITS.description),
      });
    }
  }
  const image = kept.find((f) => /\.(png|jpe?g|gif|webp)$/i.test(f.name));
  const embeds: (Embed & { image?: { url: string } })[] = message.embeds.map((e) => ({ ...e }));
  const last = embeds.at(-1);
  if (image && last) last.image = { url: `attachment://${image.name}` };
  return {
    body: {
      ...message,
      embeds,
      attachments: kept.map((f, id) => ({ id, filename: f.name, description: f.description })),
    },
    files: kept,
    dropped,
  };
}

/** Posts Replies into Discord channels through an injected REST client; failures are returned, never thrown. */
export class DiscordPoster implements Poster {
  /**
   * `rest` is built by the caller (usually `discordRest`), so tests and the app choose where it points.
   * `log` hears of files left out: the post itself still succeeds, so a job never sees them.
   */
  constructor(
    private readonly rest: REST,
    private readonly log: Log = logger('info', 'discord'),
  ) {}

  /** @discordjs/rest counts the global limit itself and hands back Discord's exact retry_after. */
  readonly pacesItself = true;

  // After a 401 @discordjs/rest drops the token and refuses every later request without sending it.
  private tokenRefused = false;

  /**
   * Posts `reply` into `channel` (a channel id) as embeds, with no mentions allowed; with `replyTo`
   * (an earlier message's id) as a reply to it, still posted if that message was deleted. `files` go in
   * the same message (multipart); if Discord refuses them (no Attach Files permission, too large), the
   * message is posted again without them and the refusal logged: the message is what matters.
   */
  async post(channel: string, reply: Reply, options: PostOptions = {}): Promise<PostResult> {
    if (this.tokenRefused) {
      return {
        ok: false,
        failure: { kind: 'unauthorized', detail: 'token refused earlier (401); restart with a valid DISCORD_TOKEN' },
      };
    }
    const body = {
      ...renderDiscord(reply),
      ...(options.replyTo ? { message_reference: { message_id: options.replyTo, fail_if_not_exists: false } } : {}),
    };
    if (!options.files || options.files.length === 0) return this.send(channel, body);
    const attached = withAttachments(body, options.files);
    for (const line of attached.dropped) this.log('warn', `${channel}: a file was left out: ${line}`);
    if (attached.files.length === 0) return this.send(channel, body);
    const files = attached.files.map((f) => ({ name: f.name, data: f.data }));
    let refusal: unknown;
    const result = await this.send(channel, attached.body, files, (error) => {
      refusal = error;
    });
    if (result.ok || refusal === undefined) return result;
    this.log(
      'warn',
      `${channel}: Discord refused the message with its files (${result.failure.detail}); posting it without them`,
    );
    return this.send(channel, body);
  }

  /**
   * Creates the message; failures are returned. With `files`, a failure that may be the files' fault is
   * handed to `refused` (and returned), so the caller can post again without them.
   */
  private async send(
    channel: string,
    body: object,
    files?: { name: string; data: Uint8Array }[],
    refused?: (error: unknown) => void,
  ): Promise<PostResult> {
    try {
      const message = (await this.rest.post(Routes.channelMessages(channel), {
        body,
        ...(files ? { files } : {}),
      })) as {
        id?: unknown;
      };
      // Discord always returns the message id on success; if it ever did not, the message was still
      // posted, and reporting a failure would make a job post it twice.
      return { ok: true, messageId: typeof message?.id === 'string' ? message.id : '' };
    } catch (error) {
      const failure = discordPostFailure(error);
      if (error instanceof DiscordAPIError && error.status === 401) this.tokenRefused = true;
      if (refused && attachmentsRefused(error)) refused(error);
      return { ok: false, failure };
    }
  }

  /** Replaces an earlier message of the bot with `reply` (PATCH /channels/{channel}/messages/{message}). */
  async update(channel: string, messageId: string, reply: Reply): Promise<PostResult> {
    try {
      const { embeds, components } = renderDiscord(reply);
      await this.rest.patch(Routes.channelMessage(channel, messageId), {
        body: { embeds, components: components ?? [], allowed_mentions: { parse: [] } },
      });
      return { ok: true, messageId };
    } catch (error) {
      if (error instanceof DiscordAPIError && error.status === 401) this.tokenRefused = true;
      return { ok: false, failure: discordPostFailure(error) };
    }
  }

  /** A direct message: opens (or finds) the DM channel with `user`, then posts there. */
  async direct(user: string, reply: Reply): Promise<PostResult> {
    try {
      const dm = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as { id?: unknown };
      if (typeof dm?.id !== 'string') return { ok: false, failure: { kind: 'transient', detail: 'no DM channel id' } };
      return this.post(dm.id, reply);
    } catch (error) {
      return { ok: false, failure: discordPostFailure(error) };
    }
  }
}

/**
 * Whether a refused message may have been refused for its files: Missing Permissions (no Attach Files), a
 * malformed form (400) or a body too large (413). A gone channel, a refused token or a rate limit is not.
 */
export function attachmentsRefused(error: unknown): boolean {
  if (error instanceof DiscordAPIError) {
    if (typeof error.code === 'number' && GONE_CODES.has(error.code)) return false;
    return error.status === 400 || error.status === 403 || error.status === 413;
  }
  return error instanceof HTTPError && error.status === 413;
}

/** A name attachment:// can refer to: letters, digits, dot, dash and underscore only; never empty. */
function attachmentName(name: string, index: number): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return /[A-Za-z0-9]/.test(safe) ? safe : `file-${index}`;
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** What an error from @discordjs/rest means for a job, in the shared vocabulary (docs/DISCORD.md). */
export function discordPostFailure(error: unknown): PostFailure {
  if (error instanceof RateLimitError) {
    const scope = error.global ? 'global' : error.scope;
    const retryAfterMs = Math.max(0, Math.ceil(error.retryAfter));
    return {
      kind: 'rate-limited',
      retryAfterMs,
      detail: `rate limited (${scope}) on ${error.method.toUpperCase()} ${error.route}: retry after ${retryAfterMs} ms`,
    };
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : undefined;
    const detail = `${error.status} ${code ?? error.code}: ${error.message}`;
    if (code !== undefined && GONE_CODES.has(code)) return { kind: 'gone', detail };
    if (error.status === 401) return { kind: 'unauthorized', detail };
    if (error.status === 403 || (code !== undefined && FORBIDDEN_CODES.has(code))) {
      return { kind: 'forbidden', detail };
    }
    // A 400 is about the message (empty, invalid form body): sending it again cannot help.
    if (error.status === 400) return { kind: 'rejected', detail };
    // Anything else (a 404 from a misconfigured proxy, say) is not proof the channel is gone.
    return { kind: 'transient', detail };
  }
  if (error instanceof HTTPError) return { kind: 'transient', detail: `HTTP ${error.status} ${error.message}` };
  return { kind: 'transient', detail: `request failed: ${networkCode(error)}` };
}

/** The most telling code of a network error (ECONNREFUSED …), looking through `cause`. */
function networkCode(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * @discordjs/rest reads a 429's retry time and scope from the Retry-After and X-RateLimit-Global
 * headers only. The JSON body's retry_after (seconds, with milliseconds) is more precise than the
 * header, and a proxy may send only the body: this puts the body's retry_after in the header, and
 * its global flag when the header is missing.
 */
async function withRetryAfterFromBody(url: string, init: Parameters<typeof DefaultRestOptions.makeRequest>[1]) {
  const res = await DefaultRestOptions.makeRequest(url, init);
  if (res.status !== 429) return res;
  const text = await res.text();
  const headers = new Headers(res.headers as unknown as Headers);
  try {
    const body = JSON.parse(text) as { retry_after?: unknown; global?: unknown };
    // The body's retry_after has milliseconds; the header is often rounded up to whole seconds.
    if (typeof body.retry_after === 'number' && body.retry_after >= 0) {
      headers.set('retry-after', String(body.retry_after));
    }
    if (!headers.has('x-ratelimit-global') && body.global === true) headers.set('x-ratelimit-global', 'true');
  } catch {
    // Not JSON: leave the headers as they came.
  }
  return new Response(text, { status: res.status, statusText: res.statusText, headers }) as unknown as ResponseLike;
}
