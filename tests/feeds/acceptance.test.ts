// Issue 15's acceptance, as a person does it, from a feed item to a notice: a local feed carries a new Hegseth–
// Dong Jun call readout; `hotline feeds check --once` makes one draft (date, both participants and titles, kind
// call, level minister); `hotline drafts approve 1` publishes it; a console subscribed to minister-level events,
// on the same state, shows the notice.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate, shiftDays, utcToday } from '../../src/core/dates.js';
import { killConsoles, openConsole, runProcess, until } from '../helpers.js';
import { READOUT_ARTICLE_PATH, READOUT_FEED_PATH, READOUT_TITLE, serveReadout } from './readout.js';
import { type FeedServer, startFeedServer } from './server.js';

// The watcher reads items of the last 30 days only, so the item is dated from today: published today, the call
// yesterday.
const today = utcToday(new Date());
const callDay = shiftDays(today, -1);
const tmp = mkdtempSync(join(tmpdir(), 'hotline-acceptance15-'));
const stateFile = join(tmp, 'state.db');
const feedsFile = join(tmp, 'feeds.yaml');
let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer();
  serveReadout(server, { published: today, call: callDay });
  writeFileSync(
    feedsFile,
    `- name: "Local releases"\n  url: "${server.base}${READOUT_FEED_PATH}"\n  kind: rss\n  side: US\n  language: en\n  confirmed: false\n`,
  );
});
afterAll(async () => {
  killConsoles();
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** `hotline …` on the state file, as the brief gives it: `--state` on the command line, nothing in the environment. */
const hotline = (...args: string[]) =>
  runProcess(process.execPath, ['bin/hotline.js', ...args, '--state', `sqlite:${stateFile}`]);

describe('issue 15, acceptance: a feed item becomes a published event, in the CLI and the console', () => {
  it('feeds check makes one draft; drafts show gives its fields; drafts approve publishes it; the subscribed console shows the notice', async () => {
    // An analyst subscribed beforehand: the console reads the same state through STATE_URL.
    const analyst = openConsole({ STATE_URL: `sqlite:${stateFile}` });
    analyst.type('/subscribe level:minister');
    await until('the subscription', () => analyst.output().includes('Subscribed (#1)'));

    const check = await hotline('feeds', 'check', '--once', '--feeds', feedsFile);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    expect(check.stdout).toBe(
      [
        'Local releases: 1 new item of 1; 1 draft created, 0 joined',
        `  draft #1 created: ${callDay} · call · minister · Pete Hegseth (Secretary of Defense, US) and Dong Jun (Minister of National Defense, PRC)`,
        '1 source polled: 1 new item, 1 draft created, 0 joined, 0 errors.',
        '',
      ].join('\n'),
    );

    const show = await hotline('drafts', 'show', '1');
    expect(show.stderr).toBe('');
    expect(show.code).toBe(0);
    // The contact's day (not the publication's), both ministers with their titles on that day, call, minister;
    // nothing to fix before it can be approved.
    expect(show.stdout).toBe(
      [
        `Draft #1 (pending): call, ${callDay}`,
        '────────────────────────────────────',
        `Date:         ${callDay} (85%)`,
        'Kind:         call (90%)',
        'Format:       phone (80%)',
        'Level:        minister (90%)',
        'Participants: Pete Hegseth, Secretary of Defense (US); Dong Jun, Minister of National Defense (PRC)',
        '              (90%)',
        'Mechanisms:   defense-minister-channel (50%)',
        'Topics:       — (0%)',
        `Event id:     ${callDay}-hegseth-dong-call`,
        '',
        'Summary: Pete Hegseth (Secretary of Defense) and Dong Jun (Minister of National Defense) held a call',
        '(phone).',
        '',
        'Why it reads as a contact:',
        '  • US: military (pete-hegseth, "Secretary of War")',
        '  • PRC: military (dong-jun, "Minister of National Defense")',
        '  • contact: "Call With", "spoke by phone"',
        '',
        'Sources:',
        `[1] ${READOUT_TITLE.replace(' Minister of National Defense', ' Minister of\n    National Defense')} — Local releases, ${formatDate(today)}`,
        `    ${server.base}${READOUT_ARTICLE_PATH}`,
        '',
        'Draft #1 · from Local releases · 1 item',
        '',
      ].join('\n'),
    );

    const approved = await hotline('drafts', 'approve', '1', '--by', 'editor-a');
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain(`Draft #1 (approved): call, ${callDay}`);
    expect(approved.stdout).toMatch(
      new RegExp(
        `Approved by editor-a at 20\\d\\d-\\d\\d-\\d\\dT[\\d:.]+Z: published as ${callDay}-hegseth-dong-call\\.`,
      ),
    );

    const footer = `Subscription #1 · /event ${callDay}-hegseth-dong-call · /subscribe list`;
    await until('the notice', () => analyst.output().includes(footer));
    const output = analyst.output();
    expect(output.slice(output.indexOf('New: Call:'), output.indexOf(footer) + footer.length)).toBe(
      [
        'New: Call: Pete Hegseth – Dong Jun',
        '──────────────────────────────────',
        formatDate(callDay),
        '',
        'Who:   Pete Hegseth (Secretary of Defense, US); Dong Jun (Minister of National Defense, PRC)',
        'How:   call',
        'Where: not reported',
        'Level: minister',
        '',
        'Pete Hegseth (Secretary of Defense) and Dong Jun (Minister of National Defense) held a call (phone).',
        '',
        'Sources:',
        `[1] ${READOUT_TITLE.replace(' Minister of National Defense', ' Minister of\n    National Defense')} — Local releases, ${formatDate(today)}`,
        `    ${server.base}${READOUT_ARTICLE_PATH}`,
        '',
        footer,
      ].join('\n'),
    );
    // One notice, for the one event.
    expect(output.split('New: Call:').length).toBe(2);
    await analyst.close();
  });
});
