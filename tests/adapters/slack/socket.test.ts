// Socket Mode: the real Bolt app connects to a local fake Slack over a WebSocket and answers a command.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningSlack, startSlack } from '../../../src/adapters/slack/index.js';
import { renderSlack } from '../../../src/adapters/slack/render.js';
import { fixture, runCommand } from '../../helpers.js';

const NOW = '2024-06-01';
let api: Server;
let sockets: WebSocketServer;
let slack: RunningSlack;
let apiUrl: string;
let socketReady: Promise<WebSocket>;
const answers: Record<string, unknown>[] = [];
let answered: (body: Record<string, unknown>) => void = () => {};

beforeAll(async () => {
  sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => sockets.on('listening', () => resolve()));
  socketReady = new Promise((resolve) => {
    sockets.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
      resolve(socket);
    });
  });
  const wsUrl = `ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/`;
  // A fake Slack Web API: apps.connections.open hands out the WebSocket URL; response_url collects answers.
  api = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/api/apps.connections.open') {
        const ok = req.headers.authorization === 'Bearer xapp-test';
        res.end(JSON.stringify(ok ? { ok: true, url: wsUrl } : { ok: false, error: 'invalid_auth' }));
      } else if (req.url === '/api/auth.test') {
        res.end('{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}');
      } else {
        const answer = JSON.parse(body);
        answers.push(answer);
        answered(answer);
        res.end('{"ok":true}');
      }
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  slack = await startSlack(
    { botToken: 'xoxb-test', appToken: 'xapp-test', apiUrl: `${apiUrl}/api/`, logLevel: 'error' },
    { catalog: fixture(), commands: COMMANDS, today: () => NOW },
  );
});

afterAll(async () => {
  await slack?.stop();
  sockets?.close();
  api?.close();
});

describe('Socket Mode', () => {
  it('acknowledges the envelope and answers the command through response_url', async () => {
    const socket = await socketReady;
    expect(slack.port).toBeUndefined();
    const acked = new Promise<Record<string, unknown>>((resolve) => {
      socket.once('message', (data) => resolve(JSON.parse(String(data))));
    });
    const answer = new Promise<Record<string, unknown>>((resolve) => {
      answered = resolve;
    });
    socket.send(
      JSON.stringify({
        envelope_id: 'env-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          command: '/lastcontact',
          text: 'level:minister',
          user_id: 'U1',
          channel_id: 'C1',
          team_id: 'T1',
          api_app_id: 'A1',
          response_url: `${apiUrl}/response`,
          trigger_id: '1.2.3',
        },
      }),
    );
    expect((await acked).envelope_id).toBe('env-1');
    expect(await answer).toEqual({
      response_type: 'in_channel',
      ...renderSlack(await runCommand('/lastcontact level:minister', NOW)),
    });
  });
});
