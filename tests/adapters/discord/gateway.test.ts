// The real discord.js client against a local fake gateway and REST API: slash commands and autocomplete answered.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { COMMANDS } from '../../../commands/index.js';
import { INTERNAL_ERROR, type RunningDiscord, startDiscord } from '../../../src/adapters/discord/index.js';
import { EPHEMERAL, renderDiscord } from '../../../src/adapters/discord/render.js';
import { defineCommand } from '../../../src/core/command.js';
import { suggest } from '../../../src/core/complete.js';
import { errorReply } from '../../../src/core/reply.js';
import { fixture, runCommand } from '../../helpers.js';

const NOW = '2024-06-01';
const APP = '1000000000000000001';
const BOT = '1000000000000000002';
const GUILD = '1000000000000000003';
const CHANNEL = '1000000000000000004';
const USER = '1000000000000000005';

/** A command with a bug: its answer throws something other than a UserError. */
const broken = defineCommand({
  name: 'broken',
  description: 'Always fails, as a bug would',
  options: [],
  examples: ['/broken'],
  visibility: 'channel',
  permission: 'anyone',
  run: () => {
    throw new Error('a bug');
  },
});

/** An interaction callback as the fake REST received it. */
interface Callback {
  type: number;
  data: Record<string, unknown>;
}

let rest: Server;
let gateway: WebSocketServer;
let discord: RunningDiscord;
let socket: WebSocket | undefined;
let seq = 0;
/** Requests the fake REST could not answer, to show in a failure. */
const unexpected: string[] = [];
const callbacks = new Map<string, Callback>();
const waiting = new Map<string, (callback: Callback) => void>();

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
  });
}

/** The callback Discord would receive for interaction `id`. */
function callbackFor(id: string): Promise<Callback> {
  const found = callbacks.get(id);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => waiting.set(id, resolve));
}

function dispatch(t: string, d: unknown): void {
  seq += 1;
  socket?.send(JSON.stringify({ op: 0, t, s: seq, d }));
}

beforeAll(async () => {
  gateway = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => gateway.on('listening', () => resolve()));
  const gatewayUrl = `ws://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  gateway.on('connection', (ws) => {
    socket = ws;
    // Long enough that no heartbeat is due during the test; any that comes is acknowledged.
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 } }));
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { op: number; d: unknown };
      if (message.op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (message.op !== 2) return;
      dispatch('READY', {
        v: 10,
        user: { id: BOT, username: 'hotline', discriminator: '0', global_name: null, avatar: null, bot: true },
        guilds: [{ id: GUILD, unavailable: true }],
        session_id: 'session-1',
        resume_gateway_url: gatewayUrl,
        application: { id: APP, flags: 0 },
        shard: [0, 1],
      });
      dispatch('GUILD_CREATE', {
        id: GUILD,
        name: 'Analysts',
        unavailable: false,
        owner_id: USER,
        member_count: 2,
        large: false,
        features: [],
        roles: [],
        emojis: [],
        stickers: [],
        members: [],
        presences: [],
        voice_states: [],
        threads: [],
        stage_instances: [],
        guild_scheduled_events: [],
        channels: [{ id: CHANNEL, type: 0, name: 'analysts', position: 0, guild_id: GUILD, permission_overwrites: [] }],
      });
    });
  });

  rest = createServer(async (req, res) => {
    const body = await readBody(req);
    const callback = /^\/api\/v10\/interactions\/(\d+)\/[^/]+\/callback/.exec(req.url ?? '');
    if (req.method === 'GET' && req.url === '/api/v10/gateway/bot') {
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          url: gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        }),
      );
    } else if (req.method === 'POST' && callback?.[1]) {
      const received = JSON.parse(body) as Callback;
      callbacks.set(callback[1], received);
      waiting.get(callback[1])?.(received);
      res.statusCode = 204;
      res.end();
    } else {
      unexpected.push(`${req.method} ${req.url}`);
      res.statusCode = 404;
      res.setHeader('Content-Type', 'application/json');
      res.end('{"message":"404: Not Found","code":0}');
    }
  });
  await new Promise<void>((resolve) => rest.listen(0, '127.0.0.1', resolve));
  discord = await startDiscord(
    {
      token: 'test-token',
      apiUrl: `http://127.0.0.1:${(rest.address() as AddressInfo).port}/api`,
      retries: 0,
      logLevel: 'error',
    },
    { catalog: fixture(), commands: [...COMMANDS, broken], today: () => NOW },
  );
});

afterAll(async () => {
  await discord?.stop();
  gateway?.close();
  rest?.close();
});

let nextId = 2000000000000000000n;

/** Dispatches an interaction as Discord does and returns its id. */
function interact(type: 2 | 4, name: string, options: Record<string, unknown>[]): string {
  nextId += 1n;
  const id = String(nextId);
  dispatch('INTERACTION_CREATE', {
    id,
    application_id: APP,
    type,
    data: { id: '3000000000000000001', name, type: 1, options },
    guild_id: GUILD,
    channel_id: CHANNEL,
    channel: { id: CHANNEL, type: 0, guild_id: GUILD, name: 'analysts' },
    member: {
      user: { id: USER, username: 'analyst', discriminator: '0', global_name: 'Analyst', avatar: null },
      roles: [],
      permissions: '2248473465835073',
      joined_at: '2024-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
    },
    token: `interaction-token-${id}`,
    version: 1,
    app_permissions: '2248473465835073',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD },
    context: 0,
  });
  return id;
}

describe('the Discord client', () => {
  it('connects through the API given, and is ready in the fake guild', () => {
    expect(discord.client.user?.id).toBe(BOT);
    expect(discord.client.guilds.cache.has(GUILD)).toBe(true);
  });

  it('answers /lastcontact in the channel with the same facts as the console, mentioning no one', async () => {
    const id = interact(2, 'lastcontact', [{ name: 'level', type: 3, value: 'minister' }]);
    const callback = await callbackFor(id);
    expect(callback.type).toBe(4);
    expect(callback.data.embeds).toEqual(renderDiscord(runCommand('/lastcontact level:minister', NOW)).embeds);
    expect(callback.data.allowed_mentions).toEqual({ parse: [] });
    expect((Number(callback.data.flags ?? 0) & EPHEMERAL) === 0).toBe(true);
    expect(unexpected).toEqual([]);
  });

  it('answers private commands and bad values only to the asker', async () => {
    const timeline = await callbackFor(interact(2, 'timeline', [{ name: 'level', type: 3, value: 'minister' }]));
    expect(timeline.type).toBe(4);
    expect(timeline.data.flags).toBe(EPHEMERAL);
    expect(timeline.data.embeds).toEqual(renderDiscord(runCommand('/timeline level:minister', NOW)).embeds);

    const bad = await callbackFor(interact(2, 'lastcontact', [{ name: 'level', type: 3, value: 'admiral' }]));
    expect(bad.data.flags).toBe(EPHEMERAL);
    expect(bad.data.allowed_mentions).toEqual({ parse: [] });
    expect(bad.data.embeds).toEqual(renderDiscord(runCommand('/lastcontact level:admiral', NOW)).embeds);
    expect(runCommand('/lastcontact level:admiral', NOW).tone).toBe('error');
  });

  it('answers privately, and keeps running, when a command fails for a reason of ours', async () => {
    const callback = await callbackFor(interact(2, 'broken', []));
    expect(callback.data.flags).toBe(EPHEMERAL);
    expect(callback.data.embeds).toEqual(renderDiscord(errorReply(INTERNAL_ERROR)).embeds);
    const after = await callbackFor(interact(2, 'lastcontact', [{ name: 'level', type: 3, value: 'minister' }]));
    expect(after.type).toBe(4);
  });

  it('suggests people from the data for a focused autocomplete option', async () => {
    const callback = await callbackFor(
      interact(4, 'lastcontact', [{ name: 'person', type: 3, value: 'd', focused: true }]),
    );
    const expected = suggest(fixture(), [...COMMANDS, broken], 'person', 'd').map((c) => ({
      name: c.label ?? c.value,
      value: c.value,
    }));
    expect(expected.length).toBeGreaterThan(0);
    expect(callback).toEqual({ type: 8, data: { choices: expected } });
  });
});
