// Issue 15's review in Slack, through the real Bolt app and the service's jobs against the fake Slack: a readout
// published on a local feed → the watcher's draft → its card in the editors' channel, Approve → the event in the
// log → the notice in a subscribed channel; Reject with a reason and Edit through modals (views.open,
// view_submission); non-editors refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSlack, startSlack } from '../../../src/adapters/slack/index.js';
import { SlackPoster, slackWebClient } from '../../../src/adapters/slack/poster.js';
import type { SlackBlock, SlackButton } from '../../../src/adapters/slack/render.js';
import { postedCard } from '../../../src/drafts/cards.js';
import { readLog } from '../../../src/events/log.js';
import { type Service, startService } from '../../../src/service.js';
import { draftsOf, frontEndDeps, HEGSETH_DONG_CALL, holdDesk, proposalOf, proposeCopy } from '../../drafts/fixtures.js';
import { postSlashCommand, slackSignature } from '../../fakes/http.js';
import { type FakeSlack, type PostedMessage, startFakeSlack, testSlackConfig } from '../../fakes/slack.js';
import { READOUT_ARTICLE_PATH, readoutWatch, serveReadout } from '../../feeds/readout.js';
import { type FeedServer, startFeedServer } from '../../feeds/server.js';
import { bundled, until } from '../../helpers.js';

const SECRET = 'test-signing-secret';
const EDITORS = 'CEDITORS';
const NEWS = 'CNEWS';
const catalog = bundled();
let fake: FakeSlack;
let slack: RunningSlack;
let service: Service;
/** What the app was started with: a test may put a slowed desk in `drafts` for a while. */
let deps: ReturnType<typeof frontEndDeps>;
/** The watched feed: the Department's releases as a local server serves them; the readout is listed on publish(). */
let feeds: FeedServer;
let readout: { publish: () => void };

beforeAll(async () => {
  feeds = await startFeedServer();
  readout = serveReadout(feeds, { published: '2026-06-02', call: '2026-06-02' }, false);
  fake = await startFakeSlack();
  // UED is on the second page of members: the check follows the cursor.
  fake.members[EDITORS] = ['UA', 'UB', 'UED'];
  const client = slackWebClient('xoxb-test', { apiUrl: `${fake.url}/api/`, retries: 0 });
  service = await startService({
    stateUrl: 'sqlite::memory:',
    catalog,
    posters: { slack: new SlackPoster(client) },
    editors: { slack: EDITORS },
    idleMs: 20,
    refreshMs: 50,
    watch: readoutWatch(feeds),
  });
  deps = frontEndDeps(service);
  slack = await startSlack(testSlackConfig(fake, SECRET, { editors: { channel: EDITORS, users: ['UALLOW'] } }), deps);
});

afterAll(async () => {
  await slack?.stop();
  await service?.stop();
  await feeds?.close();
  fake?.close();
});

type Answer = Record<string, unknown> & { blocks?: SlackBlock[]; text?: string };

/** Posts a signed body to the app; returns the HTTP answer (the ack's body). */
async function signed(body: string): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await postSlashCommand(`http://127.0.0.1:${slack.port}/slack/events`, body, {
    signature: slackSignature(SECRET, timestamp, body),
    timestamp,
  });
  expect(response.status).toBe(200);
  return response;
}

function command(line: string, user: string, channel: string): Promise<Answer> {
  const answered = fake.nextResponse() as Promise<Answer>;
  const [name, ...rest] = line.split(' ');
  void signed(
    new URLSearchParams({
      team_id: 'T1',
      channel_id: channel,
      user_id: user,
      command: name ?? '',
      text: rest.join(' '),
      response_url: `${fake.url}/response/${fake.responses.length}`,
      trigger_id: '1.2.3',
    }).toString(),
  );
  return answered;
}

/** A button on the card `card` pressed by `user` in the editors' channel (block_actions). */
async function press(card: PostedMessage, label: string, user: string): Promise<void> {
  const button = buttons(card).find((b) => b.text.text === label);
  if (!button) throw new Error(`no ${label} button`);
  const payload = {
    type: 'block_actions',
    team: { id: 'T1', domain: 'example' },
    user: { id: user, username: 'editor', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-token',
    container: { type: 'message', message_ts: card.ts, channel_id: EDITORS, is_ephemeral: false },
    trigger_id: `trigger-${user}-${label}`,
    channel: { id: EDITORS, name: 'editors' },
    message: { ts: card.ts, text: card.text },
    response_url: `${fake.url}/response/${fake.responses.length}`,
    actions: [{ type: 'button', action_id: button.action_id, block_id: 'b1', value: button.value, action_ts: '1.3' }],
  };
  await signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

/** A modal submitted by `user` with `value` in its one field (view_submission); returns the ack's body. */
async function submit(view: Record<string, unknown>, user: string, value: string): Promise<unknown> {
  const block = (view.blocks as { block_id: string }[])[0]?.block_id ?? 'value';
  const payload = {
    type: 'view_submission',
    team: { id: 'T1', domain: 'example' },
    user: { id: user, username: 'editor', name: 'editor', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy-token',
    trigger_id: '7.8.9',
    view: {
      ...view,
      id: 'V1',
      team_id: 'T1',
      hash: 'h',
      state: { values: { [block]: { value: { type: 'plain_text_input', value } } } },
    },
    response_urls: [],
  };
  const text = await (await signed(new URLSearchParams({ payload: JSON.stringify(payload) }).toString())).text();
  return text === '' ? undefined : JSON.parse(text);
}

function buttons(message: { blocks?: unknown }): SlackButton[] {
  return ((message.blocks ?? []) as SlackBlock[]).flatMap((b) => (b.type === 'actions' ? b.elements : []));
}

/** The next card posted in the editors' channel. */
async function nextCard(): Promise<PostedMessage> {
  for (let i = fake.posted.items.length; ; i++) {
    const posted = await fake.posted.at(i);
    if (posted.channel === EDITORS) return posted;
  }
}

describe('the review of drafts in Slack', () => {
  it('a readout published on the watched feed becomes a draft whose card is posted once; a non-editor’s Approve is refused; an editor’s publishes it and the subscribed channel gets the notice', async () => {
    const subscribed = await command('/subscribe level:minister', 'UNEWS', NEWS);
    expect(subscribed.text).toBe('Subscribed (#1): new events: level minister');
    const carded = nextCard();
    // Issue 15's round trip starts at the feed: the watcher's next poll reads the item and files the draft.
    readout.publish();
    const card = await carded;
    expect((await draftsOf(service).get(1))?.items.map((i) => [i.feed, i.url])).toEqual([
      ['war.gov releases', `${feeds.base}${READOUT_ARTICLE_PATH}`],
    ]);
    expect(card.text).toBe(
      'Draft #1 (pending): call, 2026-06-02 — Pete Hegseth, Secretary of Defense (US); Dong Jun, Minister of National Defense (PRC)',
    );
    expect(buttons(card).map((b) => b.text.text)).toEqual(['Approve', 'Edit', 'Merge', 'Reject']);
    expect(JSON.stringify(card.blocks)).toContain('minister (90%)');
    await until('the card recorded', async () => (await postedCard(service.state, 'slack', 1)) !== undefined);
    expect(await postedCard(service.state, 'slack', 1)).toEqual({
      channel: EDITORS,
      message: card.ts,
      shows: (await draftsOf(service).get(1))?.updatedAt,
    });

    const refused = fake.nextResponse();
    await press(card, 'Approve', 'UOUT');
    expect(await refused).toMatchObject({
      response_type: 'ephemeral',
      text: "Only editors may use /drafts: members of the editors' channel, and those on the editors' list. Ask an editor.",
    });
    expect((await draftsOf(service).get(1))?.status).toBe('pending');

    const approved = fake.nextResponse();
    const notice = (async () => {
      for (let i = fake.posted.items.length; ; i++) {
        const posted = await fake.posted.at(i);
        if (posted.channel === NEWS) return posted;
      }
    })();
    await press(card, 'Approve', 'UED');
    const answer = (await approved) as Answer;
    expect(answer.replace_original).toBe(true);
    expect(answer.text).toMatch(/^Draft #1 \(approved\): call, 2026-06-02/);
    expect(buttons(answer)).toEqual([]);
    const published = (await readLog(service.state, 0, 10_000)).at(-1);
    expect(published?.id).toBe('2026-06-02-hegseth-dong-call');
    expect(published?.event.sources.map((s) => s.url)).toEqual([`${feeds.base}${READOUT_ARTICLE_PATH}`]);
    expect((await draftsOf(service).get(1))?.decision?.by).toBe('UED');
    expect((await notice).text).toMatch(/^New: Call: Pete Hegseth/);
    // Posted once: the decision changed the book, and no second card followed.
    expect(fake.posted.items.filter((p) => p.channel === EDITORS)).toHaveLength(1);
  });

  it('Reject opens a modal asking a reason; an empty one is refused on the field; a reason rejects it and replaces the card', async () => {
    const carded = nextCard();
    await proposeCopy(service, catalog, 'second', '2026-03-01');
    const card = await carded;
    const opened = fake.views.at();
    await press(card, 'Reject', 'UALLOW');
    const { view, trigger_id } = await opened;
    expect(trigger_id).toBe('trigger-UALLOW-Reject');
    expect(view.callback_id).toBe('hotline:form');
    expect(view.title).toEqual({ type: 'plain_text', text: 'Reject draft #2', emoji: false });

    // A blank required field is refused on the form, in the ack: a check of the form itself, fast and local.
    expect(await submit(view, 'UALLOW', '   ')).toEqual({
      response_action: 'errors',
      errors: { reason: 'Fill this in: it is required.' },
    });
    expect((await draftsOf(service).get(2))?.status).toBe('pending');
    // Anything else is answered after the ack (Slack's 3 seconds): privately, with what was typed.
    const told = fake.ephemerals.at();
    expect(await submit(view, 'UOUT', 'not a contact')).toBeUndefined();
    expect(await told).toMatchObject({
      channel: EDITORS,
      user: 'UOUT',
      text: "Only editors may use /drafts: members of the editors' channel, and those on the editors' list. Ask an editor.",
    });
    expect(JSON.stringify((await told).blocks)).toContain('Your form was not saved: not a contact');
    expect((await draftsOf(service).get(2))?.status).toBe('pending');

    const updated = fake.updated.at();
    expect(await submit(view, 'UALLOW', 'A second copy of the 2 June readout, misdated')).toBeUndefined();
    const replaced = await updated;
    expect(replaced.channel).toBe(EDITORS);
    expect(replaced.ts).toBe(card.ts);
    expect(replaced.text).toMatch(/^Draft #2 \(rejected\)/);
    expect(JSON.stringify(replaced.blocks)).toContain('Rejected by UALLOW at ');
    expect((await draftsOf(service).get(2))?.decision).toMatchObject({
      by: 'UALLOW',
      reason: 'A second copy of the 2 June readout, misdated',
    });
  });

  it('Edit opens a modal with the fields; a value the schema refuses is refused on the field, naming it, and the draft stays', async () => {
    const carded = nextCard();
    await proposeCopy(service, catalog, 'third', '2026-04-01');
    const card = await carded;
    const opened = fake.views.at();
    await press(card, 'Edit', 'UED');
    const { view } = await opened;
    const field = (view.blocks as { block_id: string; element: { initial_value?: string } }[])[0];
    expect(field?.block_id).toBe('changes');
    expect(field?.element.initial_value).toContain('level=minister\n');
    const before = await draftsOf(service).get(3);
    const told = fake.ephemerals.at();
    expect(
      await submit(view, 'UED', (field?.element.initial_value ?? '').replace('level=minister', 'level=emperor')),
    ).toBeUndefined();
    expect(await told).toMatchObject({
      channel: EDITORS,
      user: 'UED',
      text: 'Not saved: level: "emperor" is not one of leaders, minister, chief-of-defense, theater-commander, senior-official, working-level. Draft #3 is as it was.',
    });
    // What the editor typed comes back with the refusal, so it is not lost with the closed form.
    expect(JSON.stringify((await told).blocks)).toContain('level=emperor');
    expect(await draftsOf(service).get(3)).toEqual(before);
  });

  it('Merge opens a modal asking the event; an unknown id is refused on the field; a known one merges the sources', async () => {
    const carded = nextCard();
    const fourth = {
      ...HEGSETH_DONG_CALL,
      url: 'https://www.war.test/News/Releases/fourth',
      published: '2026-05-01',
      summary: '',
    };
    await draftsOf(service).propose(proposalOf(fourth, catalog), catalog, '2026-06-02T12:00:00.000Z');
    const card = await carded;
    const opened = fake.views.at();
    await press(card, 'Merge', 'UED');
    const { view } = await opened;
    const told = fake.ephemerals.at();
    expect(await submit(view, 'UED', 'no-such-event')).toBeUndefined();
    expect((await told).text).toBe(
      'There is no event no-such-event on record; give the id /event shows; nothing was changed.',
    );
    const updated = fake.updated.at();
    expect(await submit(view, 'UED', '2025-09-09-hegseth-dong-video-call')).toBeUndefined();
    expect((await updated).text).toMatch(/^Draft #4 \(merged\)/);
    const last = (await readLog(service.state, 0, 10_000)).at(-1);
    expect([last?.id, last?.revision]).toEqual(['2025-09-09-hegseth-dong-video-call', 2]);
    expect(last?.event.sources.at(-1)?.url).toBe(fourth.url);
  });

  it('a submitted form is acknowledged before its action ends (Slack wants the ack within 3 seconds); the outcome then replaces the card', async () => {
    const carded = nextCard();
    await proposeCopy(service, catalog, 'fifth', '2026-05-15');
    const card = await carded;
    const opened = fake.views.at();
    await press(card, 'Reject', 'UED');
    const { view } = await opened;
    // The desk's reject waits until the test lets it go: a store that answers slowly.
    const held = holdDesk(deps, 'reject');
    try {
      const updated = fake.updated.at();
      const acked = submit(view, 'UED', 'A copy of the 2 June readout');
      // The ack comes while the action is held; without it within Slack's 3 s, the editor sees an error.
      // A bound, not a wait: the race ends as soon as the ack comes.
      let bound: NodeJS.Timeout | undefined;
      const first = await Promise.race([
        acked.then((body) => ({ acked: body })),
        new Promise((resolve) => {
          bound = setTimeout(() => resolve('no ack within 2.5 s'), 2_500);
        }),
      ]);
      clearTimeout(bound);
      expect(first).toEqual({ acked: undefined });
      await held.started;
      expect((await draftsOf(service).get(5))?.status).toBe('pending');
      held.release();
      const replaced = await updated;
      expect([replaced.channel, replaced.ts]).toEqual([EDITORS, card.ts]);
      expect(replaced.text).toMatch(/^Draft #5 \(rejected\)/);
    } finally {
      held.restore();
    }
  });

  it('two presses of Approve at once (a double click, or two editors) publish once: one replaces the card, the other is told privately', async () => {
    const carded = nextCard();
    await proposeCopy(service, catalog, 'sixth', '2026-05-25');
    const card = await carded;
    const before = fake.responses.length;
    const logged = (await readLog(service.state, 0, 10_000)).length;
    await Promise.all([press(card, 'Approve', 'UED'), press(card, 'Approve', 'UALLOW')]);
    await until('both presses answered', async () => fake.responses.length >= before + 2);
    const answers = fake.responses.slice(before) as Answer[];
    const replaced = answers.filter((a) => a.replace_original === true);
    const told = answers.filter((a) => a.replace_original !== true);
    expect(replaced.map((a) => a.text?.slice(0, 24))).toEqual(['Draft #6 (approved): cal']);
    expect(told).toHaveLength(1);
    expect(told[0]?.response_type).toBe('ephemeral');
    expect(told[0]?.text).toMatch(
      /^Draft #6 (is being decided by U(ED|ALLOW) \(approve, at .*\)|was approved already by U(ED|ALLOW) at .*); nothing was changed\.$/,
    );
    const log = await readLog(service.state, 0, 10_000);
    expect(log.slice(logged).map((e) => [e.id, e.revision])).toEqual([['2026-05-25-hegseth-dong-call', 1]]);
    expect((await draftsOf(service).get(6))?.status).toBe('approved');
  });

  it('an Approve that fails on our side is apologised for privately; the card keeps its buttons', async () => {
    const carded = nextCard();
    await proposeCopy(service, catalog, 'seventh', '2026-05-26');
    const card = await carded;
    const desk = deps.drafts;
    deps.drafts = {
      ...desk,
      approve: async () => {
        throw new Error('a bug in approve');
      },
    };
    try {
      const before = fake.responses.length;
      await press(card, 'Approve', 'UED');
      await until('the press answered', async () => fake.responses.length > before);
      const [apology] = fake.responses.slice(before) as Answer[];
      // Without replace_original: false, Slack may put the apology in the card's place, buttons and all.
      expect(apology?.replace_original).toBe(false);
      expect(apology?.response_type).toBe('ephemeral');
      expect(apology?.text).toBe('Something went wrong on our side while answering; it has been logged.');
      expect((await draftsOf(service).get(7))?.status).toBe('pending');
    } finally {
      deps.drafts = desk;
      await service.drafts.reject(7, 'made for this test', 'cli-editor'); // the later tests count pending drafts
    }
  });

  it('/drafts lists pending drafts for an editor and refuses anyone else', async () => {
    const listed = await command('/drafts', 'UALLOW', NEWS);
    expect(listed.response_type).toBe('ephemeral');
    expect(listed.text).toMatch(/^Drafts pending: 1\. #3 /);
    const refused = await command('/drafts', 'UOUT', NEWS);
    expect(refused.text).toBe(
      "Only editors may use /drafts: members of the editors' channel, and those on the editors' list. Ask an editor.",
    );
  });

  it('GIVEN ten /drafts in a row from someone who is not an editor THEN Slack is asked for the editors once, not ten times', async () => {
    const before = fake.memberPages;
    const answers: Answer[] = [];
    for (let i = 0; i < 10; i++) answers.push(await command('/drafts', 'UOUT', NEWS));
    expect(new Set(answers.map((a) => a.text))).toEqual(
      new Set([
        "Only editors may use /drafts: members of the editors' channel, and those on the editors' list. Ask an editor.",
      ]),
    );
    // Three members, two to a page: one lookup is two pages.
    expect(fake.memberPages - before).toBeLessThanOrEqual(2);
  });
});
