// The connection cap of the web view and the ops server (MAX_CONNECTIONS, src/ops/http.ts): a client opening more
// connections than the cap gets the extra ones closed unanswered, while the connections held are still answered
// and, once they close, new ones are accepted again.
import type { Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CONNECTIONS, startOpsServer } from '../../src/ops/http.js';
import { startWebServer } from '../../src/web/server.js';
import { until } from '../until.js';

const CAP = 3;
const REQUEST_LINE = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n';

/** A raw connection and everything it received. */
function open(port: number): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {}); // a connection the server drops may reset
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, closed };
}

function connections(server: Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
  );
}

const healthz = (_req: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('ok\n');
};

const servers = {
  'the web view': () => startWebServer(healthz, 0, '127.0.0.1', { maxConnections: CAP }),
  'the ops server': () => startOpsServer({ '/healthz': healthz }, 0, '127.0.0.1', { maxConnections: CAP }),
};

let stop: (() => Promise<void>) | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await stop?.();
  stop = undefined;
});

describe('connection cap', () => {
  it('is set by default: 1,000 on the web view (as on the Slack server), 100 on the ops server', async () => {
    const web = await startWebServer(healthz, 0, '127.0.0.1');
    const ops = await startOpsServer({}, 0, '127.0.0.1');
    try {
      expect(MAX_CONNECTIONS).toEqual({ web: 1_000, ops: 100 });
      expect(web.server.maxConnections).toBe(1_000);
      expect(ops.server.maxConnections).toBe(100);
      expect(web.server.headersTimeout).toBe(10_000);
      expect(ops.server.requestTimeout).toBe(15_000);
    } finally {
      await web.stop();
      await ops.stop();
    }
  });

  for (const [name, start] of Object.entries(servers)) {
    it(`GIVEN ${name} holding its cap of connections THEN one more is closed unanswered, the held ones are answered, and a new one is accepted once they close`, async () => {
      const running = await start();
      stop = running.stop;
      // Each held connection is mid-request (headers not finished), so the server keeps it open.
      const held = Array.from({ length: CAP }, () => open(running.port));
      for (const h of held) {
        sockets.push(h.socket);
        h.socket.write(REQUEST_LINE);
      }
      await until(`${CAP} connections held`, async () => (await connections(running.server)) === CAP);

      const extra = open(running.port);
      sockets.push(extra.socket);
      extra.socket.write(`${REQUEST_LINE}\r\n`);
      await extra.closed;
      expect(extra.received()).toBe('');
      expect(await connections(running.server)).toBe(CAP);

      // The app keeps answering on the connections it holds.
      const first = held[0] as (typeof held)[number];
      first.socket.write('\r\n');
      await until('the held connection answered', () => first.received().includes('ok\n'));
      expect(first.received().split('\r\n')[0]).toBe('HTTP/1.1 200 OK');

      for (const h of held) h.socket.destroy();
      await until('the held connections closed', async () => (await connections(running.server)) === 0);
      const again = await fetch(`http://127.0.0.1:${running.port}/healthz`);
      expect(again.status).toBe(200);
      expect(await again.text()).toBe('ok\n');
    });
  }
});
