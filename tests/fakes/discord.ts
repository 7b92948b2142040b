// A local fake of Discord for the real discord.js client: REST (gateway address, interaction callbacks, channel
// messages, with files sent multipart) and the gateway.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { Recorder, readBytes, readMultipart } from './http.js';

/** The application the fake's interactions are addressed to. */
export const APP = '1000000000000000001';
/** The bot user the fake reports in READY. */
export const BOT = '1000000000000000002';
/** The one guild the bot is in. */
export const GUILD = '1000000000000000003';
/** The guild's one text channel, where every interaction happens. */
export const CHANNEL = '1000000000000000004';
/** The member who sends every interaction (and owns the guild). */
export const USER = '1000000000000000005';

/** The permissions of the guild's owner in its channel: Manage Channels (16) among them. */
export const OWNER_PERMISSIONS = String(2248473465835073n | 16n);

/** A member's permissions without Manage Channels (View Channel, Send Messages, Use Application Commands). */
export const MEMBER_PERMISSIONS = String((1n << 10n) | (1n << 11n) | (1n << 31n));

/** A file sent with a message (form field files[n]), as the fake REST received it. */
export interface ReceivedFile {
  /** The form field: files[0], files[1] … */
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

/** An interaction callback as the fake REST received it. */
export interface Callback {
  type: number;
  data: Record<string, unknown>;
  /** Files sent with it (multipart), if any. */
  files?: ReceivedFile[];
}

/** A message created in a channel (POST /channels/:id/messages). */
export interface ChannelMessage {
  channel: string;
  /** The JSON body, or the multipart form's payload_json. */
  body: Record<string, unknown>;
  files: ReceivedFile[];
  /** The id the fake gave it. */
  id: string;
}

/** How the fake refuses a request carrying files: Discord's status, JSON error code and message. */
export interface Refusal {
  status: number;
  code: number;
  message: string;
}

/** A running fake Discord: where its REST API is, how to send interactions, and how to stop it. */
export interface FakeDiscord {
  /** REST base URL without the version, for `DiscordConfig.apiUrl`. */
  apiUrl: string;
  /** Requests the fake REST could not answer, to show in a failure. */
  unexpected: string[];
  /**
   * Dispatches INTERACTION_CREATE (2: slash command, 4: autocomplete) on the gateway and returns its id;
   * `extra` overrides fields of the interaction (e.g. app_permissions).
   */
  send(type: 2 | 4, name: string, options: Record<string, unknown>[], extra?: Record<string, unknown>): string;
  /** The callback Discord would receive for interaction `id`, once it arrives. */
  callbackFor(id: string): Promise<Callback>;
  /** Edits of deferred answers (PATCH …/messages/@original), in order, by interaction token. */
  edits: { token: string; body: Record<string, unknown>; files?: ReceivedFile[] }[];
  /** The next edit of a deferred answer (the one at index `edits.length` when called), once it arrives. */
  nextEdit(): Promise<FakeDiscord['edits'][number]>;
  /** Follow-up messages of interactions (POST /webhooks/:app/:token), in order, by interaction token. */
  followUps: Recorder<FakeDiscord['edits'][number]>;
  /** Messages created in channels, in order. */
  messages: Recorder<ChannelMessage>;
  /** Messages of the bot changed (PATCH /channels/:id/messages/:id), in order; `id` is the message's. */
  updated: Recorder<ChannelMessage>;
  /** When set, any request carrying files is refused so (e.g. 403 Missing Permissions: no Attach Files). */
  refuseFiles: Refusal | undefined;
  /** Requests with files refused because of `refuseFiles`, as "METHOD path". */
  refused: Recorder<string>;
  /**
   * Dispatches a button press (type 3) on a message of the bot carrying `customId`, by a member with
   * `permissions` (default: the guild owner's, Manage Channels included), and returns its id.
   */
  press(customId: string, permissions?: string): string;
  /**
   * Dispatches a modal submission (type 5) of the modal `customId`, opened from a message of the bot, with one
   * text input per entry of `values`, by a member with `permissions`; returns its id.
   */
  submit(customId: string, values: Record<string, string>, permissions?: string): string;
  /** `send` then `callbackFor`: one interaction, answered. */
  interact(type: 2 | 4, name: string, options: Record<string, unknown>[]): Promise<Callback>;
  /** Closes the gateway connection and both servers; stop the client first. */
  close(): Promise<void>;
}

/**
 * Starts the fake on 127.0.0.1: `GET /api/v10/gateway/bot` points at its gateway, which says HELLO,
 * answers IDENTIFY with READY and GUILD_CREATE (one guild, one channel), and acknowledges heartbeats.
 */
export async function startFakeDiscord(): Promise<FakeDiscord> {
  let socket: WebSocket | undefined;
  let seq = 0;
  let nextId = 2000000000000000000n;
  const unexpected: string[] = [];
  const edited = new Recorder<FakeDiscord['edits'][number]>();
  const edits = edited.items;
  const messages = new Recorder<ChannelMessage>();
  const updated = new Recorder<ChannelMessage>();
  const followUps = new Recorder<FakeDiscord['edits'][number]>();
  const refused = new Recorder<string>();
  let nextMessage = 5000000000000000000n;
  const state: { refuseFiles: Refusal | undefined } = { refuseFiles: undefined };
  const callbacks = new Map<string, Callback>();
  const waiting = new Map<string, (callback: Callback) => void>();

  function dispatch(t: string, d: unknown): void {
    seq += 1;
    socket?.send(JSON.stringify({ op: 0, t, s: seq, d }));
  }

  const gateway = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => gateway.on('listening', () => resolve()));
  const gatewayUrl = `ws://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  gateway.on('connection', (ws) => {
    socket = ws;
    // Long enough that no heartbeat is due during a run; any that comes is acknowledged.
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

  const rest = createServer(async (req, res) => {
    const { json: body, files } = await readPayload(req);
    if (files.length > 0 && state.refuseFiles) {
      refused.add(`${req.method} ${req.url}`);
      res.statusCode = state.refuseFiles.status;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ message: state.refuseFiles.message, code: state.refuseFiles.code }));
      return;
    }
    const message = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(req.url ?? '');
    const callback = /^\/api\/v10\/interactions\/(\d+)\/[^/]+\/callback/.exec(req.url ?? '');
    const changed = /^\/api\/v10\/channels\/(\d+)\/messages\/(\d+)$/.exec(req.url ?? '');
    const edit = /^\/api\/v10\/webhooks\/\d+\/([^/]+)\/messages\/(@|%40)original/.exec(req.url ?? '');
    const followUp = /^\/api\/v10\/webhooks\/\d+\/([^/?]+)(\?.*)?$/.exec(req.url ?? '');
    if (req.method === 'GET' && req.url === '/api/v10/gateway/bot') {
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          url: gatewayUrl,
          shards: 1,
          session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
        }),
      );
    } else if (req.method === 'POST' && message?.[1]) {
      nextMessage += 1n;
      const id = String(nextMessage);
      messages.add({ channel: message[1], body: JSON.parse(body) as Record<string, unknown>, files, id });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ id, channel_id: message[1], content: '', embeds: [], attachments: [], type: 0 }));
    } else if (req.method === 'POST' && callback?.[1]) {
      const id = callback[1];
      const received = { ...(JSON.parse(body) as Callback), ...(files.length > 0 ? { files } : {}) };
      const waiter = waiting.get(id);
      if (waiter) {
        waiting.delete(id);
        waiter(received);
      } else callbacks.set(id, received);
      res.statusCode = 204;
      res.end();
    } else if (req.method === 'PATCH' && changed?.[1] && changed[2]) {
      updated.add({ channel: changed[1], body: JSON.parse(body) as Record<string, unknown>, files, id: changed[2] });
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({ id: changed[2], channel_id: changed[1], content: '', embeds: [], attachments: [], type: 0 }),
      );
    } else if (req.method === 'PATCH' && edit?.[1]) {
      edited.add({
        token: edit[1],
        body: JSON.parse(body) as Record<string, unknown>,
        ...(files.length > 0 ? { files } : {}),
      });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ id: '1', channel_id: '1', content: '', embeds: [], type: 0 }));
    } else if (req.method === 'POST' && followUp?.[1]) {
      followUps.add({
        token: followUp[1],
        body: JSON.parse(body) as Record<string, unknown>,
        ...(files.length > 0 ? { files } : {}),
      });
      nextMessage += 1n;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ id: String(nextMessage), channel_id: '1', content: '', embeds: [], type: 0 }));
    } else {
      unexpected.push(`${req.method} ${req.url}`);
      res.statusCode = 404;
      res.setHeader('Content-Type', 'application/json');
      res.end('{"message":"404: Not Found","code":0}');
    }
  });
  await new Promise<void>((resolve) => rest.listen(0, '127.0.0.1', resolve));

  function send(type: 2 | 4, name: string, options: Record<string, unknown>[], extra = {}): string {
    return interaction(type, { id: '3000000000000000001', name, type: 1, options }, extra);
  }

  function press(customId: string, permissions = OWNER_PERMISSIONS): string {
    return interaction(3, { custom_id: customId, component_type: 2 }, { message: botMessage(customId) }, permissions);
  }

  function submit(customId: string, values: Record<string, string>, permissions = OWNER_PERMISSIONS): string {
    const components = Object.entries(values).map(([id, value]) => ({
      type: 1,
      components: [{ type: 4, custom_id: id, value }],
    }));
    return interaction(5, { custom_id: customId, components }, { message: botMessage(customId) }, permissions);
  }

  /** A message of the bot in the channel with one button carrying `customId` (what a press or a modal came from). */
  function botMessage(customId: string) {
    return {
      id: '4000000000000000001',
      channel_id: CHANNEL,
      author: { id: BOT, username: 'hotline', discriminator: '0', global_name: null, avatar: null, bot: true },
      content: '',
      timestamp: '2024-06-01T00:00:00.000Z',
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
      flags: 0,
      components: [{ type: 1, components: [{ type: 2, style: 2, label: 'Button', custom_id: customId }] }],
    };
  }

  function interaction(
    type: 2 | 3 | 4 | 5,
    data: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    permissions = OWNER_PERMISSIONS,
  ): string {
    nextId += 1n;
    const id = String(nextId);
    dispatch('INTERACTION_CREATE', {
      id,
      application_id: APP,
      type,
      data,
      guild_id: GUILD,
      channel_id: CHANNEL,
      channel: { id: CHANNEL, type: 0, guild_id: GUILD, name: 'analysts' },
      member: {
        user: { id: USER, username: 'analyst', discriminator: '0', global_name: 'Analyst', avatar: null },
        roles: [],
        permissions,
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
      ...extra,
    });
    return id;
  }

  function callbackFor(id: string): Promise<Callback> {
    const found = callbacks.get(id);
    if (found) {
      callbacks.delete(id);
      return Promise.resolve(found);
    }
    return new Promise((resolve) => waiting.set(id, resolve));
  }

  return {
    apiUrl: `http://127.0.0.1:${(rest.address() as AddressInfo).port}/api`,
    unexpected,
    edits,
    nextEdit: () => edited.at(),
    followUps,
    messages,
    updated,
    refused,
    get refuseFiles() {
      return state.refuseFiles;
    },
    set refuseFiles(refusal: Refusal | undefined) {
      state.refuseFiles = refusal;
    },
    send,
    press,
    submit,
    callbackFor,
    interact: (type, name, options) => callbackFor(send(type, name, options)),
    async close() {
      for (const client of gateway.clients) client.terminate();
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
      rest.closeAllConnections();
      await new Promise<void>((resolve) => rest.close(() => resolve()));
    },
  };
}

/**
 * A request's JSON and files: a JSON body as it is, or a multipart form as Discord reads one (payload_json, and
 * files[n] fields); an empty body as empty JSON text.
 */
async function readPayload(req: IncomingMessage): Promise<{ json: string; files: ReceivedFile[] }> {
  const bytes = await readBytes(req);
  const type = req.headers['content-type'];
  if (!type?.startsWith('multipart/form-data')) return { json: bytes.toString('utf8'), files: [] };
  const files: ReceivedFile[] = [];
  let json = '{}';
  for (const [field, value] of await readMultipart(bytes, type)) {
    if (field === 'payload_json' && typeof value === 'string') json = value;
    else if (typeof value !== 'string') {
      files.push({ field, name: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return { json, files };
}
