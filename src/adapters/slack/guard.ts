// The Slack HTTP front door: routes, size and time limits, signature check and replay refusal, before Bolt.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type RequestListener, ServerResponse } from 'node:http';
import { type Routes, routeFor } from '../../ops/routes.js';

/** Limits for incoming requests. Slack's slash-command bodies are a few kilobytes. */
export interface GuardOptions {
  /** Largest body accepted, in bytes; larger ones get 413 before they are held in memory. */
  maxBytes: number;
  /** How far a request's timestamp may be from now, either way, in seconds (Slack: 5 minutes). */
  toleranceSeconds: number;
  /** The clock, in seconds (injected in tests). */
  nowSeconds: () => number;
  /** Told when an acknowledged request is dropped (a replay found after the ack). */
  onDropped?: (reason: string) => void;
}

/** The defaults in production. */
export const GUARD_DEFAULTS: GuardOptions = {
  maxBytes: 64 * 1024,
  toleranceSeconds: 300,
  nowSeconds: () => Math.floor(Date.now() / 1000),
};

/** The one path Slack posts to (commands, and later interactivity). */
export const SLACK_PATH = '/slack/events';

/**
 * Remembers the signatures of requests already answered, so a replay is refused. Only signatures that
 * verified are offered to it, so its size is bounded by real traffic, never by a forger.
 */
export interface ReplayCache {
  /** Records `signature` until `untilSeconds`; false if it was already recorded (a replay). */
  claim(signature: string, untilSeconds: number, nowSeconds: number): Promise<boolean> | boolean;
  /** Whether this process has already seen `signature` (answered at once, without the store). */
  seen?(signature: string): boolean;
}

/** An in-memory replay cache holding at most `max` signatures (the oldest are forgotten first). */
export function memoryReplayCache(max = 50_000): ReplayCache & { readonly size: number } {
  const seen = new Map<string, number>(); // signature -> second after which it may be forgotten
  return {
    get size() {
      return seen.size;
    },
    seen: (signature) => seen.has(signature),
    claim(signature, untilSeconds, nowSeconds) {
      for (const [key, until] of seen) {
        if (until >= nowSeconds && seen.size < max) break; // insertion order is roughly time order
        seen.delete(key);
      }
      if (seen.has(signature)) return false;
      seen.set(signature, untilSeconds);
      return true;
    },
  };
}

export type { Routes };

/**
 * Wraps a receiver's listener: answers unknown paths (404) and wrong methods (405) itself, refuses
 * oversized (413), unsigned, stale, future-dated or forged (401) and replayed (401) requests, and hands
 * only verified bodies, already buffered, to the receiver.
 */
export function guardedListener(
  listener: RequestListener,
  signingSecret: string,
  options: GuardOptions = GUARD_DEFAULTS,
  replays: ReplayCache = memoryReplayCache(),
  routes: Routes = {},
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const route = routeFor(routes, req.url);
    if (route) return route(req, res);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path !== SLACK_PATH) return refuse(req, res, 404, 'not found', {});
    if (req.method !== 'POST') return refuse(req, res, 405, 'only POST is accepted here', { Allow: 'POST' });
    const signature = header(req, 'x-slack-signature');
    // Whole seconds as Slack writes them: "+123", "0x…" or "1e9" are not Slack's and are refused.
    const stamp = header(req, 'x-slack-request-timestamp');
    const timestamp = /^\d{1,12}$/.test(stamp) ? Number(stamp) : Number.NaN;
    const now = options.nowSeconds();
    if (!/^v0=[0-9a-f]{64}$/.test(signature) || !Number.isInteger(timestamp)) {
      return refuse(req, res, 401, 'missing or malformed signature');
    }
    if (Math.abs(now - timestamp) > options.toleranceSeconds)
      return refuse(req, res, 401, 'stale or future-dated request');
    if (Number(req.headers['content-length'] ?? 0) > options.maxBytes) return refuse(req, res, 413, 'body too large');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBytes) {
        refuse(req, res, 413, 'body too large');
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', async () => {
      if (res.headersSent || size > options.maxBytes) return;
      const body = Buffer.concat(chunks);
      if (!verify(signingSecret, timestamp, body, signature)) return refuse(req, res, 401, 'signature does not match');
      const read = readBody(body, header(req, 'content-type'));
      if ('problem' in read) return refuse(req, res, 400, read.problem);
      // Bolt reads a body that is already buffered instead of reading the stream again.
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      const until = timestamp + options.toleranceSeconds;
      if (!read.slashCommand) {
        let fresh: boolean;
        try {
          fresh = await replays.claim(signature, until, now);
        } catch {
          // A replay cache that cannot answer must not let a replay through.
          return refuse(req, res, 503, 'the state store is not answering; try again in a minute');
        }
        if (!fresh) return refuse(req, res, 401, 'replayed request');
        return listener(req, res);
      }
      // A slash command is acknowledged here, at once, when this instance has not seen its signature:
      // the replay check against the shared store, Bolt's own parsing and second signature check, and its
      // middleware all come after the ack, on a later turn of the event loop, so a burst is acknowledged
      // at the cost of this guard alone. A replay only the store recognises (another instance's request,
      // or one from before a restart) is acknowledged and never run. Bolt acks into a response that goes
      // nowhere.
      if (replays.seen?.(signature)) return refuse(req, res, 401, 'replayed request');
      res.writeHead(200, { 'Content-Length': '0' });
      res.end();
      let fresh: boolean;
      try {
        fresh = await replays.claim(signature, until, now);
      } catch {
        fresh = false; // a replay cache that cannot answer must not let a replay through
      }
      if (!fresh) {
        options.onDropped?.('a replayed slash command was acknowledged and not run');
        return;
      }
      setImmediate(() => listener(req, new ServerResponse(req)));
    });
  };
}

/**
 * What a signed body is, read once: a problem Bolt could not handle (Slack sends a form, with at most one
 * of each field and a JSON object in `payload`, or a JSON object; Bolt itself crashes on `payload=null`),
 * or whether it is a slash command (a form with `command` and no `payload`), which needs only an empty ack.
 */
export function readBody(body: Buffer, contentType: string): { problem: string } | { slashCommand: boolean } {
  const text = body.toString('utf8');
  const isObject = (json: string) => {
    try {
      const value: unknown = JSON.parse(json);
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    } catch {
      return false;
    }
  };
  if (contentType.startsWith('application/json')) {
    return isObject(text) ? { slashCommand: false } : { problem: 'the JSON body must be an object' };
  }
  const form = new URLSearchParams(text);
  for (const name of ['command', 'text', 'payload', 'response_url', 'channel_id', 'user_id']) {
    if (form.getAll(name).length > 1) return { problem: `the field ${name} is given more than once` };
  }
  const payload = form.get('payload');
  if (payload !== null && !isObject(payload)) return { problem: 'payload must be a JSON object' };
  return {
    slashCommand:
      contentType.startsWith('application/x-www-form-urlencoded') && form.has('command') && payload === null,
  };
}

/** Whether `signature` is Slack's signature of this request: v0= + HMAC-SHA256(secret, v0:ts:body). */
function verify(secret: string, timestamp: number, body: Buffer, signature: string): boolean {
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(signature.slice(3), 'hex'));
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return typeof value === 'string' ? value : '';
}

/** Answers with a short plain-text reason and closes the connection; the request's body is drained, not kept. */
export function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  reason: string,
  extra: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close', ...extra });
  res.end(req.method === 'HEAD' ? undefined : `${reason}\n`);
  req.resume();
}
