// Checks in front of Bolt's HTTP receiver: a size cap, a timestamp window both ways, and no replays.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** Limits for incoming requests. Slack's slash-command bodies are a few kilobytes. */
export interface GuardOptions {
  /** Largest body accepted, in bytes; larger ones get 413 before they are held in memory. */
  maxBytes: number;
  /** How far a request's timestamp may be from now, either way, in seconds (Slack: 5 minutes). */
  toleranceSeconds: number;
  /** The clock, in seconds (injected in tests). */
  nowSeconds: () => number;
}

/** The defaults in production. */
export const GUARD_DEFAULTS: GuardOptions = {
  maxBytes: 64 * 1024,
  toleranceSeconds: 300,
  nowSeconds: () => Math.floor(Date.now() / 1000),
};

/**
 * Wraps a receiver's listener: refuses unsigned, stale, future-dated, replayed and oversized
 * requests itself, then hands the buffered body to the receiver (which verifies the signature).
 */
export function guardedListener(listener: RequestListener, options: GuardOptions = GUARD_DEFAULTS): RequestListener {
  const seen = new Map<string, number>(); // signature -> second after which it may be forgotten
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return listener(req, res);
    const signature = header(req, 'x-slack-signature');
    const timestamp = Number(header(req, 'x-slack-request-timestamp'));
    const now = options.nowSeconds();
    if (!signature || !Number.isInteger(timestamp) || Math.abs(now - timestamp) > options.toleranceSeconds) {
      return refuse(req, res, 401, 'missing, stale or future-dated signature');
    }
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
    req.on('end', () => {
      if (res.headersSent || size > options.maxBytes) return;
      for (const [key, until] of seen) if (until < now) seen.delete(key);
      if (seen.has(signature)) return refuse(req, res, 401, 'replayed request');
      seen.set(signature, timestamp + options.toleranceSeconds);
      // Bolt reads a body that is already buffered instead of reading the stream again.
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = Buffer.concat(chunks);
      listener(req, res);
    });
  };
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return typeof value === 'string' ? value : '';
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, reason: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'text/plain', Connection: 'close' });
  res.end(reason);
  req.resume();
}
