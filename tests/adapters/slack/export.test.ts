// /export on Slack, through the real Bolt app against the fake Slack: the answer goes privately to response_url,
// then the file is uploaded into the asker's direct message with the bot (conversations.open + files.uploadV2),
// and parsed back; bad words get the usual answer and no file; a refused upload is told to the asker.
import ICAL from 'ical.js';
import Papa from 'papaparse';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { type RunningSlack, startSlack } from '../../../src/adapters/slack/index.js';
import { signedCommand } from '../../fakes/http.js';
import { type FakeSlack, startFakeSlack, testSlackConfig } from '../../fakes/slack.js';
import { fixture } from '../../helpers.js';

const SECRET = 'test-signing-secret';
const NOW = '2024-06-30';

let fake: FakeSlack;
let slack: RunningSlack;
let appUrl: string;

beforeAll(async () => {
  fake = await startFakeSlack();
  slack = await startSlack(testSlackConfig(fake, SECRET), { catalog: fixture(), commands: COMMANDS, today: () => NOW });
  appUrl = `http://127.0.0.1:${slack.port}/slack/events`;
});
afterAll(async () => {
  await slack?.stop();
  fake?.close();
});
beforeEach(() => {
  fake.openError = undefined;
  fake.uploadError = undefined;
});

/** Types `text` after `command` as user U1 in channel C1; resolves once Bolt has acknowledged it. */
async function type(text: string, command = '/export'): Promise<void> {
  const request = signedCommand(SECRET, `${fake.url}/response/${fake.responses.length}`, text, command);
  const response = await fetch(appUrl, { method: 'POST', headers: request.headers, body: request.body });
  expect(response.status).toBe(200);
  await response.text();
}

/** The plain text of a response_url answer's blocks. */
const textOf = (answer: Record<string, unknown>) => JSON.stringify(answer.blocks);

describe('GIVEN /export typed in a Slack channel', () => {
  it('WHEN csv with filters THEN the answer is private, and the CSV goes to the asker’s DM: BOM, 董军 intact, one row per event', async () => {
    const answered = fake.nextResponse();
    const opened = fake.opened.at();
    const uploaded = fake.uploads.at();
    await type('csv person:"Dong Jun"');
    const answer = await answered;
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe('Export: 3 events (Dong Jun) as CSV (opens in a spreadsheet).');
    expect(await opened).toBe('U1');
    const file = await uploaded;
    expect(file).toMatchObject({
      channel_id: 'DU1',
      filename: 'hotline-events-person-dong-jun.csv',
      title: 'Export · CSV · 3 events',
      alt_text: 'Hotline export: 3 events (Dong Jun) as CSV (opens in a spreadsheet)',
    });
    expect(file.thread_ts).toBeUndefined();
    const text = file.data.toString('utf8');
    expect(text.startsWith('\uFEFFid,date,')).toBe(true);
    const parsed = Papa.parse<string[]>(text.slice(1), { newline: '\r\n', skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data.slice(1).map((row) => row[0])).toEqual([
      '2024-06-20-planned-talks',
      '2024-05-31-austin-dong-meeting',
      '2024-04-16-austin-dong-video-call',
    ]);
    expect(parsed.data[1]?.join(',')).toContain('Dong Jun 董军 (Minister of National Defense, PRC)');
  });

  it('WHEN ics through /hotline export THEN the calendar in the DM parses with ical.js, one VEVENT per event', async () => {
    const uploaded = fake.uploads.at();
    await type('export ics level:minister', '/hotline');
    const file = await uploaded;
    expect(file.filename).toBe('hotline-events-level-minister.ics');
    const calendar = new ICAL.Component(ICAL.parse(file.data.toString('utf8')));
    const uids = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c).uid);
    const expected = fixture()
      .events.filter((e) => e.level === 'minister')
      .map((e) => `${e.id}@hotline`);
    expect(uids.sort()).toEqual(expected.sort());
  });

  it.each([
    ['xls', 'file: \\"xls\\" is not one of csv, json, ics or atom. Did you mean ics?'],
    ['', '/export needs the kind of file: csv (spreadsheet), json, ics (calendar) or atom (feed).'],
    ['csv levle:minister', '/export has no option \\"levle\\". Did you mean level:?'],
    ['ics since:2099-01-01', 'since: 1 January 2099 is after 30 June 2024; the range must start before it ends.'],
  ])('WHEN the words are %j THEN the usual clear answer, privately, and no file', async (words, message) => {
    const uploads = fake.uploads.items.length;
    const opened = fake.opened.items.length;
    const answered = fake.nextResponse();
    await type(words);
    const answer = await answered;
    expect(answer.response_type).toBe('ephemeral');
    expect(textOf(answer)).toContain(message);
    expect(textOf(answer)).toContain('Try: /export ');
    // A later command's answer proves this one is finished: still no DM and no upload.
    const next = fake.nextResponse();
    await type('', '/help');
    await next;
    expect(fake.uploads.items).toHaveLength(uploads);
    expect(fake.opened.items).toHaveLength(opened);
  });

  it('WHEN Slack refuses the DM (missing_scope: the app lacks im:write) THEN the asker is told, privately, after the answer', async () => {
    fake.openError = 'missing_scope';
    const uploads = fake.uploads.items.length;
    const answered = fake.nextResponse();
    await type('json taiwan');
    expect((await answered).text).toMatch(/^Export: 3 events \(Taiwan\) as JSON/);
    const sorry = await fake.nextResponse();
    expect(sorry.response_type).toBe('ephemeral');
    expect(textOf(sorry)).toContain('The file could not be sent');
    // Slack's error as the renderer escapes outside text: "_" would start italics, so it shows as "ˍ".
    expect(sorry.text).toBe(
      'The file could not be sent to you: Slack refused it (conversations.open: forbidden: missingˍscope (needed: im:write) (add the im:write scope and reinstall the app)). The answer above says how to export the same events from the command line.',
    );
    expect(fake.uploads.items).toHaveLength(uploads);
  });
});
