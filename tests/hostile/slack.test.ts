// Hostile traffic against the real Bolt app on 127.0.0.1 (issue 11): stray paths and verbs, forged floods,
// slow clients and bursts must never take it down or make it late.
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { memoryReplayCache } from '../../src/adapters/slack/guard.js';
import { type RunningSlack, startSlack } from '../../src/adapters/slack/index.js';
import { defineCommand } from '../../src/core/command.js';
import { rawRequest, signedCommand, slackSignature } from '../fakes/http.js';
import { type FakeSlack, startFakeSlack, testSlackConfig } from '../fakes/slack.js';
import { fixture } from '../helpers.js';

const SECRET = 'hostile-secret';
let fake: FakeSlack;
let slack: RunningSlack;
let port: number;
const replays = memoryReplayCache();

// A command that takes a while to answer (20 ms of CPU), counting the answers built.
let built = 0;
const slow = defineCommand({
  name: 'slow',
  description: 'A command that takes 20 ms of CPU to answer',
  options: [],
  examples: ['/slow'],
  visibility: 'private',
  permission: 'anyone',
  run() {
    const until = performance.now() + 20;
    while (performance.now() < until) {}
    built++;
    return { tone: 'answer', title: 'slow', blocks: [], sources: [], fallbackText: 'slow' };
  },
});

beforeAll(async () => {
  fake = await startFakeSlack();
  slack = await startSlack(
    testSlackConfig(fake, SECRET, { replays, httpLimits: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000 } }),
    { catalog: fixture(), commands: [...COMMANDS, slow], today: () => '2024-06-01' },
  );
  port = slack.port as number;
});

afterAll(async () => {
  await slack?.stop();
  fake?.close();
});

/** One raw HTTP request; resolves with the status, or with 'closed' when the server hung up. */
function raw(
  method: string,
  path: string,
  body = '',
  headers: Record<string, string> = {},
): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve('closed'));
    req.end(body);
  });
}

const signed = (text: string, command = '/lastcontact') =>
  signedCommand(SECRET, `${fake.url}/response/x`, text, command);

async function stillServes(): Promise<void> {
  const { body, headers } = signed('level:minister');
  const answered = fake.nextResponse();
  expect(await raw('POST', '/slack/events', body, headers)).toBe(200);
  expect((await answered).response_type).toBe('in_channel');
}

describe('the Slack HTTP app under stray and hostile requests', () => {
  it('answers unknown paths 404 and wrong methods 405, and keeps serving', async () => {
    expect(await raw('GET', '/')).toBe(404);
    expect(await raw('HEAD', '/')).toBe(404);
    expect(await raw('POST', '/')).toBe(404);
    expect(await raw('POST', '/slack/events/../admin')).toBe(404);
    expect(await raw('GET', '/slack/events')).toBe(405);
    expect(await raw('HEAD', '/slack/events')).toBe(405);
    expect(await raw('DELETE', '/slack/events')).toBe(405);
    expect(await raw('OPTIONS', '*')).toBe(404);
    await stillServes();
  });

  it('remembers no forged signature: a flood of random ones leaves the replay cache empty', async () => {
    const before = replays.size;
    const ts = String(Math.floor(Date.now() / 1000));
    const statuses = new Set<number | 'closed'>();
    for (let round = 0; round < 10; round++) {
      const batch = Array.from({ length: 100 }, () =>
        raw('POST', '/slack/events', 'command=%2Flastcontact', {
          'X-Slack-Signature': `v0=${randomBytes(32).toString('hex')}`,
          'X-Slack-Request-Timestamp': ts,
        }),
      );
      for (const status of await Promise.all(batch)) statuses.add(status);
    }
    // Oversized signatures are refused before the body is read.
    statuses.add(
      await raw('POST', '/slack/events', 'x', {
        'X-Slack-Signature': `v0=${'a'.repeat(14_500)}`,
        'X-Slack-Request-Timestamp': ts,
      }),
    );
    expect([...statuses]).toEqual([401]);
    expect(replays.size).toBe(before);
    await stillServes();
    expect(replays.size).toBe(before + 1);
  });

  it('cuts off a client that sends its body too slowly', async () => {
    // A request that announces a body and never sends it is answered 408 (or closed) once the limit passes.
    const started = Date.now();
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nX-Slack-Signature: v0=' +
            'a'.repeat(64) +
            `\r\nX-Slack-Request-Timestamp: ${Math.floor(Date.now() / 1000)}\r\n\r\n`,
        );
      });
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk;
      });
      socket.on('close', () => resolve(data.split('\r\n')[0] ?? ''));
    });
    expect(outcome === '' || outcome.startsWith('HTTP/1.1 408')).toBe(true);
    expect(Date.now() - started).toBeLessThan(30_000);
    await stillServes();
  });

  it('acknowledges every command of a burst before building the answers', async () => {
    // 60 clients connect, then all send a signed command at once. For each, the answers built between the
    // sending and the ack are counted. An app that builds an answer on the same tick as its ack reads the
    // next request only after that answer, so the last ack waits behind 59 answers.
    const server = slack.server;
    if (!server) throw new Error('HTTP mode has a server');
    let accepted = 0;
    const count = () => accepted++;
    server.on('connection', count);
    const sockets = await Promise.all(
      Array.from(
        { length: 60 },
        () =>
          new Promise<Socket>((resolve) => {
            const socket: Socket = connect(port, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    while (accepted < 60) await new Promise((r) => setTimeout(r, 10));
    server.removeListener('connection', count);
    const waits: number[] = [];
    let sentAt = built;
    const track = (req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/slack/events') res.on('finish', () => waits.push(built - sentAt));
    };
    server.prependListener('request', track);
    const before = fake.responses.length;
    sentAt = built;
    for (const socket of sockets) socket.write(rawRequest(signed('', '/slow')));
    while (fake.responses.length < before + 60) await new Promise((r) => setTimeout(r, 20));
    server.removeListener('request', track);
    for (const socket of sockets) socket.destroy();
    expect(waits).toHaveLength(60);
    expect(Math.max(...waits)).toBeLessThanOrEqual(1);
  });
});

describe('replays across restarts and instances', () => {
  it('never runs a signed request already answered by another instance sharing the state store, or before a restart', async () => {
    const { openState } = await import('../../src/state/index.js');
    const { stateReplayCache } = await import('../../src/state/replays.js');
    const state = await openState('sqlite::memory:');
    const dropped: string[] = [];
    const start = () =>
      startSlack(
        testSlackConfig(fake, SECRET, {
          replays: stateReplayCache(state, memoryReplayCache()),
          onDropped: (reason) => dropped.push(reason),
        }),
        { catalog: fixture(), commands: COMMANDS, today: () => '2024-06-01' },
      );
    const [one, two] = await Promise.all([start(), start()]);
    try {
      const { body, headers } = signed('level:minister');
      const post = (to: RunningSlack) =>
        fetch(`http://127.0.0.1:${to.port}/slack/events`, { method: 'POST', headers, body }).then((r) => r.status);
      const before = fake.responses.length;
      const answered = fake.nextResponse();
      expect(await post(one)).toBe(200);
      await answered;
      expect(await post(one)).toBe(401); // the same instance knows it at once
      // Another instance, and the first after a restart, find it in the shared store after acknowledging it:
      // it is dropped, never run.
      expect(await post(two)).toBe(200);
      await one.stop();
      const three = await start();
      expect(await post(three)).toBe(200);
      while (dropped.length < 2) await new Promise((r) => setTimeout(r, 10));
      expect(dropped).toEqual([
        'a replayed slash command was acknowledged and not run',
        'a replayed slash command was acknowledged and not run',
      ]);
      // A command that is run after them is answered; had a replay run, its answer would be here too.
      const next = signed('level:minister');
      const later = fake.nextResponse();
      await fetch(`http://127.0.0.1:${three.port}/slack/events`, {
        method: 'POST',
        headers: next.headers,
        body: next.body,
      });
      await later;
      expect(fake.responses.length).toBe(before + 2);
      await three.stop();
    } finally {
      await one.stop().catch(() => {});
      await two.stop();
      await state.close();
    }
  });
});

describe('signed bodies Bolt cannot handle', () => {
  it('are refused with 400 and the app keeps serving: payload=null, a JSON null, a field given twice', async () => {
    const post = (body: string, type: string) => {
      const ts = Math.floor(Date.now() / 1000);
      return raw('POST', '/slack/events', body, {
        'Content-Type': type,
        'X-Slack-Signature': slackSignature(SECRET, ts, body),
        'X-Slack-Request-Timestamp': String(ts),
      });
    };
    expect(await post('payload=null', 'application/x-www-form-urlencoded')).toBe(400);
    expect(await post('payload=%5B1%5D', 'application/x-www-form-urlencoded')).toBe(400);
    expect(await post('null', 'application/json')).toBe(400);
    expect(await post('command=%2Fhelp&command=%2Fevent&text=a', 'application/x-www-form-urlencoded')).toBe(400);
    await stillServes();
  });
});

describe('what a signed request may name', () => {
  it("posts answers only to Slack's hosts, or to SLACK_API_URL's", async () => {
    const { responseUrlAllowed } = await import('../../src/adapters/slack/index.js');
    expect(responseUrlAllowed('https://hooks.slack.com/commands/T1/2/x', undefined)).toBe(true);
    expect(responseUrlAllowed('https://hooks.slack-gov.com/commands/T1/2/x', undefined)).toBe(true);
    expect(responseUrlAllowed('http://hooks.slack.com/commands/T1/2/x', undefined)).toBe(false);
    expect(responseUrlAllowed('https://evil.example/slack.com', undefined)).toBe(false);
    expect(responseUrlAllowed('https://notslack.com/x', undefined)).toBe(false);
    expect(responseUrlAllowed('file:///etc/passwd', undefined)).toBe(false);
    expect(responseUrlAllowed('http://127.0.0.1:9/response/1', 'http://127.0.0.1:9/api/')).toBe(true);
    expect(responseUrlAllowed('http://127.0.0.1:10/response/1', 'http://127.0.0.1:9/api/')).toBe(false);
  });

  it('refuses timestamps Slack never writes (+123, 0x…, 1e9), signed or not', async () => {
    const body = 'command=%2Fhelp&text=';
    const now = Math.floor(Date.now() / 1000);
    for (const stamp of [`+${now}`, `${now}.0`, `0x${now.toString(16)}`]) {
      expect(
        await raw('POST', '/slack/events', body, {
          'X-Slack-Signature': slackSignature(SECRET, now, body),
          'X-Slack-Request-Timestamp': stamp,
        }),
      ).toBe(401);
    }
    await stillServes();
  });
});
