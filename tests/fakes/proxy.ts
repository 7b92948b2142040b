// A TCP proxy on 127.0.0.1 in front of a real server, that a test can cut (connections refused or
// silently held) and restore: a store that dies mid-command without stopping the shared server.

import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'blackhole';

export interface StoreProxy {
  /** The port to connect to instead of the server's. */
  port: number;
  /** pass: forward; refuse: close every connection at once; blackhole: accept and never answer. */
  set(mode: ProxyMode): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<StoreProxy> {
  let mode: ProxyMode = 'pass';
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => {});
    if (mode === 'refuse') return client.destroy();
    if (mode === 'blackhole') return; // held open, never answered
    const upstream = connect(targetPort, targetHost);
    open.add(upstream);
    upstream.on('close', () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    set(next) {
      mode = next;
      // Cutting the store drops what is connected now; a blackhole also stops forwarding on open links.
      if (next !== 'pass') for (const socket of open) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
