// The operations endpoints: /healthz (the process answers), /readyz (it can do its work), /metrics.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './metrics.js';
import { type Routes, routeFor } from './routes.js';

/** One readiness check: ok or not, with a short detail for a person. */
export type Check = () => Promise<{ ok: boolean; detail: string }>;

/** Each check gets this long before it counts as failed. */
const CHECK_TIMEOUT_MS = 2_000;

async function bounded(check: Check): Promise<{ ok: boolean; detail: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      check(),
      new Promise<{ ok: boolean; detail: string }>((resolve) => {
        timer = setTimeout(
          () => resolve({ ok: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

function only(methods: readonly string[], handler: RequestListener): RequestListener {
  return (req, res) => {
    if (!methods.includes(req.method ?? '')) {
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8', Allow: methods.join(', ') });
      res.end(`only ${methods.join(' and ')}\n`);
      req.resume();
      return;
    }
    handler(req, res);
  };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The routes by path, for the Slack server or a server of their own. */
export function opsRoutes(checks: Readonly<Record<string, Check>>, metrics: Metrics): Record<string, RequestListener> {
  return {
    '/healthz': only(['GET', 'HEAD'], (req, res) => send(req, res, 200, 'text/plain; charset=utf-8', 'ok\n')),
    '/readyz': only(['GET', 'HEAD'], async (req, res) => {
      const names = Object.keys(checks);
      const results = await Promise.all(names.map((name) => bounded(checks[name] as Check)));
      const body = Object.fromEntries(names.map((name, i) => [name, results[i]]));
      const ready = results.every((r) => r.ok);
      send(req, res, ready ? 200 : 503, 'application/json', `${JSON.stringify({ ready, checks: body }, null, 2)}\n`);
    }),
    '/metrics': only(['GET', 'HEAD'], async (req, res) => {
      send(req, res, 200, metrics.registry.contentType, await metrics.registry.metrics());
    }),
  };
}

/**
 * How long a client may take, on every server Hotline runs: the headers within 10 s, the whole request within 15 s.
 * Node checks these every `connectionsCheckingInterval` (30 s by default, so a client dribbling header lines was
 * kept 33 s, not 10); checked each second, a slow client is cut off within a second of its time.
 */
export const CLIENT_TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 15_000, connectionsCheckingInterval: 1_000 };

/**
 * Connections open at once on the web view (`hotline serve`) and on METRICS_PORT; past the cap Node closes each
 * new connection as it arrives, so a client opening thousands cannot exhaust the process's file descriptors or
 * memory. The web view's is the Slack server's (HTTP_LIMITS): it is public, behind a proxy that pools its own
 * connections. The ops server answers a scraper and a few probes: a hundred is ten times what they need.
 */
export const MAX_CONNECTIONS = { web: 1_000, ops: 100 };

/** Bounds of a server: CLIENT_TIMEOUTS' and how many connections may be open at once. */
export type ServerLimits = typeof CLIENT_TIMEOUTS & { maxConnections: number };

/** An HTTP server cutting off slow clients and holding at most `limits.maxConnections` connections. */
export function boundedServer(listener: RequestListener, limits: ServerLimits): Server {
  const { maxConnections, ...timeouts } = limits;
  const server = createServer(timeouts, listener);
  server.maxConnections = maxConnections;
  return server;
}

/**
 * A server for the routes alone (METRICS_PORT, or when no Slack HTTP server runs); 404 elsewhere. `limits`
 * changes the default bounds (tests).
 */
export async function startOpsServer(
  routes: Routes,
  port: number,
  host = '0.0.0.0',
  limits: Partial<ServerLimits> = {},
): Promise<{ port: number; server: Server; stop(): Promise<void> }> {
  const server = boundedServer(
    (req, res) => {
      const route = routeFor(routes, req.url);
      if (route) return route(req, res);
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : 'not found\n');
      req.resume();
    },
    { ...CLIENT_TIMEOUTS, maxConnections: MAX_CONNECTIONS.ops, ...limits },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
