// The Discord Poster against a local fake REST API: each of Discord's answers mapped to the shared vocabulary.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordPoster, discordRest } from '../../../src/adapters/discord/poster.js';
import { renderDiscord } from '../../../src/adapters/discord/render.js';
import { fixture, runCommand } from '../../helpers.js';

const NOW = '2024-06-01';

/** What the fake answers for a channel id: status, JSON body and headers. */
const ANSWERS: Record<string, { status: number; body: unknown; headers?: Record<string, string> }> = {
  '101': { status: 200, body: { id: '900000000000000001', channel_id: '101' } },
  '102': {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: 1.5, global: false },
  },
  '103': {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: 2.5, global: true },
    headers: { 'Retry-After': '3', 'X-RateLimit-Global': 'true', 'X-RateLimit-Scope': 'global' },
  },
  '104': {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: 2, global: false },
    headers: { 'Retry-After': '2', 'X-RateLimit-Scope': 'user', 'X-RateLimit-Bucket': 'b1' },
  },
  '105': { status: 404, body: { message: 'Unknown Channel', code: 10003 } },
  '106': { status: 403, body: { message: 'Missing Access', code: 50001 } },
  '107': { status: 403, body: { message: 'Missing Permissions', code: 50013 } },
  '108': { status: 401, body: { message: '401: Unauthorized', code: 0 } },
  '109': { status: 500, body: { message: 'Internal Server Error', code: 0 } },
  '110': { status: 404, body: { message: '404: Not Found', code: 0 } },
  '111': { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } },
};

let fake: Server;
let apiUrl: string;
const received: { url: string; body: unknown }[] = [];
const reply = await runCommand('/lastcontact level:minister', NOW, fixture());

beforeAll(async () => {
  fake = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ url: `${req.method} ${req.url}`, body: body ? JSON.parse(body) : undefined });
      if (req.method === 'POST' && req.url === '/api/v10/users/@me/channels') {
        // Opening a DM: the DM channel's id (101 answers like any channel).
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: '101', type: 1 }));
        return;
      }
      const channel = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(req.url ?? '')?.[1] ?? '';
      const answer = ANSWERS[channel] ?? { status: 404, body: { message: '404: Not Found', code: 0 } };
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/api`;
});

afterAll(() => {
  fake?.close();
});

/** A poster with its own REST client, so one case's rate-limit state cannot leak into the next. */
const poster = () => new DiscordPoster(discordRest('test-token', { apiUrl, retries: 0, timeoutMs: 2000 }));

describe('the Discord Poster', () => {
  it('posts the rendered Reply with no mentions allowed, and returns the message id', async () => {
    expect(await poster().post('101', reply)).toEqual({ ok: true, messageId: '900000000000000001' });
    const last = received.at(-1);
    expect(last?.url).toBe('POST /api/v10/channels/101/messages');
    expect(last?.body).toEqual(renderDiscord(reply));
    expect(renderDiscord(reply).allowed_mentions).toEqual({ parse: [] });
  });

  it('replies to an earlier notice (posted even if it was deleted), and sends a direct message through a DM channel', async () => {
    await poster().post('101', reply, { replyTo: '900000000000000009' });
    expect(received.at(-1)?.body).toEqual({
      ...renderDiscord(reply),
      message_reference: { message_id: '900000000000000009', fail_if_not_exists: false },
    });
    expect(await poster().direct('1000000000000000005', reply)).toEqual({ ok: true, messageId: '900000000000000001' });
    expect(received.slice(-2).map((r) => [r.url, r.body])).toEqual([
      ['POST /api/v10/users/@me/channels', { recipient_id: '1000000000000000005' }],
      ['POST /api/v10/channels/101/messages', renderDiscord(reply)],
    ]);
  });

  it("maps a 429 to rate-limited with Discord retry time (the body's, with milliseconds, over the header's whole seconds), plus the 1 ms offset", async () => {
    expect(await poster().post('102', reply)).toEqual({
      ok: false,
      failure: {
        kind: 'rate-limited',
        retryAfterMs: 1501,
        detail: 'rate limited (user) on POST /channels/102/messages: retry after 1501 ms',
      },
    });
    expect(await poster().post('103', reply)).toEqual({
      ok: false,
      failure: {
        kind: 'rate-limited',
        retryAfterMs: 2501,
        detail: 'rate limited (global) on POST /channels/103/messages: retry after 2501 ms',
      },
    });
    expect(await poster().post('104', reply)).toEqual({
      ok: false,
      failure: {
        kind: 'rate-limited',
        retryAfterMs: 2001,
        detail: 'rate limited (user) on POST /channels/104/messages: retry after 2001 ms',
      },
    });
  });

  it('maps Unknown Channel to gone, and Missing Access, Missing Permissions and 401 to forbidden', async () => {
    expect(await poster().post('105', reply)).toEqual({
      ok: false,
      failure: { kind: 'gone', detail: '404 10003: Unknown Channel' },
    });
    expect(await poster().post('106', reply)).toEqual({
      ok: false,
      failure: { kind: 'forbidden', detail: '403 50001: Missing Access' },
    });
    expect(await poster().post('107', reply)).toEqual({
      ok: false,
      failure: { kind: 'forbidden', detail: '403 50013: Missing Permissions' },
    });
    const refused = poster();
    expect(await refused.post('108', reply)).toEqual({
      ok: false,
      failure: { kind: 'unauthorized', detail: '401 0: 401: Unauthorized' },
    });
    // The token stays refused: later posts fail the same way without another invalid request.
    const before = received.length;
    expect((await refused.post('101', reply)).ok).toBe(false);
    expect(received.length).toBe(before);
  });

  it('maps a 400 about the message to rejected: sending it again cannot help', async () => {
    expect(await poster().post('111', reply)).toEqual({
      ok: false,
      failure: { kind: 'rejected', detail: '400 50006: Cannot send an empty message' },
    });
  });

  it('maps a 5xx, a 404 that is not Unknown Channel, and a refused connection to transient', async () => {
    expect(await poster().post('109', reply)).toEqual({
      ok: false,
      failure: { kind: 'transient', detail: 'HTTP 500 Internal Server Error' },
    });
    expect(await poster().post('110', reply)).toEqual({
      ok: false,
      failure: { kind: 'transient', detail: '404 0: 404: Not Found' },
    });
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = new DiscordPoster(
      discordRest('test-token', { apiUrl: `http://127.0.0.1:${port}/api`, retries: 0 }),
    );
    expect(await nowhere.post('101', reply)).toEqual({
      ok: false,
      failure: { kind: 'transient', detail: 'request failed: ECONNREFUSED' },
    });
  });
});
