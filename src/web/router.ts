// The web view over HTTP: which page a path is, GET and HEAD only, status codes, security and cache headers, ETags.
import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parseLine } from '../core/args.js';
import type { Catalog, CatalogEvent } from '../core/catalog.js';
import type { Command } from '../core/command.js';
import type { Day } from '../core/dates.js';
import { UserError } from '../core/errors.js';
import type { ExportEvent } from '../export/revisions.js';
import { EXPORT_FILTERS } from '../export/select.js';
import type { Log } from '../logging.js';
import type { Routes } from '../ops/routes.js';
import { FEEDS, feed } from './feeds.js';
import { STYLE_HASH } from './layout.js';
import {
  channelsPage,
  errorPage,
  eventPage,
  homePage,
  type PageContext,
  personPage,
  type RevisionSource,
  timelinePage,
} from './pages.js';
import { pathOfLine, queryOf } from './paths.js';

/** What the web view reads; every value is read per request, so a live catalog is served as it changes. */
export interface WebDeps {
  catalog: () => Catalog;
  commands: readonly Command[];
  today: () => Day;
  /** PUBLIC_URL, or where `hotline serve` listens: the address citations and feeds give for pages. */
  baseUrl?: () => string | undefined;
  /** The event log, where it is read: an event's revisions, and each exported event's. */
  revisions?: RevisionSource & { withRevisions(events: readonly CatalogEvent[]): Promise<ExportEvent[]> };
  /** False to make every answer afresh (the benchmark measures rendering); answers are cached by default. */
  cacheAnswers?: boolean;
  /** The clock, only for when a version of the record was first served (JSON's `generated`). */
  clock?: () => Date;
  log?: Log;
}

/**
 * Every header a web view answer carries: no script may run, nothing may frame it, no referrer leaks to sources.
 * The only image is the empty icon in the page's head (data:,), so a browser does not ask for /favicon.ico.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': `default-src 'none'; style-src ${STYLE_HASH}; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** How long a browser or proxy may reuse a page without asking again (then an ETag makes asking cheap). */
export const PAGE_MAX_AGE = 300;
/** How long an error page may be reused: an id may be added to the record soon. */
export const ERROR_MAX_AGE = 60;

/** The exact paths of the web view, and the prefixes of pages with an id in the path. */
export const WEB_PATHS = ['/', '/timeline', '/channels', ...Object.keys(FEEDS), '/events/*', '/people/*'] as const;

/** The routes of the web view, to serve beside the others on a port (Slack's, the ops server, `hotline serve`). */
export function webRoutes(deps: WebDeps): Routes {
  const listener = webListener(deps);
  return Object.fromEntries(WEB_PATHS.map((path) => [path, listener]));
}

interface Answer {
  status: 200 | 400 | 404;
  type: string;
  body: string;
  disposition?: string;
}

const HTML = 'text/html; charset=utf-8';

/** The listener behind every web route. */
export function webListener(deps: WebDeps): RequestListener {
  const generatedAt = new WeakMap<Catalog, string>();
  const answers = new WeakMap<Catalog, Map<string, Promise<Ready>>>();
  return (req, res) => {
    // A body is never read: drain it so the connection can be reused.
    req.resume();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, {
        ...SECURITY_HEADERS,
        Allow: 'GET, HEAD',
        'Content-Type': HTML,
        'Cache-Control': 'no-store',
      });
      res.end(
        errorPage(
          'Method not allowed',
          `${req.method ?? 'That method'} is not answered here: the web view is read-only (GET and HEAD only).`,
          { href: '/', text: '/' },
        ),
      );
      return;
    }
    const catalog = deps.catalog();
    if (!generatedAt.has(catalog)) generatedAt.set(catalog, (deps.clock?.() ?? new Date()).toISOString());
    const ctx: PageContext & { generated: string } = {
      catalog,
      commands: deps.commands,
      now: deps.today(),
      generated: generatedAt.get(catalog) as string,
      ...(deps.baseUrl?.() ? { baseUrl: deps.baseUrl() as string } : {}),
      ...(deps.revisions ? { revisions: deps.revisions } : {}),
    };
    const make = () => answer(req.url ?? '/', ctx, deps);
    (deps.cacheAnswers === false
      ? make().then(ready)
      : cached(answers, catalog, `${ctx.now} ${ctx.baseUrl ?? ''} ${req.url ?? '/'}`, make)
    )
      .then((result) => send(req, res, result))
      .catch((error: unknown) => {
        deps.log?.('error', `web view: ${req.url}: ${(error as Error).stack ?? String(error)}`);
        if (res.headersSent) return void res.destroy();
        res.writeHead(500, {
          ...SECURITY_HEADERS,
          'Content-Type': 'text/plain; charset=utf-8',
          'Cache-Control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : 'Something went wrong on our side; it has been logged.\n');
      });
  };
}

/** How many answers are kept per version of the record, and how many bytes of them at most. */
export const ANSWER_CACHE = { entries: 500, bytes: 32 * 1024 * 1024 };

/**
 * The answer to `key` from the cache of this version of the record, or made once by `make` (requests for the same
 * address while it is made wait for it). A page depends only on the record, the day, the base URL and the address,
 * and the record is replaced, never changed, when the event log grows: a new version starts an empty cache. The
 * least recently used answers are forgotten first, past ANSWER_CACHE.
 */
function cached(
  answers: WeakMap<Catalog, Map<string, Promise<Ready>>>,
  catalog: Catalog,
  key: string,
  make: () => Promise<Answer>,
): Promise<Ready> {
  let cache = answers.get(catalog);
  if (!cache) {
    cache = new Map();
    answers.set(catalog, cache);
  }
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const made = make().then(ready);
  cache.set(key, made);
  made.then(
    (answer) => {
      sizes.set(made, answer.bytes.length);
      trim(cache);
    },
    () => cache.delete(key),
  );
  return made;
}

/** The size of each answer made, once it is made. */
const sizes = new WeakMap<Promise<Ready>, number>();

function trim(cache: Map<string, Promise<Ready>>): void {
  let bytes = 0;
  for (const made of cache.values()) bytes += sizes.get(made) ?? 0;
  for (const [key, made] of cache) {
    if (cache.size <= ANSWER_CACHE.entries && bytes <= ANSWER_CACHE.bytes) return;
    bytes -= sizes.get(made) ?? 0;
    cache.delete(key);
  }
}

/** An answer ready to send: its body as bytes and its ETag (a hash of them), computed once. */
interface Ready extends Answer {
  bytes: Buffer;
  etag: string;
}

function ready(answer: Answer): Ready {
  const bytes = Buffer.from(answer.body, 'utf8');
  return { ...answer, bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"` };
}

/** The page for a request's URL, or the error page saying what was wrong. */
async function answer(target: string, ctx: PageContext & { generated: string }, deps: WebDeps): Promise<Answer> {
  let url: URL;
  try {
    url = new URL(target, 'http://hotline.invalid');
  } catch {
    return failed(400, 'That address cannot be read.', { href: '/', text: '/' });
  }
  const path = url.pathname;
  const params = url.searchParams;
  const page = (body: string): Answer => ({ status: 200, type: HTML, body });
  try {
    if (path === '/') return page(await homePage(ctx));
    if (path === '/timeline') return page(await timelinePage(params, ctx));
    if (path === '/channels') return page(await channelsPage(params, ctx));
    const format = FEEDS[path];
    if (format) {
      const body = await feed(path, params, {
        ...ctx,
        ...(deps.revisions
          ? { withRevisions: (events) => (deps.revisions as NonNullable<WebDeps['revisions']>).withRevisions(events) }
          : {}),
      });
      return { status: 200, type: format.type, body, disposition: format.disposition };
    }
    const [, section, id, ...more] = path.split('/');
    if ((section === 'events' || section === 'people') && id && more.length === 0) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(id);
      } catch {
        return failed(400, 'That address has a badly encoded id.', { href: '/timeline', text: '/timeline' });
      }
      return page(section === 'events' ? await eventPage(decoded, ctx) : await personPage(decoded, params, ctx));
    }
    return failed(
      404,
      `There is no page at ${path}. The board, the timeline and the channels are linked from every page.`,
      {
        href: '/timeline',
        text: '/timeline',
      },
    );
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const notFound = /^\/(events|people)\//.test(path) && ['unknown-event', 'unknown-person'].includes(error.code);
    return failed(notFound ? 404 : 400, error.message, exampleLink(error.example, path, ctx.commands));
  }
}

function failed(status: 400 | 404, message: string, example: { href: string; text: string } | undefined): Answer {
  return {
    status,
    type: HTML,
    body: errorPage(status === 404 ? 'Not found' : 'Could not answer that', message, example),
  };
}

/**
 * A UserError's example as a link: a command line becomes its page ("/timeline level:minister" →
 * /timeline?level=minister; "/event <id>" → /events/<id>), /export's filters the same export's address, a bare
 * option ("topic:taiwan") the page's own command with it.
 */
function exampleLink(
  example: string | undefined,
  path: string,
  commands: readonly Command[],
): { href: string; text: string } | undefined {
  if (!example) return undefined;
  if (example.startsWith('/people/')) return { href: example, text: example };
  const feedPath = FEEDS[path] ? path : undefined;
  const own = feedPath ? 'export' : path.startsWith('/events/') ? 'event' : path.slice(1) || 'timeline';
  const line = example.startsWith('/') ? example : `/${own} ${example}`;
  let href: string | undefined;
  if (feedPath && /^\/(export|timeline)\b/.test(line)) {
    try {
      href = `${feedPath}${queryOf(EXPORT_FILTERS, parseLine(EXPORT_FILTERS, line.replace(/^\/\S+ ?/, '')))}`;
    } catch {
      href = undefined;
    }
  } else {
    href = pathOfLine(line, commands);
  }
  return href ? { href, text: href } : undefined;
}

/** Writes an answer with its headers; a matching If-None-Match gets 304, and HEAD the headers alone. */
function send(req: IncomingMessage, res: ServerResponse, answer: Ready): void {
  const { etag, bytes } = answer;
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'Content-Type': answer.type,
    'Cache-Control': `public, max-age=${answer.status === 200 ? PAGE_MAX_AGE : ERROR_MAX_AGE}`,
    ETag: etag,
    ...(answer.disposition ? { 'Content-Disposition': answer.disposition } : {}),
  };
  if (answer.status === 200 && matches(req.headers['if-none-match'], etag)) {
    const { 'Content-Type': _type, 'Content-Disposition': _disposition, ...kept } = headers;
    res.writeHead(304, kept);
    res.end();
    return;
  }
  res.writeHead(answer.status, { ...headers, 'Content-Length': String(bytes.length) });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** Whether If-None-Match names this ETag (weak comparison, as RFC 9110 asks for GET and HEAD), or is "*". */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}
