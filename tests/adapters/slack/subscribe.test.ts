// /subscribe through the real Bolt app: stored for the Slack channel asked in; SLACK_ADMINS_ONLY asks Slack who is an admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { answer, type RunningSlack, startSlack } from '../../../src/adapters/slack/index.js';
import { openState, type State } from '../../../src/state/index.js';
import { subscriptionBook } from '../../../src/subscriptions/book.js';
import { postSlashCommand, slackSignature } from '../../fakes/http.js';
import { type FakeSlack, startFakeSlack, testSlackConfig } from '../../fakes/slack.js';
import { fixture } from '../../helpers.js';

const SECRET = 'test-signing-secret';
const NOW = '2024-06-01';
const asked: string[] = [];
let fake: FakeSlack;
let slack: RunningSlack;
let state: State;
const books = (place: { platform: 'slack' | 'discord' | 'console'; channel: string }) => subscriptionBook(state, place);

beforeAll(async () => {
  state = await openState('sqlite::memory:');
  // users.info says whether a user is an admin: only UADMIN is.
  fake = await startFakeSlack((url, body, res) => {
    if (url !== '/api/users.info') return false;
    const user = new URLSearchParams(body).get('user') ?? '';
    asked.push(user);
    res.end(JSON.stringify({ ok: true, user: { id: user, is_admin: user === 'UADMIN', is_owner: false } }));
    return true;
  });
  slack = await startSlack(testSlackConfig(fake, SECRET, { adminsOnly: true }), {
    catalog: fixture(),
    commands: COMMANDS,
    today: () => NOW,
    books,
  });
});

afterAll(async () => {
  await slack?.stop();
  fake?.close();
  await state?.close();
});

/** Sends a signed slash command from `user` in `channel` and waits for the answer at response_url. */
async function command(user: string, channel: string, line: string): Promise<Record<string, unknown>> {
  const [name, ...rest] = line.split(' ');
  const answered = fake.nextResponse();
  const body = new URLSearchParams({
    team_id: 'T1',
    channel_id: channel,
    user_id: user,
    command: name ?? '',
    text: rest.join(' '),
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

describe('/subscribe on Slack', () => {
  it('GIVEN SLACK_ADMINS_ONLY THEN an admin subscribes the channel asked in, for all to see', async () => {
    const reply = await command('UADMIN', 'C9', '/subscribe topic:taiwan');
    expect(reply.response_type).toBe('in_channel');
    expect(reply.text).toBe('Subscribed (#1): new events: topic Taiwan');
    expect(await books({ platform: 'slack', channel: 'C9' }).list()).toMatchObject([
      { id: 1, platform: 'slack', channel: 'C9', include: { topic: 'taiwan' }, createdBy: 'UADMIN' },
    ]);
  });

  it('GIVEN SLACK_ADMINS_ONLY THEN a member who is not an admin is told so privately, and nothing changes', async () => {
    const reply = await command('U2', 'C8', '/hotline subscribe topic:taiwan');
    expect(reply.response_type).toBe('ephemeral');
    // (Slack's rendering keeps the underscores from turning into italics.)
    expect(reply.text).toBe(
      "In this workspace only Slack admins and owners may use /subscribe: this app is set so that only they can change a channel's setup. Ask one of them.",
    );
    expect(asked).toContain('U2');
    expect(await books({ platform: 'slack', channel: 'C8' }).list()).toEqual([]);
    // Questions that change nothing are not checked.
    const count = asked.length;
    expect((await command('U2', 'C8', '/lastcontact')).response_type).toBe('in_channel');
    expect(asked).toHaveLength(count);
  });

  it('GIVEN the default setting THEN any member of the channel may subscribe it', async () => {
    const message = await answer(
      { command: '/subscribe', text: 'level:minister', user_id: 'U3', channel_id: 'C7' },
      { catalog: fixture(), commands: COMMANDS, today: () => NOW, books },
    );
    expect(message.text).toBe('Subscribed (#1): new events: level minister');
    expect(await books({ platform: 'slack', channel: 'C7' }).list()).toHaveLength(1);
  });
});
