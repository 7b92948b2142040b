// HTTP for the feed watcher: one GET with the stored validators (ETag, Last-Modified), a time limit for the
// whole exchange, a size limit (the body is abandoned past it), redirects followed up to a bound, and
// connections only to public addresses besides the source's own host (connect.ts).
import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher, request } from 'undici';
import { guardedConnector, hostPort, RefusedAddress } from './connect.js';

/** Bounds of one fetch. */
export interface FetchLimits {
  /** The whole exchange (connect, redirects, headers and body) must end within this. */
  timeoutMs: number;
  /** The most bytes of body read; past it the request is aborted. */
  maxBytes: number;
  /** The most redirects followed. */
  maxRedirects: number;
}

/** Defaults: a feed or an article page is far below 5 MB and answers within 20 s. */
export const DEFAULT_FETCH_LIMITS: FetchLimits = { timeoutMs: 20_000, maxBytes: 5_000_000, maxRedirects: 5 };

/** The validators of the last good answer, sent back so an unchanged feed answers 304. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** What a GET brought. `url` is the address that answered, after redirects. */
export type Fetched =
  | { status: 'not-modified'; url: string }
  | { status: 'ok'; url: string; body: string; contentType?: string; etag?: string; lastModified?: string };

/** A fetch that failed: down, slow, too big, refused. `retryAfterMs` when the server said when to come back. */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

/** What a GET may do besides the limits. */
export interface FetchOptions {
  /** Whether a redirect to an address may be followed. */
  mayFollow?: (url: string) => boolean;
  /**
   * The URL of the source the GET is for, as configured: its host and port may be on a non-public address
   * (loopback, private, link-local …). Every other connection, and all of them without it, must go to a public
   * address.
   */
  source?: string;
}

/** GETs a URL. */
export type Fetch = (url: string, validators?: Validators, options?: FetchOptions) => Promise<Fetched>;

/** An HTTP client with its own connection pool, closed with `close()`. */
export interface HttpClient {
  fetch: Fetch;
  /** Closes the pool once the requests in flight are done. */
  close(): Promise<void>;
  /** Aborts the requests in flight and closes the pool. */
  destroy(): Promise<void>;
}

/** The User-Agent the watcher sends: who polls, so a publisher can tell. */
export const USER_AGENT = 'Hotline-feed-watcher/0.1 (a record of US-China military contacts)';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** How an HTTP client resolves names: DNS unless given (tests map names such as feeds.example to 127.0.0.1). */
export interface ResolveOptions {
  lookup?: LookupFunction;
}

/**
 * An HTTP client with these limits. Each source gets a connection pool of its own, whose connector lets that
 * source's own host and port alone be non-public: a pool shared between sources would hand one source a
 * connection opened under another's exemption.
 */
export function httpClient(limits: Partial<FetchLimits> = {}, resolve: ResolveOptions = {}): HttpClient {
  const bounds = { ...DEFAULT_FETCH_LIMITS, ...limits };
  const agents = new Map<string, Agent>();
  let closed = false;
  const agentFor = (source: string | undefined): Dispatcher => {
    const own = source === undefined ? undefined : hostPort(source);
    const key = own ? `${own.hostname} ${own.port}` : '';
    let agent = agents.get(key);
    if (!agent) {
      if (closed) throw new FetchError('the HTTP client is closed');
      agent = new Agent({
        connect: guardedConnector({
          timeout: bounds.timeoutMs,
          ...(resolve.lookup ? { lookup: resolve.lookup } : {}),
          ...(own ? { own } : {}),
        }),
        headersTimeout: bounds.timeoutMs,
        bodyTimeout: bounds.timeoutMs,
      });
      agents.set(key, agent);
    }
    return agent;
  };
  const all = async (end: (agent: Agent) => Promise<void>) => {
    closed = true;
    await Promise.all([...agents.values()].map(end));
  };
  return {
    fetch: async (url, validators, options) => fetchOnce(agentFor(options?.source), bounds, url, validators, options),
    close: () => all((agent) => agent.close()),
    destroy: () => all((agent) => agent.destroy()),
  };
}

async function fetchOnce(
  agent: Dispatcher,
  limits: FetchLimits,
  start: string,
  validators: Validators = {},
  options: FetchOptions = {},
): Promise<Fetched> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), limits.timeoutMs);
  let url = start;
  try {
    for (let hop = 0; ; hop += 1) {
      checkScheme(url);
      const headers: Record<string, string> = {
        'user-agent': USER_AGENT,
        accept:
          'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5',
      };
      // The validators belong to the address they were given for; a redirect asks afresh.
      if (hop === 0 && validators.etag) headers['if-none-match'] = validators.etag;
      if (hop === 0 && validators.lastModified) headers['if-modified-since'] = validators.lastModified;
      const response = await request(url, { method: 'GET', headers, dispatcher: agent, signal: abort.signal });
      const { statusCode } = response;
      if (REDIRECTS.has(statusCode)) {
        await response.body.dump().catch(() => {});
        const location = header(response.headers, 'location');
        if (!location) throw new FetchError(`HTTP ${statusCode} without a Location`);
        if (hop >= limits.maxRedirects) throw new FetchError(`more than ${limits.maxRedirects} redirects`);
        url = new URL(location, url).href;
        if (options.mayFollow && !options.mayFollow(url)) {
          throw new FetchError(`not followed: a redirect to another site than the source's (${safeHost(url)})`);
        }
        continue;
      }
      if (statusCode === 304) {
        await response.body.dump().catch(() => {});
        return { status: 'not-modified', url };
      }
      if (statusCode < 200 || statusCode >= 300) {
        await response.body.dump().catch(() => {});
        const retry = retryAfterMs(header(response.headers, 'retry-after'));
        throw new FetchError(`HTTP ${statusCode}`, retry);
      }
      const declared = Number(header(response.headers, 'content-length'));
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        abort.abort();
        throw new FetchError(`too large: ${declared} bytes (the limit is ${limits.maxBytes})`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limits.maxBytes) {
          abort.abort();
          throw new FetchError(`too large: more than ${limits.maxBytes} bytes`);
        }
        chunks.push(chunk);
      }
      const contentType = header(response.headers, 'content-type');
      const etag = header(response.headers, 'etag');
      const lastModified = header(response.headers, 'last-modified');
      return {
        status: 'ok',
        url,
        body: decode(Buffer.concat(chunks), contentType),
        ...(contentType ? { contentType } : {}),
        ...(etag ? { etag } : {}),
        ...(lastModified ? { lastModified } : {}),
      };
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    if (error instanceof RefusedAddress) throw new FetchError(error.message);
    if (abort.signal.aborted) throw new FetchError(`no answer within ${limits.timeoutMs} ms`);
    throw new FetchError(describe(error));
  } finally {
    clearTimeout(timer);
  }
}

function checkScheme(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FetchError(`not a URL: ${url.slice(0, 200)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FetchError(`refused to follow a ${parsed.protocol} address`);
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 80);
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}

/** Retry-After in seconds or as a date, in ms from now; undefined when absent or unreadable. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** A network error in a line: undici's code and message, the cause's when it has one. */
function describe(error: unknown): string {
  const e = error as { message?: string; code?: string; cause?: { message?: string; code?: string } };
  const code = e.cause?.code ?? e.code;
  const message = e.cause?.message ?? e.message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/**
 * The body as text, in the charset the server names, else the one the document declares in its first bytes
 * (`<?xml … encoding="GB2312"?>`, `<meta charset="gbk">`), else UTF-8. An unknown label reads as UTF-8.
 */
export function decode(bytes: Buffer, contentType: string | undefined): string {
  const head = bytes.subarray(0, 1024).toString('latin1');
  const label =
    /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ??
    /^<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)/i.exec(head.trimStart())?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
    'utf-8';
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}
