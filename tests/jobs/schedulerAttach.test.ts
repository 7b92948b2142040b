// Scheduled digests with their charts through the real posters: a weekly schedule in a Slack channel and one in
// a Discord channel, run by the Scheduler at their slot with a fixed clock, post the digest to the fakes with
// the chart attached (Slack: uploaded into the digest's thread; Discord: in the same message).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduledDigest } from '../../commands/digestSchedule.js';
import { COMMANDS } from '../../commands/index.js';
import { DiscordPoster, discordRest } from '../../src/adapters/discord/poster.js';
import { SlackPoster, slackWebClient } from '../../src/adapters/slack/poster.js';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/charts/contactsChart.js';
import type { Reply } from '../../src/core/reply.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { scheduleBook } from '../../src/schedules/book.js';
import { openState, type State } from '../../src/state/index.js';
import { expectPng } from '../adapters/png.js';
import { CHANNEL as DISCORD_CHANNEL, type FakeDiscord, startFakeDiscord } from '../fakes/discord.js';
import { type FakeSlack, startFakeSlack } from '../fakes/slack.js';
import { bundled } from '../helpers.js';

const SLACK_CHANNEL = 'C0SCHEDULE';
/** Monday 7 December 2026, 09:00 in New York: the schedules' slot. */
const SLOT = new Date('2026-12-07T14:00:00Z');
const TITLE = 'Digest · Taiwan · 30 November 2026 – 7 December 2026';

let state: State;
let slack: FakeSlack;
let discord: FakeDiscord;
const logged: string[] = [];

beforeAll(async () => {
  state = await openState('sqlite::memory:');
  [slack, discord] = await Promise.all([startFakeSlack(), startFakeDiscord()]);
  const made = new Date('2026-12-02T12:00:00Z');
  const weekly = {
    every: 'weekly',
    on: 1,
    at: '09:00',
    tz: 'America/New_York',
    filters: 'taiwan',
    createdBy: 'U1',
  } as const;
  await scheduleBook(state, { platform: 'slack', channel: SLACK_CHANNEL }, () => made).add(weekly);
  await scheduleBook(state, { platform: 'discord', channel: DISCORD_CHANNEL }, () => made).add(weekly);
});

afterAll(async () => {
  slack?.close();
  await discord?.close();
  await state?.close();
});

describe('GIVEN weekly Taiwan digests scheduled in a Slack channel and a Discord channel', () => {
  it('WHEN the Scheduler runs at their slot THEN each real poster posts the digest with the chart attached', async () => {
    const log = (level: string, message: string) => logged.push(`${level}: ${message}`);
    const scheduler = new Scheduler({
      state,
      catalog: bundled,
      digest: (catalog, schedule, slot, previous) =>
        scheduledDigest({ catalog, commands: COMMANDS }, schedule, slot, previous),
      // As the service wires it: chart.js loaded only when a digest is drawn.
      chart: async (reply: Reply) => (await import('../../src/charts/contactsChart.js')).chartFile(reply),
      posters: {
        slack: new SlackPoster(slackWebClient('xoxb-test', { apiUrl: `${slack.url}/api/`, retries: 0 }), log),
        discord: new DiscordPoster(discordRest('test-token', { apiUrl: discord.apiUrl, retries: 0 }), log),
      },
      clock: () => SLOT,
      random: () => 0.5,
      log,
    });
    const slackMessage = slack.posted.at();
    const slackUpload = slack.uploads.at();
    const discordMessage = discord.messages.at();

    expect(await scheduler.step()).toBe(true);

    const posted = await slackMessage;
    expect(posted.channel).toBe(SLACK_CHANNEL);
    expect(JSON.stringify(posted.blocks)).toContain(TITLE);
    const upload = await slackUpload;
    expect(upload).toMatchObject({
      channel_id: SLACK_CHANNEL,
      thread_ts: posted.ts,
      filename: 'contacts-2026-12-07.png',
    });
    expect(upload.alt_text).toMatch(/^Contacts per month by level \(Taiwan\)/);
    expectPng(upload.data, CHART_WIDTH, CHART_HEIGHT);

    const message = await discordMessage;
    expect(message.channel).toBe(DISCORD_CHANNEL);
    const embeds = message.body.embeds as { title?: string; image?: { url: string } }[];
    expect(embeds[0]?.title).toBe(TITLE);
    expect(embeds.at(-1)?.image).toEqual({ url: 'attachment://contacts-2026-12-07.png' });
    expect(message.files.map((f) => f.name)).toEqual(['contacts-2026-12-07.png']);
    expectPng(message.files[0]?.data ?? Buffer.alloc(0), CHART_WIDTH, CHART_HEIGHT);
    expect((message.body.attachments as { description?: string }[])[0]?.description).toBe(upload.alt_text);

    // Posted once: the same instant again posts nothing more.
    expect(await scheduler.step()).toBe(false);
    expect(slack.posted.items).toHaveLength(1);
    expect(discord.messages.items).toHaveLength(1);
    expect(logged).toEqual([]);
  });
});
