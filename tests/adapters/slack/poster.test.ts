// Slack Poster: the real Web API client against a fake Slack on 127.0.0.1; content sent, and failures mapped.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackPoster, slackPostFailure, slackWebClient } from '../../../src/adapters/slack/poster.js';
import type { PostResult } from '../../../src/core/poster.js';
import type { Reply } from '../../../src/core/reply.js';

const TOKEN = 'xoxb-test-token';
const TS = '1731000000.000100';
const CHANNEL = 'C0123456789';

/** One request the fake received: path, bearer token and the parsed body (blocks parsed from their JSON). */
interface Received {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

/** What the fake answers next: a status, headers, and a JSON body. */
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** A fake Slack Web API: answers POST /api/chat.postMessage with `answer`, and records every request. */
class FakeSlack {
  readonly received: Received[] = [];
  answer: Answer = { status: 200, body: {} };
  private readonly server: Server = createServer((req, res) => {
    void this.handle(req, res);
  });

  /** Starts listening on a free port of 127.0.0.1 and returns the Web API base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  /** Stops listening and drops kept-alive connections, so nothing is left open. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((e) => (e ? reject(e) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = parseBody(req.headers['content-type'], raw);
    this.received.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
    const send = (answer: Answer) => {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    };
    // Checked as Slack checks them: a wrong method or token never reaches the configured answer.
    if (req.method !== 'POST' || req.url !== '/api/chat.postMessage') {
      return send({ status: 404, body: { ok: false, error: 'unknown_method' } });
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      return send({ status: 200, body: { ok: false, error: 'invalid_auth' } });
    }
    send(this.answer);
  }
}

/** A form-urlencoded or JSON body as an object; Slack's form encoding carries `blocks` as a JSON string. */
function parseBody(contentType: string | undefined, raw: string): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  if (typeof body.blocks === 'string') body.blocks = JSON.parse(body.blocks);
  return body;
}

/** Every string anywhere inside a value: the texts Slack would show. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

const MENTIONS = '@here <!channel> @everyone';
const LIVE_MENTION = /<!(here|channel|everyone)|<[@#]|@(here|channel|everyone)\b/i;

const REPLY: Reply = {
  tone: 'answer',
  title: `Digest ${MENTIONS}`,
  blocks: [
    { type: 'text', text: `Last week: ${MENTIONS}` },
    { type: 'fields', fields: [{ label: 'Who', value: MENTIONS }] },
    { type: 'list', heading: 'Events', items: [MENTIONS] },
  ],
  sources: [{ title: `Readout ${MENTIONS}`, publisher: 'DoD', url: 'https://www.defense.gov/x', readout: 'US' }],
  footer: `As of 24 November 2026 ${MENTIONS}`,
  fallbackText: `Weekly digest ${MENTIONS}`,
};

describe('SlackPoster against a fake Slack Web API', () => {
  const fake = new FakeSlack();
  let apiUrl = '';

  beforeAll(async () => {
    apiUrl = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.received.length = 0;
  });

  const poster = (token = TOKEN) => new SlackPoster(slackWebClient(token, { apiUrl, retries: 0 }));

  it('GIVEN Slack accepts the message THEN it returns the ts, and Slack got channel, blocks, text and no unfurls', async () => {
    fake.answer = { status: 200, body: { ok: true, channel: CHANNEL, ts: TS, message: { text: 'x' } } };
    const result = await poster().post(CHANNEL, REPLY);
    expect(result).toEqual({ ok: true, messageId: TS });
    expect(fake.received).toHaveLength(1);
    const [request] = fake.received;
    expect(request?.path).toBe('/api/chat.postMessage');
    expect(request?.authorization).toBe(`Bearer ${TOKEN}`);
    const body = request?.body ?? {};
    expect(body.channel).toBe(CHANNEL);
    expect(body.unfurl_links).toBe('false');
    expect(body.unfurl_media).toBe('false');
    expect(typeof body.text).toBe('string');
    expect(body.text).toContain('Weekly digest');
    expect(Array.isArray(body.blocks)).toBe(true);
    const blocks = body.blocks as { type: string }[];
    expect(blocks[0]?.type).toBe('header');
    expect(blocks.at(-1)?.type).toBe('context');
  });

  it("GIVEN a reply to an earlier notice THEN it goes into that message's thread; a direct message goes to the user id", async () => {
    fake.answer = { status: 200, body: { ok: true, channel: CHANNEL, ts: TS } };
    await poster().post(CHANNEL, REPLY, { replyTo: '1731000000.000001' });
    expect(fake.received[0]?.body).toMatchObject({ channel: CHANNEL, thread_ts: '1731000000.000001' });
    await poster().post(CHANNEL, REPLY);
    expect(fake.received[1]?.body.thread_ts).toBeUndefined();
    expect(await poster().direct('U0123', REPLY)).toEqual({ ok: true, messageId: TS });
    expect(fake.received[2]?.body.channel).toBe('U0123');
  });

  it('GIVEN a Reply full of @here, <!channel> and @everyone THEN nothing Slack receives can mention anyone', async () => {
    fake.answer = { status: 200, body: { ok: true, channel: CHANNEL, ts: TS } };
    await poster().post(CHANNEL, REPLY);
    const texts = strings(fake.received[0]?.body);
    // The mentions are all there, visibly, in every part of the message…
    expect(texts.filter((t) => t.includes('here') && t.includes('everyone')).length).toBeGreaterThanOrEqual(7);
    // …and none of them is live.
    expect(texts.filter((t) => LIVE_MENTION.test(t))).toEqual([]);
  });

  const failures: [string, Answer, PostResult][] = [
    [
      '429 with Retry-After: 7',
      { status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } },
      { ok: false, failure: { kind: 'rate-limited', retryAfterMs: 7000, detail: 'ratelimited: retry after 7 s' } },
    ],
    [
      'ok: false, ratelimited, with Retry-After: 3',
      { status: 200, headers: { 'retry-after': '3' }, body: { ok: false, error: 'ratelimited' } },
      { ok: false, failure: { kind: 'rate-limited', retryAfterMs: 3000, detail: 'ratelimited: retry after 3 s' } },
    ],
    [
      'channel_not_found',
      { status: 200, body: { ok: false, error: 'channel_not_found' } },
      { ok: false, failure: { kind: 'gone', detail: 'channel_not_found' } },
    ],
    [
      'is_archived',
      { status: 200, body: { ok: false, error: 'is_archived' } },
      { ok: false, failure: { kind: 'gone', detail: 'is_archived' } },
    ],
    [
      'not_in_channel',
      { status: 200, body: { ok: false, error: 'not_in_channel' } },
      { ok: false, failure: { kind: 'forbidden', detail: 'not_in_channel' } },
    ],
    [
      'restricted_action_read_only_channel',
      { status: 200, body: { ok: false, error: 'restricted_action_read_only_channel' } },
      { ok: false, failure: { kind: 'forbidden', detail: 'restricted_action_read_only_channel' } },
    ],
    [
      'invalid_blocks',
      { status: 200, body: { ok: false, error: 'invalid_blocks' } },
      { ok: false, failure: { kind: 'rejected', detail: 'invalid_blocks' } },
    ],
    [
      'missing_scope',
      { status: 200, body: { ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'commands' } },
      { ok: false, failure: { kind: 'forbidden', detail: 'missing_scope (needed: chat:write)' } },
    ],
    [
      'an unknown platform error (internal_error)',
      { status: 200, body: { ok: false, error: 'internal_error' } },
      { ok: false, failure: { kind: 'transient', detail: 'internal_error' } },
    ],
    [
      'HTTP 500',
      { status: 500, body: { ok: false, error: 'fatal_error' } },
      { ok: false, failure: { kind: 'transient', detail: 'HTTP 500 Internal Server Error: fatal_error' } },
    ],
  ];

  it.each(failures)('GIVEN Slack answers %s THEN post returns the mapped failure', async (_name, answer, expected) => {
    fake.answer = answer;
    await expect(poster().post(CHANNEL, REPLY)).resolves.toEqual(expected);
    // Retries are 0 and rate limits are never waited on: one request, no sleeping.
    expect(fake.received).toHaveLength(1);
  });

  it("GIVEN no workspace rate THEN it tells the notifier Slack's one post a second per channel; GIVEN one THEN that too", () => {
    expect(poster().limits).toEqual({ perChannelPerSecond: 1 });
    const client = slackWebClient(TOKEN, { apiUrl, retries: 0 });
    expect(new SlackPoster(client, undefined, { postsPerSecond: 50 }).limits).toEqual({
      perChannelPerSecond: 1,
      perSecond: 50,
    });
    expect(new SlackPoster(client, undefined, { postsPerSecond: 0 }).limits).toEqual({ perChannelPerSecond: 1 });
  });

  it('GIVEN a 429 without a usable Retry-After THEN it is transient, not a rate limit with a made-up time', async () => {
    fake.answer = { status: 429, body: { ok: false, error: 'ratelimited' } };
    const result = await poster().post(CHANNEL, REPLY);
    expect(result).toMatchObject({ ok: false, failure: { kind: 'transient' } });
    expect(result.ok ? '' : result.failure.detail).toContain('Retry header did not contain a valid timeout');
  });

  it("GIVEN a revoked or wrong token THEN the fake refuses it with invalid_auth, mapped to unauthorized (not one channel's fault)", async () => {
    fake.answer = { status: 200, body: { ok: true, channel: CHANNEL, ts: TS } };
    await expect(poster('xoxb-wrong').post(CHANNEL, REPLY)).resolves.toEqual({
      ok: false,
      failure: { kind: 'unauthorized', detail: 'invalid_auth' },
    });
    expect(fake.received[0]?.authorization).toBe('Bearer xoxb-wrong');
  });

  it('GIVEN nothing listens at the API URL THEN post returns transient instead of throwing', async () => {
    const gone = new FakeSlack();
    const url = await gone.start();
    await gone.stop();
    const result = await new SlackPoster(slackWebClient(TOKEN, { apiUrl: url, retries: 0 })).post(CHANNEL, REPLY);
    expect(result).toEqual({ ok: false, failure: { kind: 'transient', detail: 'request failed: ECONNREFUSED' } });
  });
});

describe('slackPostFailure', () => {
  it('GIVEN an error that is not the client’s THEN it is transient, with its message', async () => {
    expect(slackPostFailure(new Error('Retry header did not contain a valid timeout'))).toEqual({
      kind: 'transient',
      detail: 'Retry header did not contain a valid timeout',
    });
  });
});

describe('slackWebClient', () => {
  it.each(['http://127.0.0.1:1/', 'https://slack.com/api', 'slack.com/api/', 'https://slack.com/apix/'])(
    'GIVEN the API URL %s THEN it refuses it: the URL must end with /api/',
    (apiUrl) => {
      expect(() => slackWebClient(TOKEN, { apiUrl })).toThrow(/must be an http\(s\) URL ending with \/api\//);
    },
  );

  it('GIVEN no API URL THEN it talks to slack.com', async () => {
    expect(slackWebClient(TOKEN).slackApiUrl).toBe('https://slack.com/api/');
  });
});
