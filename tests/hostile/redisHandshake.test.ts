// A Redis that accepts the connection and never answers (found by the attack of 2 December 2026): opening
// the state must fail within its bound, naming STATE_URL, instead of waiting forever.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openState } from '../../src/state/index.js';

let server: Server;
let port = 0;
const sockets = new Set<Socket>();
beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {}); // reads the handshake, never answers
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((done) => server.close(done));
});

describe('a Redis that never answers the handshake', () => {
  it('fails to open within about five seconds, naming STATE_URL', async () => {
    const started = Date.now();
    await expect(openState(`redis://127.0.0.1:${port}`, { scope: 'silent' })).rejects.toThrow(
      `STATE_URL redis://127.0.0.1:${port}: cannot open the store: no answer within 5000 ms`,
    );
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
