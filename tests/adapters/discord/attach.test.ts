// Charts attached on Discord: the real DiscordPoster and the real discord.js client against the fake Discord,
// which reads multipart requests (payload_json and files[n]). The chart goes in the same message, shown in its
// last embed, with its alt text as the attachment's description; a refused file never costs the message.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningDiscord, startDiscord } from '../../../src/adapters/discord/index.js';
import { ATTACHMENT_LIMITS, DiscordPoster, discordRest } from '../../../src/adapters/discord/poster.js';
import { CHART_HEIGHT, CHART_WIDTH, chartFile } from '../../../src/charts/contactsChart.js';
import { defineCommand } from '../../../src/core/command.js';
import type { PostFile } from '../../../src/core/poster.js';
import type { Reply } from '../../../src/core/reply.js';
import type { LogLevelName } from '../../../src/logging.js';
import { CHANNEL, type FakeDiscord, type ReceivedFile, startFakeDiscord } from '../../fakes/discord.js';
import { fixture, runCommand } from '../../helpers.js';
import { expectPng } from '../png.js';

const NOW = '2024-06-01';
const MISSING_PERMISSIONS = { status: 403, code: 50013, message: 'Missing Permissions' };

let fake: FakeDiscord;
let digest: Reply;
let chart: PostFile;

beforeAll(async () => {
  fake = await startFakeDiscord();
  digest = await runCommand('/digest', NOW, fixture());
  const drawn = await chartFile(digest);
  if (!drawn.file) throw new Error(`the chart could not be drawn: ${drawn.error}`);
  chart = drawn.file;
});

afterAll(() => fake?.close());

beforeEach(() => {
  fake.refuseFiles = undefined;
});

/** The embeds of a message body, with the image Hotline may set. */
const embedsOf = (body: Record<string, unknown>) => body.embeds as { title?: string; image?: { url: string } }[];

/** Checks a message body and its files: the chart as files[0], described, and shown in the last embed. */
function expectChartAttached(body: Record<string, unknown>, files: ReceivedFile[] | undefined): void {
  expect(files).toHaveLength(1);
  const [file] = files ?? [];
  expect(file).toMatchObject({ field: 'files[0]', name: chart.name });
  expectPng(file?.data ?? Buffer.alloc(0), CHART_WIDTH, CHART_HEIGHT);
  // Each attachment's id is the n of its files[n] field (discord.js sends it as a string, the poster as a number).
  const attachments = body.attachments as { id: number | string; description?: string }[];
  expect(attachments.map((a) => ({ id: String(a.id), description: a.description }))).toEqual([
    { id: '0', description: chart.alt },
  ]);
  expect(chart.alt).toMatch(/per month by level/);
  const embeds = embedsOf(body);
  expect(embeds.at(-1)?.image).toEqual({ url: `attachment://${chart.name}` });
  expect(embeds.slice(0, -1).every((e) => e.image === undefined)).toBe(true);
}

/** A poster on the fake, and the lines it logged. */
function poster(): { poster: DiscordPoster; logged: string[] } {
  const logged: string[] = [];
  const log = (level: LogLevelName, message: string) => logged.push(`${level}: ${message}`);
  const rest = discordRest('test-token', { apiUrl: fake.apiUrl, retries: 0, timeoutMs: 5000 });
  return { poster: new DiscordPoster(rest, log), logged };
}

describe('GIVEN the DiscordPoster posts a digest with its chart', () => {
  it('THEN one multipart message carries the embeds and the PNG, described and shown in the last embed', async () => {
    const { poster: discord, logged } = poster();
    const created = fake.messages.at();
    const result = await discord.post(CHANNEL, digest, { files: [chart] });
    const message = await created;
    expect(result).toEqual({ ok: true, messageId: message.id });
    expect(message.channel).toBe(CHANNEL);
    expect(message.body.allowed_mentions).toEqual({ parse: [] });
    expectChartAttached(message.body, message.files);
    expect(logged).toEqual([]);
  });

  it('WHEN the channel refuses files (no Attach Files) THEN the message is posted without them, and that is logged', async () => {
    fake.refuseFiles = MISSING_PERMISSIONS;
    const { poster: discord, logged } = poster();
    const refused = fake.refused.at();
    const created = fake.messages.at();
    const result = await discord.post(CHANNEL, digest, { files: [chart] });
    expect(await refused).toBe(`POST /api/v10/channels/${CHANNEL}/messages`);
    const message = await created;
    expect(result).toEqual({ ok: true, messageId: message.id });
    expect(message.files).toEqual([]);
    expect(message.body.attachments).toBeUndefined();
    expect(embedsOf(message.body).every((e) => e.image === undefined)).toBe(true);
    expect(logged).toEqual([
      expect.stringMatching(/^warn: .*refused the message with its files \(403 50013.*without them/),
    ]);
  });

  it('WHEN given more files than Discord takes THEN the first ten go, and the rest are logged as left out', async () => {
    const { poster: discord, logged } = poster();
    const created = fake.messages.at();
    const many = Array.from({ length: 11 }, (_, i) => ({ ...chart, name: `chart-${i}.png` }));
    expect((await discord.post(CHANNEL, digest, { files: many })).ok).toBe(true);
    const message = await created;
    expect(message.files.map((f) => f.name)).toEqual(many.slice(0, ATTACHMENT_LIMITS.files).map((f) => f.name));
    expect(logged).toEqual([expect.stringMatching(/chart-10\.png: more than 10 files/)]);
  });
});

describe('GIVEN /digest typed in a Discord channel, through the real discord.js client', () => {
  let discord: RunningDiscord;
  // The gate /helddigest waits at; each test closes it before typing the command and opens it with release().
  let gate: Promise<void> = Promise.resolve();
  let release: () => void = () => {};
  const closeGate = () => {
    gate = new Promise<void>((resolve) => {
      release = resolve;
    });
  };
  const digestCommand = COMMANDS.find((c) => c.name === 'digest');
  if (!digestCommand) throw new Error('no /digest command');
  // /digest held until the test lets it go: its answer is late, so the reply is deferred first, for certain.
  const held = defineCommand({
    ...digestCommand,
    name: 'helddigest',
    run: async (ctx) => {
      await gate;
      return digestCommand.run(ctx);
    },
  });

  beforeAll(async () => {
    discord = await startDiscord(
      { token: 'test-token', apiUrl: fake.apiUrl, retries: 0, logLevel: 'error', deferAfterMs: 200 },
      { catalog: fixture(), commands: [...COMMANDS, held], today: () => NOW },
    );
  });
  afterAll(() => discord?.stop());

  it('THEN the reply carries the chart, described and shown in the last embed', async () => {
    const callback = await fake.interact(2, 'digest', []);
    // Answered directly or deferred, depending on how long the drawing took: either way the chart arrives.
    if (callback.type === 5) {
      const edit = await fake.nextEdit();
      expectChartAttached(edit.body, edit.files);
    } else {
      expect(callback.type).toBe(4);
      expectChartAttached(callback.data, callback.files);
    }
  });

  it('WHEN the answer is late THEN the reply is deferred first, and the edit that answers carries the chart', async () => {
    closeGate();
    const id = fake.send(2, 'helddigest', []);
    const deferred = await fake.callbackFor(id);
    expect(deferred.type).toBe(5);
    const edited = fake.nextEdit();
    release();
    const edit = await edited;
    expect(edit.token).toBe(`interaction-token-${id}`);
    expectChartAttached(edit.body, edit.files);
  });

  it('WHEN Discord refuses the file THEN the answer is sent without it', async () => {
    fake.refuseFiles = { status: 400, code: 50035, message: 'Invalid Form Body' };
    closeGate();
    const id = fake.send(2, 'helddigest', []);
    expect((await fake.callbackFor(id)).type).toBe(5);
    const refused = fake.refused.at();
    const edited = fake.nextEdit();
    release();
    expect(await refused).toMatch(/^PATCH .*messages\/(@|%40)original/);
    const edit = await edited;
    expect(edit.files).toBeUndefined();
    expect(JSON.stringify(edit.body.embeds)).toContain('Digest');
    expect(embedsOf(edit.body).every((e) => e.image === undefined)).toBe(true);
  });
});
