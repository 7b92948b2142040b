// /digest schedule through the real Bolt app: made only where Hotline is a member (conversations.info).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningSlack, startSlack } from '../../../src/adapters/slack/index.js';
import type { Place } from '../../../src/core/subscription.js';
import { scheduleBook } from '../../../src/schedules/book.js';
import { openState, type State } from '../../../src/state/index.js';
import { postSlashCommand, slackSignature } from '../../fakes/http.js';
import { type FakeSlack, startFakeSlack, testSlackConfig } from '../../fakes/slack.js';
import { bundled } from '../../helpers.js';

const SECRET = 'test-signing-secret';
let fake: FakeSlack;
let slack: RunningSlack;
let state: State;
const asked: string[] = [];

beforeAll(async () => {
  state = await openState('sqlite::memory:');
  // conversations.info: Hotline is a member of CIN; not of CNOTIN; CPRIVATE is a private channel it is not in.
  fake = await startFakeSlack((url, body, res) => {
    if (url !== '/api/conversations.info') return false;
    const channel = new URLSearchParams(body).get('channel') ?? '';
    asked.push(channel);
    res.end(
      JSON.stringify(
        channel === 'CPRIVATE'
          ? { ok: false, error: 'channel_not_found' }
          : { ok: true, channel: { id: channel, is_member: channel === 'CIN', is_archived: false } },
      ),
    );
    return true;
  });
  slack = await startSlack(testSlackConfig(fake, SECRET), {
    catalog: bundled(),
    commands: COMMANDS,
    today: () => '2026-12-02',
    schedules: (place: Place) => scheduleBook(state, place),
  });
});

afterAll(async () => {
  await slack?.stop();
  fake?.close();
  await state?.close();
});

async function command(channel: string, text: string): Promise<Record<string, unknown>> {
  const answered = fake.nextResponse();
  const body = new URLSearchParams({
    team_id: 'T1',
    channel_id: channel,
    user_id: 'U1',
    command: '/digest',
    text,
    response_url: `${fake.url}/response/${fake.responses.length}`,
    trigger_id: '1.2.3',
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await postSlashCommand(`http://127.0.0.1:${slack.port}/slack/events`, body, {
    signature: slackSignature(SECRET, timestamp, body),
    timestamp,
  });
  expect(response.status).toBe(200);
  return answered;
}

describe('/digest schedule on Slack', () => {
  it('is made where Hotline is a member', async () => {
    const reply = await command('CIN', 'schedule weekly taiwan');
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(/^Scheduled \(#1\): the digest of Taiwan, weekly on Monday at 09:00 \(UTC\)\./);
    expect(await scheduleBook(state, { platform: 'slack', channel: 'CIN' }).list()).toHaveLength(1);
  });

  it.each(['CNOTIN', 'CPRIVATE'])(
    'is refused in %s, where Hotline cannot post, and nothing is made',
    async (channel) => {
      const reply = await command(channel, 'schedule weekly taiwan');
      expect(reply.text).toBe(
        "Hotline cannot post in this channel: it is not a member of this channel (add it in the channel's details, under Integrations). A schedule here would never arrive; fix that, then ask again.",
      );
      expect(await scheduleBook(state, { platform: 'slack', channel }).list()).toEqual([]);
    },
  );

  it('asks Slack only for commands that set up posting', async () => {
    const before = asked.length;
    await command('CIN', 'taiwan');
    expect(asked.length).toBe(before);
  });
});
