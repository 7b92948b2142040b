// The App Home tab through the real Bolt app: published when opened, and again when the record changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningSlack, type SlackDeps, startSlack } from '../../../src/adapters/slack/index.js';
import type { SlackBlock } from '../../../src/adapters/slack/render.js';
import { slackSignature } from '../../fakes/http.js';
import { type FakeSlack, startFakeSlack, testSlackConfig } from '../../fakes/slack.js';
import { bundled, fixture } from '../../helpers.js';

const SECRET = 'test-signing-secret';
let fake: FakeSlack;
let slack: RunningSlack;
const published: { user: string; blocks: SlackBlock[] }[] = [];
const waiting: (() => void)[] = [];
const deps: SlackDeps = { catalog: bundled(), commands: COMMANDS, today: () => '2026-11-30' };

beforeAll(async () => {
  fake = await startFakeSlack((url, body, res) => {
    if (url !== '/api/views.publish') return false;
    const form = new URLSearchParams(body);
    const view = JSON.parse(form.get('view') ?? '{}') as { type: string; blocks: SlackBlock[] };
    expect(view.type).toBe('home');
    published.push({ user: form.get('user_id') ?? '', blocks: view.blocks });
    for (const wake of waiting.splice(0)) wake();
    res.end('{"ok":true}');
    return true;
  });
  slack = await startSlack(testSlackConfig(fake, SECRET), deps);
});

afterAll(async () => {
  await slack?.stop();
  fake?.close();
});

/** Resolves once `n` views have been published. */
function publishedCount(n: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (published.length >= n ? resolve() : waiting.push(check));
    check();
  });
}

/** Sends a signed Events API callback, as Slack does when someone opens the app's Home tab. */
async function openHome(user: string, tab = 'home'): Promise<number> {
  const body = JSON.stringify({
    token: 'legacy-token',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2)}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'app_home_opened', user, channel: 'D1', tab, event_ts: '1.2' },
  });
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`http://127.0.0.1:${slack.port}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Slack-Signature': slackSignature(SECRET, timestamp, body),
      'X-Slack-Request-Timestamp': String(timestamp),
    },
    body,
  });
  await response.text();
  return response.status;
}

const headers = (blocks: SlackBlock[]) => blocks.flatMap((b) => (b.type === 'header' ? [b.text.text] : []));

describe('the Home tab on Slack', () => {
  it('shows the board of channels and the latest contacts to whoever opens it, without buttons', async () => {
    expect(await openHome('U1')).toBe(200);
    await publishedCount(1);
    const [view] = published;
    expect(view?.user).toBe('U1');
    expect(headers(view?.blocks ?? [])).toEqual(['Dialogue channels · 30 November 2026', 'Timeline']);
    expect(view?.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(view?.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view?.blocks)).toContain('Record reviewed to');
  });

  it('opening the Messages tab publishes nothing', async () => {
    const before = published.length;
    expect(await openHome('U2', 'messages')).toBe(200);
    expect(await openHome('U3')).toBe(200);
    await publishedCount(before + 1);
    expect(published.slice(before).map((p) => p.user)).toEqual(['U3']);
  });

  it('a flood of opens by one person publishes once; a malformed user is never published or remembered', async () => {
    const before = published.length;
    for (let i = 0; i < 20; i++) expect(await openHome('U1')).toBe(200);
    expect(await openHome('not a user')).toBe(200);
    expect(await openHome('U4')).toBe(200);
    await publishedCount(before + 1);
    expect(published.slice(before).map((p) => p.user)).toEqual(['U4']);
  });

  it('is published again for those who opened it when the record changes', async () => {
    const before = published.length;
    deps.catalog = fixture();
    // Three refreshes asked for at once: one view built, each person sent it once.
    await Promise.all([slack.refreshHome(), slack.refreshHome(), slack.refreshHome()]);
    await publishedCount(before + 3);
    expect(
      published
        .slice(before)
        .map((p) => p.user)
        .sort(),
    ).toEqual(['U1', 'U3', 'U4']);
    // The fixture's record is reviewed to 30 June 2024.
    expect(JSON.stringify(published.at(-1)?.blocks)).toContain('Record reviewed to 30 June 2024');
  });
});
