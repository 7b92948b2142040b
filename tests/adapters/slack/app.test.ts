// The real Bolt app on 127.0.0.1: signed slash commands answered like the console, forged ones refused.
import { verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningSlack, startSlack } from '../../../src/adapters/slack/index.js';
import { renderSlack } from '../../../src/adapters/slack/render.js';
import { slackSignature } from '../../fakes/http.js';
import { type FakeSlack, startFakeSlack, testSlackConfig } from '../../fakes/slack.js';
import { fixture, runCommand } from '../../helpers.js';

const SECRET = 'test-signing-secret';
const NOW = '2024-06-01';

let fake: FakeSlack;
let slack: RunningSlack;
let appUrl: string;

beforeAll(async () => {
  // A fake Slack: the Web API (auth.test at start-up) and response_url, on loopback; plus a Web API
  // that refuses the token, and a response_url that has expired.
  fake = await startFakeSlack((url, _body, res) => {
    if (url === '/refuse/auth.test') res.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
    else if (url === '/gone') {
      res.statusCode = 404;
      res.end('{"ok":false,"error":"expired_url"}');
    } else return false;
    return true;
  });
  slack = await startSlack(testSlackConfig(fake, SECRET), {
    catalog: fixture(),
    commands: COMMANDS,
    today: () => NOW,
  });
  appUrl = `http://127.0.0.1:${slack.port}/slack/events`;
});

afterAll(async () => {
  await slack?.stop();
  fake?.close();
});

/** A slash-command request body as Slack sends it. */
function commandBody(
  command: string,
  text: string,
  responseUrl = `${fake.url}/response/${fake.responses.length}`,
): string {
  return new URLSearchParams({
    token: 'legacy-token',
    team_id: 'T1',
    team_domain: 'example',
    channel_id: 'C1',
    channel_name: 'analysts',
    user_id: 'U1',
    user_name: 'analyst',
    command,
    text,
    api_app_id: 'A1',
    response_url: responseUrl,
    trigger_id: '1.2.3',
  }).toString();
}

/** Signs as Slack does: v0= + HMAC-SHA256(secret, "v0:" + timestamp + ":" + body). */
function sign(body: string, timestamp: number, secret = SECRET): string {
  return slackSignature(secret, timestamp, body);
}

async function send(body: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(appUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  await response.text();
  return response.status;
}

async function signedCommand(
  command: string,
  text: string,
): Promise<{ status: number; answer: Record<string, unknown> }> {
  const body = commandBody(command, text);
  const timestamp = Math.floor(Date.now() / 1000);
  const answer = fake.nextResponse();
  const status = await send(body, {
    'X-Slack-Signature': sign(body, timestamp),
    'X-Slack-Request-Timestamp': String(timestamp),
  });
  return { status, answer: await answer };
}

describe('the Slack app', () => {
  it('answers a signed /lastcontact with the same facts as the console, posted in the channel', async () => {
    const { status, answer } = await signedCommand('/lastcontact', 'level:minister');
    expect(status).toBe(200);
    expect(answer).toEqual({
      response_type: 'in_channel',
      ...renderSlack(await runCommand('/lastcontact level:minister', NOW)),
    });
    expect(answer.text).toBe((await runCommand('/lastcontact level:minister', NOW)).fallbackText);
  });

  it('answers /hotline <command> like the command itself', async () => {
    const { answer } = await signedCommand('/hotline', 'lastcontact level:minister');
    expect(answer).toEqual({
      response_type: 'in_channel',
      ...renderSlack(await runCommand('/lastcontact level:minister', NOW)),
    });
  });

  it('answers private commands and bad questions only to the asker', async () => {
    expect((await signedCommand('/timeline', 'level:minister')).answer.response_type).toBe('ephemeral');
    const bad = await signedCommand('/lastcontact', 'level:admiral');
    expect(bad.answer).toEqual({
      response_type: 'ephemeral',
      ...renderSlack(await runCommand('/lastcontact level:admiral', NOW)),
    });
  });

  it('never lets outside text mention the channel', async () => {
    const { answer } = await signedCommand('/search', '@everyone <!channel> @here');
    // A button's value is never shown: it carries the question back, as typed, when pressed (tested below).
    const all = JSON.stringify(answer, (key, value) => (key === 'value' ? undefined : value));
    expect(all).not.toMatch(/<!channel>|<!here>|<!everyone>|@(?!\u2060)(everyone|here|channel)\b/);
  });

  it('refuses forged, unsigned and stale requests with 401, and runs no command for them', async () => {
    const body = commandBody('/lastcontact', 'level:minister');
    const now = Math.floor(Date.now() / 1000);
    expect(
      await send(body, {
        'X-Slack-Signature': sign(body, now, 'wrong-secret'),
        'X-Slack-Request-Timestamp': String(now),
      }),
    ).toBe(401);
    expect(await send(body, {})).toBe(401);
    const stale = now - 6 * 60;
    expect(
      await send(body, { 'X-Slack-Signature': sign(body, stale), 'X-Slack-Request-Timestamp': String(stale) }),
    ).toBe(401);
    const tampered = body.replace('level%3Aminister', 'level%3Aleaders');
    expect(
      await send(tampered, { 'X-Slack-Signature': sign(body, now), 'X-Slack-Request-Timestamp': String(now) }),
    ).toBe(401);
    // Commands are answered in order: had any forged one run, its answer would come first.
    const before = fake.responses.length;
    const { answer } = await signedCommand('/channels', '');
    expect(fake.responses.length).toBe(before + 1);
    expect((answer.blocks as { text?: { text?: string } }[])[0]?.text?.text).toBe('Dialogue channels · 1 June 2024');
  });
});

describe('the Slack app, with odd requests', () => {
  it('reads the entities Slack sends in the text as the characters typed', async () => {
    const { answer } = await signedCommand('/search', 'crisis &amp; communications');
    expect(answer).toEqual({
      response_type: 'ephemeral',
      ...renderSlack(await runCommand('/search crisis & communications', NOW)),
    });
  });

  it('answers a command it does not know, instead of letting Slack time out', async () => {
    const { status, answer } = await signedCommand('/nosuch', 'x');
    expect(status).toBe(200);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/^There is no command \/nosuch\./);
  });

  it('keeps answering after a response_url fails', async () => {
    const body = commandBody('/channels', '', `${fake.url}/gone`);
    const now = Math.floor(Date.now() / 1000);
    expect(await send(body, { 'X-Slack-Signature': sign(body, now), 'X-Slack-Request-Timestamp': String(now) })).toBe(
      200,
    );
    expect((await signedCommand('/lastcontact', 'level:minister')).answer.response_type).toBe('in_channel');
  });

  it('refuses a replayed request, a future timestamp and an oversized body', async () => {
    const body = commandBody('/channels', '');
    const now = Math.floor(Date.now() / 1000);
    const headers = { 'X-Slack-Signature': sign(body, now), 'X-Slack-Request-Timestamp': String(now) };
    const first = fake.nextResponse();
    expect(await send(body, headers)).toBe(200);
    await first;
    expect(await send(body, headers)).toBe(401);
    const future = now + 10 * 60;
    expect(
      await send(body, { 'X-Slack-Signature': sign(body, future), 'X-Slack-Request-Timestamp': String(future) }),
    ).toBe(401);
    const big = `${body}&pad=${'x'.repeat(100_000)}`;
    expect(await send(big, { 'X-Slack-Signature': sign(big, now), 'X-Slack-Request-Timestamp': String(now) })).toBe(
      413,
    );
  });
});

describe('starting the Slack app', () => {
  it('stops with a message naming SLACK_BOT_TOKEN when Slack refuses it', async () => {
    await expect(
      startSlack(testSlackConfig(fake, SECRET, { botToken: 'xoxb-wrong', apiUrl: `${fake.url}/refuse/` }), {
        catalog: fixture(),
        commands: COMMANDS,
        today: () => NOW,
      }),
    ).rejects.toThrow(
      "Slack refused SLACK_BOT_TOKEN (invalid_auth); copy the Bot User OAuth Token again from the app's OAuth page.",
    );
  });
});

describe('request signing', () => {
  it("verifies the example in Slack's documentation", async () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const signature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
    expect(sign(body, 1531420618, '8f742231b10e8888abcd99yyyzzz85a5')).toBe(signature);
    expect(() =>
      verifySlackRequest({
        signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
        body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': 1531420618 },
        nowMilliseconds: 1531420618 * 1000,
      }),
    ).not.toThrow();
  });
});
