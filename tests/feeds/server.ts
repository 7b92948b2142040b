// A local HTTP server on 127.0.0.1 for the feed watcher's tests: routes by path, every request recorded.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Feed } from '../../src/core/schema.js';
import type { WatchDeps } from '../../src/feeds/watch.js';
import type { State } from '../../src/state/index.js';
import { bundled } from '../helpers.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'feeds');

/** A fixture of tests/fixtures/feeds with {{BASE}} replaced by the server's address. */
export const fixtureText = (name: string, base: string) =>
  readFileSync(join(FIXTURES, name), 'utf8').replaceAll('{{BASE}}', base);

/** A source as feeds.yaml gives one (US side, English, 15 minutes unless `extra` says otherwise). */
export function feed(name: string, url: string, kind: Feed['kind'] = 'rss', extra: Partial<Feed> = {}): Feed {
  return { name, url, kind, side: 'US', language: 'en', confirmed: false, interval: 15, ...extra };
}

/** Answers one request; may leave it unanswered (a server that hangs). */
export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A running server. */
export interface FeedServer {
  /** http://127.0.0.1:<port> */
  base: string;
  routes: Map<string, Route>;
  /** Every request: path and headers, in order. */
  requests: { path: string; headers: IncomingMessage['headers'] }[];
  /** How many requests asked for `path`. */
  count(path: string): number;
  close(): Promise<void>;
}

export async function startFeedServer(routes: Record<string, Route> = {}): Promise<FeedServer> {
  const table = new Map(Object.entries(routes));
  const requests: FeedServer['requests'] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, headers: req.headers });
    open.add(res);
    res.on('close', () => open.delete(res));
    const route = table.get(path);
    if (route) route(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    routes: table,
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A route that answers `body` with a content type, and 304 when the request's If-None-Match is `etag`. */
export function serve(body: string | (() => string), contentType: string, etag?: string): Route {
  return (req, res) => {
    if (etag && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': contentType, ...(etag ? { etag } : {}) })
      .end(typeof body === 'function' ? body() : body);
  };
}

/** A redirect to `location`. */
export const redirect =
  (location: string, status = 301): Route =>
  (_req, res) => {
    res.writeHead(status, { location }).end();
  };

/** The day the feed tests poll on (3 June 2026, noon UTC). */
export const POLL_NOW = new Date('2026-06-03T12:00:00.000Z');

/** What pollSource needs in these tests: the bundled catalog, `fetch`, the clock at POLL_NOW, no jitter, logs kept. */
export function pollDeps(state: State, fetch: WatchDeps['fetch'], logs: string[]): WatchDeps {
  const catalog = bundled();
  return {
    state,
    catalog: () => catalog,
    fetch,
    clock: () => POLL_NOW,
    random: () => 0.5,
    log: (level, message) => logs.push(`${level}: ${message}`),
  };
}
