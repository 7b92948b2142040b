// Buttons through the real Bolt app: pages replace the answer, "Share in channel" posts it for everyone, a
// notice's "Pause" pauses its subscription (admins only, with SLACK_ADMINS_ONLY), and forged values are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningSlack, startSlack } from '../../../src/adapters/slack/index.js';
import { renderSlack, type SlackBlock, type SlackButton } from '../../../src/adapters/slack/render.js';
import { noticeReply } from '../../../src/core/notice.js';
import { openState, type State } from '../../../src/state/index.js';
import { subscriptionBook } from '../../../src/subscriptions/book.js';
import { postSlashCommand, slackSignature } from '../../fakes/http.js';
import { type FakeSlack, startFakeSlack, testSlackConfig } from '../../fakes/slack.js';
import { bundled } from '../../helpers.js';

const SECRET = 'test-signing-secret';
const NOW = '2026-11-30';
const catalog = bundled();
let fake: FakeSlack;
let slack: RunningSlack;
let state: State;
const books = (place: { platform: 'slack' | 'discord' | 'console'; channel: string }) => subscriptionBook(state, place);

beforeAll(async () => {
  state = await openState('sqlite::memory:');
  fake = await startFakeSlack((url, body, res) => {
    if (url !== '/api/users.info') return false;
    const user = new URLSearchParams(body).get('user') ?? '';
    res.end(JSON.stringify({ ok: true, user: { id: user, is_admin: user === 'UADMIN', is_owner: false } }));
    return true;
  });
  slack = await startSlack(testSlackConfig(fake, SECRET, { adminsOnly: true }), {
    catalog,
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

type Answer = Record<string, unknown> & { blocks?: SlackBlock[]; text?: string };

/** Posts a signed request body and waits for what the app posts to response_url. */
async function signed(body: string): Promise<Answer> {
  const answered = fake.nextResponse();
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await postSlashCommand(`http://127.0.0.1:${slack.port}/slack/events`, body, {
    signature: slackSignature(SECRET, timestamp, body),
    timestamp,
  });
  expect(response.status).toBe(200);
  return (await answered) as Answer;
}

/** A slash command from `user` in channel C1. */
function command(line: string, user = 'U1'): Promise<Answer> {
  const [name, ...rest] = line.split(' ');
  return signed(
    new URLSearchParams({
      team_id: 'T1',
      channel_id: 'C1',
      user_id: user,
      command: name ?? '',
      text: rest.join(' '),
      response_url: `${fake.url}/response/${fake.responses.length}`,
      trigger_id: '1.2.3',
    }).toString(),
  );
}

/** A button pressed by `user` in channel C1, as Slack sends it (block_actions in a form's payload). */
function press(button: Pick<SlackButton, 'action_id' | 'value'>, user = 'U1'): Promise<Answer> {
  const payload = {
    type: 'block_actions',
    team: { id: 'T1', domain: 'example' },
    user: { id: user, username: 'analyst', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-token',
    container: { type: 'message', message_ts: '1.2', channel_id: 'C1', is_ephemeral: true },
    trigger_id: '4.5.6',
    channel: { id: 'C1', name: 'analysts' },
    response_url: `${fake.url}/response/${fake.responses.length}`,
    actions: [{ type: 'button', action_id: button.action_id, block_id: 'b1', value: button.value, action_ts: '1.3' }],
  };
  return signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

function buttons(answer: Answer): SlackButton[] {
  return (answer.blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.elements : []));
}

function button(answer: Answer, label: string): SlackButton {
  const found = buttons(answer).find((b) => b.text.text === label);
  if (!found) throw new Error(`no "${label}" button among ${buttons(answer).map((b) => b.text.text)}`);
  return found;
}

describe('buttons on Slack', () => {
  it('"Next page" replaces the private answer with the next page, which has "Previous page"', async () => {
    const first = await command('/timeline level:minister');
    expect(first.response_type).toBe('ephemeral');
    expect(buttons(first).map((b) => b.text.text)).toEqual(['Next page', 'Share in channel']);
    const second = await press(button(first, 'Next page'));
    expect(second.replace_original).toBe(true);
    expect(second.text).toMatch(/minister-level.*Page 2 of \d+\.$|Page 2 of \d+\.$/);
    expect(buttons(second).map((b) => b.text.text)).toEqual(['Previous page', 'Next page', 'Share in channel']);
    const back = await press(button(second, 'Previous page'));
    expect(back.replace_original).toBe(true);
    expect(back.text).toBe(first.text);
  });

  it('"Share in channel" posts the same answer for everyone, without a Share button of its own', async () => {
    const mine = await command('/search Dong Jun');
    expect(mine.response_type).toBe('ephemeral');
    expect(buttons(mine).map((b) => b.text.text)).toEqual(['Next page', 'Share in channel']);
    const shared = await press(button(mine, 'Share in channel'));
    expect(shared.response_type).toBe('in_channel');
    expect(shared.replace_original).toBe(false);
    expect(shared.text).toBe(mine.text);
    // Its page button answers whoever presses it, privately (next test).
    expect(buttons(shared).map((b) => b.text.text)).toEqual(['Next page']);
  });

  it('"Full record" under an answer in the channel answers privately with the event in full', async () => {
    const mine = await command('/lastcontact level:minister');
    expect(mine.response_type).toBe('in_channel');
    expect(buttons(mine).map((b) => b.text.text)).toEqual(['Full record']);
    const full = await press(button(mine, 'Full record'));
    expect(full.response_type).toBe('ephemeral');
    expect(full.replace_original).toBe(false);
    const id = button(mine, 'Full record').value.replace('h1:r:/event ', '');
    expect(JSON.stringify(full.blocks)).toContain(id);
  });

  it('a shared page\'s "Next page" answers privately instead of changing the message everyone sees', async () => {
    const first = await command('/timeline level:minister');
    const shared = await press(button(first, 'Share in channel'));
    expect(shared.response_type).toBe('in_channel');
    const next = await press(button(shared, 'Next page'));
    expect(next.replace_original).toBe(false);
    expect(next.response_type).toBe('ephemeral');
    expect(next.text).toMatch(/Page 2 of \d+\.$/);
  });

  it('a notice\'s "Pause" pauses its subscription for an admin, in the channel; others are refused and nothing changes', async () => {
    const subscribed = await command('/subscribe level:minister', 'UADMIN');
    expect(subscribed.text).toBe('Subscribed (#1): new events: level minister');
    const event = catalog.events.find((e) => e.level === 'minister');
    if (!event) throw new Error('no minister-level event');
    const notice = renderSlack(noticeReply(catalog, event, [{ id: 1, kind: 'events' }], { kind: 'new' }));
    expect(notice.blocks.flatMap((b) => (b.type === 'actions' ? b.elements.map((e) => e.text.text) : []))).toEqual([
      'Full record',
      'Pause #1',
      'Unsubscribe #1',
    ]);
    const pause = (notice.blocks.find((b) => b.type === 'actions') as { elements: SlackButton[] }).elements[1];
    if (!pause) throw new Error('no Pause button');

    const refused = await press(pause, 'U2');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toBe(
      "In this workspace only Slack admins and owners may use /subscribe: this app is set so that only they can change a channel's setup. Ask one of them.",
    );
    expect((await books({ platform: 'slack', channel: 'C1' }).list())[0]?.paused).toBeFalsy();

    const paused = await press(pause, 'UADMIN');
    expect(paused.response_type).toBe('in_channel');
    expect(paused.replace_original).toBe(false);
    expect(paused.text).toMatch(/^Paused #1/);
    expect((await books({ platform: 'slack', channel: 'C1' }).list())[0]?.paused).toMatchObject({ by: 'UADMIN' });
  });

  it('an invisible mark inside a command name never slips past SLACK_ADMINS_ONLY, typed or pressed', async () => {
    const before = await books({ platform: 'slack', channel: 'C1' }).list();
    expect(before.length).toBeGreaterThan(0);
    const typed = await command('/hotline unsub\u200bscribe all', 'U2');
    expect(typed.text).toBe(
      "In this workspace only Slack admins and owners may use /unsubscribe: this app is set so that only they can change a channel's setup. Ask one of them.",
    );
    for (const value of [
      'h1:c:/unsub\u200bscribe all',
      'h1:c:/\u200bsubscribe pause 1',
      'h1:c:/sub\u2060scribe level:leaders',
    ]) {
      const pressedAnswer = await press({ action_id: 'hotline:0', value }, 'U2');
      expect(pressedAnswer.text).toMatch(/^In this workspace only Slack admins and owners may use \/(un)?subscribe:/);
    }
    expect(await books({ platform: 'slack', channel: 'C1' }).list()).toEqual(before);
  });

  it('a forged or stale button gets a polite refusal, privately, and runs nothing', async () => {
    for (const value of ['rm -rf /', 'h0:r:/subscribe pause 1', 'h1:x:/help', 'h1:r:help', '']) {
      const answer = await press({ action_id: 'hotline:0', value });
      expect(answer.response_type).toBe('ephemeral');
      expect(answer.text).toBe(
        'That button is from an answer this version of Hotline can no longer read. Ask again to get a fresh one.',
      );
    }
  });

  it('"Share in channel" forged onto a command that changes the channel is refused, and changes nothing', async () => {
    const answer = await press({ action_id: 'hotline:0', value: 'h1:s:/unsubscribe all' }, 'UADMIN');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe(
      'Only answers shown just to you can be shared; this one is posted in the channel already, or is about the channel’s setup.',
    );
    expect(await books({ platform: 'slack', channel: 'C1' }).list()).toHaveLength(1);
  });
});
