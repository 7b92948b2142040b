// /export on Discord, through the real discord.js client against the fake Discord: the file is attached to the
// ephemeral answer (only the asker sees either), and parsed back; bad options get the usual answer and no file;
// a refused file is said in the answer. The command is registered with the others, its file a choice.
import { XMLValidator } from 'fast-xml-parser';
import Papa from 'papaparse';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningDiscord, startDiscord } from '../../../src/adapters/discord/index.js';
import { registrationPayload } from '../../../src/adapters/discord/register.js';
import { type Callback, type FakeDiscord, startFakeDiscord } from '../../fakes/discord.js';
import { fixture } from '../../helpers.js';

const NOW = '2024-06-30';
const EPHEMERAL = 64;

let fake: FakeDiscord;
let discord: RunningDiscord;

beforeAll(async () => {
  fake = await startFakeDiscord();
  discord = await startDiscord(
    { token: 'test-token', apiUrl: fake.apiUrl, retries: 0, logLevel: 'error' },
    { catalog: fixture(), commands: COMMANDS, today: () => NOW },
  );
});
afterAll(async () => {
  await discord?.stop();
  await fake?.close();
});
beforeEach(() => {
  fake.refuseFiles = undefined;
});

/** The answer's text: its embeds' titles and descriptions. */
const textOf = (callback: Callback) => JSON.stringify(callback.data.embeds);

/** An interaction's answer, waiting for the edit where it was deferred (a busy machine). */
async function answerTo(options: Record<string, unknown>[]): Promise<Callback> {
  const callback = await fake.interact(2, 'export', options);
  if (callback.type !== 5) return callback;
  const edit = await fake.nextEdit();
  return { type: 4, data: { ...edit.body, flags: EPHEMERAL }, ...(edit.files ? { files: edit.files } : {}) };
}

const option = (name: string, value: string) => ({ name, type: 3, value });

describe('GIVEN /export on Discord', () => {
  it('THEN it is registered with the others: the kind of file required first, a choice of four', () => {
    const registered = registrationPayload(COMMANDS).find((c) => c.name === 'export');
    expect(registered?.options?.[0]).toMatchObject({
      name: 'file',
      type: 3,
      required: true,
      choices: ['csv', 'json', 'ics', 'atom'].map((value) => ({ name: value, value })),
    });
  });

  it('WHEN file:csv with person:"Dong Jun" THEN the CSV is attached to an ephemeral answer, 董军 intact', async () => {
    const callback = await answerTo([option('file', 'csv'), option('person', 'Dong Jun')]);
    expect(callback.type).toBe(4);
    expect(Number(callback.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(textOf(callback)).toContain('3 events (Dong Jun) as CSV');
    expect(callback.files?.map((f) => f.name)).toEqual(['hotline-events-person-dong-jun.csv']);
    const text = callback.files?.[0]?.data.toString('utf8') ?? '';
    expect(text.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(text.slice(1), { newline: '\r\n', skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(4);
    expect(parsed.data[1]?.join(',')).toContain('Dong Jun 董军');
    // A loose file, not an image shown in the embed.
    expect(JSON.stringify(callback.data.embeds)).not.toContain('attachment://');
    expect(callback.data.attachments).toEqual([
      { id: '0', description: 'Hotline export: 3 events (Dong Jun) as CSV (opens in a spreadsheet)' },
    ]);
  });

  it('WHEN file:atom with a topic THEN the feed attached is well-formed XML', async () => {
    const callback = await answerTo([option('file', 'atom'), option('topic', 'taiwan')]);
    const xml = callback.files?.[0]?.data.toString('utf8') ?? '';
    expect(callback.files?.[0]?.name).toBe('hotline-events-taiwan.atom');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.match(/<entry>/g)).toHaveLength(3);
  });

  it.each([
    [[option('file', 'xls')], 'file: \\"xls\\" is not one of csv, json, ics or atom.'],
    [[option('file', 'ics'), option('since', '2099-01-01')], 'since: 1 January 2099 is after 30 June 2024'],
    [[option('file', 'csv'), option('level', 'admiral')], 'level: \\"admiral\\" is not one of'],
  ])('WHEN the options are %j THEN the usual clear answer, privately, and no file', async (options, message) => {
    const callback = await answerTo(options);
    expect(Number(callback.data.flags) & EPHEMERAL).toBe(EPHEMERAL);
    expect(textOf(callback)).toContain(message);
    expect(callback.files).toBeUndefined();
  });

  it('WHEN Discord refuses the file THEN the answer comes without it, and says so', async () => {
    fake.refuseFiles = { status: 413, code: 40005, message: 'Request entity too large' };
    const refused = fake.refused.at();
    const id = fake.send(2, 'export', [option('file', 'json')]);
    expect(await refused).toMatch(/^POST .*interactions\/\d+\/.*\/callback/);
    const callback = await fake.callbackFor(id);
    expect(callback.files).toBeUndefined();
    expect(textOf(callback)).toContain('Discord refused the file (Request entity too large)');
    expect(textOf(callback)).toContain('hotline export --format json');
  });
});
