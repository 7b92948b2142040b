// Charts attached on Slack: the real SlackPoster and the real Bolt app against the fake Slack, which takes the
// three steps of files.uploadV2. The chart goes into the digest's thread (or under a typed /digest's answer),
// with its alt text; a refused upload never costs the message.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningSlack, startSlack } from '../../../src/adapters/slack/index.js';
import { SlackPoster, slackWebClient } from '../../../src/adapters/slack/poster.js';
import { CHART_HEIGHT, CHART_WIDTH, chartFile } from '../../../src/charts/contactsChart.js';
import type { PostFile } from '../../../src/core/poster.js';
import type { Reply } from '../../../src/core/reply.js';
import type { LogLevelName } from '../../../src/logging.js';
import { signedCommand } from '../../fakes/http.js';
import { type FakeSlack, startFakeSlack, testSlackConfig } from '../../fakes/slack.js';
import { fixture, runCommand } from '../../helpers.js';
import { expectPng } from '../png.js';

const SECRET = 'test-signing-secret';
const NOW = '2024-06-01';
const CHANNEL = 'C0123456789';

let fake: FakeSlack;
let digest: Reply;
let chart: PostFile;

beforeAll(async () => {
  fake = await startFakeSlack();
  digest = await runCommand('/digest', NOW, fixture());
  const drawn = await chartFile(digest);
  if (!drawn.file) throw new Error(`the chart could not be drawn: ${drawn.error}`);
  chart = drawn.file;
});

afterAll(() => fake?.close());

beforeEach(() => {
  fake.uploadError = undefined;
  fake.refuseAt = 'getUploadURLExternal';
});

/** A poster on the fake, and the lines it logged. */
function poster(): { poster: SlackPoster; logged: string[] } {
  const logged: string[] = [];
  const log = (level: LogLevelName, message: string) => logged.push(`${level}: ${message}`);
  return {
    poster: new SlackPoster(slackWebClient('xoxb-test', { apiUrl: `${fake.url}/api/`, retries: 0 }), log),
    logged,
  };
}

describe('GIVEN the SlackPoster posts a digest with its chart', () => {
  it('THEN the message is posted, and the PNG is uploaded into its thread with its alt text', async () => {
    const { poster: slack, logged } = poster();
    const posted = fake.posted.at();
    const uploaded = fake.uploads.at();
    const result = await slack.post(CHANNEL, digest, { files: [chart] });
    const message = await posted;
    expect(result).toEqual({ ok: true, messageId: message.ts });
    expect(message.channel).toBe(CHANNEL);
    const file = await uploaded;
    expect(file).toMatchObject({
      filename: chart.name,
      channel_id: CHANNEL,
      thread_ts: message.ts,
      alt_text: chart.alt,
      title: digest.title,
      length: chart.data.byteLength,
    });
    expect(file.alt_text).toMatch(/per month by level/);
    expectPng(file.data, CHART_WIDTH, CHART_HEIGHT);
    expect(Buffer.compare(file.data, Buffer.from(chart.data))).toBe(0);
    expect(logged).toEqual([]);
  });

  it('WHEN it replies in a thread THEN the chart goes into that same thread', async () => {
    const { poster: slack } = poster();
    const uploaded = fake.uploads.at();
    const parent = '1699999999.000001';
    const result = await slack.post(CHANNEL, digest, { replyTo: parent, files: [chart] });
    expect(result.ok).toBe(true);
    expect((await uploaded).thread_ts).toBe(parent);
  });

  it.each([
    ['getUploadURLExternal', 'not_in_channel'],
    ['completeUploadExternal', 'missing_scope'],
  ] as const)(
    'WHEN Slack refuses the upload at files.%s (%s) THEN the message still counts as posted, and the refusal is logged',
    async (step, error) => {
      fake.uploadError = error;
      fake.refuseAt = step;
      const { poster: slack, logged } = poster();
      const refused = fake.refusedUploads.at();
      const posted = fake.posted.at();
      const uploads = fake.uploads.items.length;
      const result = await slack.post(CHANNEL, digest, { files: [chart] });
      expect(result).toEqual({ ok: true, messageId: (await posted).ts });
      expect(await refused).toBe(`files.${step}: ${error}`);
      expect(fake.uploads.items).toHaveLength(uploads);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(
        new RegExp(`^warn: ${CHANNEL}: message .* posted without a file: ${chart.name}: .*${error}`),
      );
    },
  );
});

describe('GIVEN /digest typed in a Slack channel, through the real Bolt app', () => {
  let slack: RunningSlack;
  let appUrl: string;

  beforeAll(async () => {
    slack = await startSlack(testSlackConfig(fake, SECRET), {
      catalog: fixture(),
      commands: COMMANDS,
      today: () => NOW,
    });
    appUrl = `http://127.0.0.1:${slack.port}/slack/events`;
  });
  afterAll(() => slack?.stop());

  async function type(text: string, command = '/digest'): Promise<void> {
    const request = signedCommand(SECRET, `${fake.url}/response/${fake.responses.length}`, text, command);
    const response = await fetch(appUrl, { method: 'POST', headers: request.headers, body: request.body });
    expect(response.status).toBe(200);
    await response.text();
  }

  it('THEN the answer goes to response_url in the channel, then the chart is uploaded to the channel with its alt text', async () => {
    const answered = fake.nextResponse();
    const uploaded = fake.uploads.at();
    await type('');
    const answer = await answered;
    expect(answer.response_type).toBe('in_channel');
    const file = await uploaded;
    expect(file).toMatchObject({ channel_id: 'C1', filename: chart.name, alt_text: chart.alt });
    expect(file.thread_ts).toBeUndefined();
    expect(file.initial_comment).toMatch(/per month by level/);
    expectPng(file.data, CHART_WIDTH, CHART_HEIGHT);
  });

  it('WHEN Slack refuses the upload (not_in_channel) THEN the answer stands, and nothing else is sent', async () => {
    fake.uploadError = 'not_in_channel';
    const answered = fake.nextResponse();
    const refused = fake.refusedUploads.at();
    const uploads = fake.uploads.items.length;
    await type('');
    expect((await answered).response_type).toBe('in_channel');
    expect(await refused).toBe('files.getUploadURLExternal: not_in_channel');
    expect(fake.uploads.items).toHaveLength(uploads);
  });

  it('WHEN the answer has no chart THEN nothing is uploaded', async () => {
    const uploads = fake.uploads.items.length;
    const refusedBefore = fake.refusedUploads.items.length;
    const answered = fake.nextResponse();
    await type('level:minister', '/lastcontact');
    expect(await answered).toBeDefined();
    // The app has finished this command (stop() waits for answers in flight, and the chart comes before).
    await slack.stop();
    expect(fake.uploads.items).toHaveLength(uploads);
    expect(fake.refusedUploads.items).toHaveLength(refusedBefore);
  });
});
