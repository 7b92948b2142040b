// `hotline serve`: the web view on a port of its own, every path answered by it (an unknown one with its 404 page).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLIENT_TIMEOUTS } from '../ops/http.js';

/** A listening web view: its address, and how to stop it. */
export interface RunningWeb {
  port: number;
  /** The address to open: http://host:port (a wildcard host shown as localhost). */
  url: string;
  server: Server;
  stop(): Promise<void>;
}

/**
 * Listens on `host`:`port` (0: any free port) and answers every request with `listener`. `timeouts` shortens
 * CLIENT_TIMEOUTS' bounds (tests).
 */
export async function startWebServer(
  listener: RequestListener,
  port: number,
  host: string,
  timeouts: Partial<typeof CLIENT_TIMEOUTS> = {},
): Promise<RunningWeb> {
  // Slow clients are cut off as on the other servers (src/ops/http.ts), so none can hold a connection open.
  const server = createServer({ ...CLIENT_TIMEOUTS, ...timeouts }, listener);
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
