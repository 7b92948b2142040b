// `hotline serve`: the web view on a port of its own, every path answered by it (an unknown one with its 404 page).
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { boundedServer, CLIENT_TIMEOUTS, MAX_CONNECTIONS, type ServerLimits } from '../ops/http.js';

/** A listening web view: its address, and how to stop it. */
export interface RunningWeb {
  port: number;
  /** The address to open: http://host:port (a wildcard host shown as localhost). */
  url: string;
  server: Server;
  stop(): Promise<void>;
}

/**
 * Listens on `host`:`port` (0: any free port) and answers every request with `listener`. `limits` changes
 * CLIENT_TIMEOUTS' bounds and the connection cap (tests).
 */
export async function startWebServer(
  listener: RequestListener,
  port: number,
  host: string,
  limits: Partial<ServerLimits> = {},
): Promise<RunningWeb> {
  // Slow clients are cut off and connections capped as on the other servers (src/ops/http.ts), so no client can
  // hold connections open.
  const server = boundedServer(listener, { ...CLIENT_TIMEOUTS, maxConnections: MAX_CONNECTIONS.web, ...limits });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    port: bound,
    url: `http://${shown}:${bound}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
