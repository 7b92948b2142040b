// Issue 15's round trip without a platform: a draft in state, `hotline drafts approve` in another shell, the
// notice in a console subscribed to minister-level events; refusals change nothing; export gives data/'s YAML.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDataDir, readDataFiles } from '../../src/dataFiles.js';
import { draftBook } from '../../src/drafts/book.js';
import { checkIngest } from '../../src/events/ingest.js';
import { lastSeq } from '../../src/events/log.js';
import { openState, type State } from '../../src/state/index.js';
import { bundled, killConsoles, openConsole, runProcess, until } from '../helpers.js';
import { HEGSETH_DONG_CALL, proposalOf } from './fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'hotline-drafts-cli-'));
const STATE_URL = `sqlite:${join(tmp, 'state.db')}`;
const env = { STATE_URL };
afterAll(() => {
  killConsoles();
  rmSync(tmp, { recursive: true, force: true });
});

const hotline = (...args: string[]) => runProcess(process.execPath, ['bin/hotline.js', ...args], { env });

/** The store at `url` holding the pending draft of HEGSETH_DONG_CALL, as `hotline feeds check` leaves one. */
async function storeWithDraft(url: string): Promise<State> {
  const catalog = bundled();
  const state = await openState(url);
  await draftBook(state).propose(proposalOf(HEGSETH_DONG_CALL, catalog), catalog, '2026-06-02T12:00:00.000Z');
  return state;
}

beforeAll(async () => {
  await (await storeWithDraft(STATE_URL)).close();
});

describe('hotline drafts', () => {
  it('lists and shows the pending draft with its fields, confidences and source', async () => {
    const list = await hotline('drafts', 'list');
    expect(list.stderr).toBe('');
    expect(list.stdout).toBe(
      [
        'Drafts pending: 1',
        '────────────────────',
        `  • #1 2026-06-02 · call · minister · Pete Hegseth, Dong Jun — Readout of Secretary of War Pete`,
        "    Hegseth's Call With People's Republic of China Minister of National Defense Adm. Dong Jun",
        '',
        '/drafts show N for a draft’s card',
        '',
      ].join('\n'),
    );
    const show = await hotline('drafts', 'show', '1');
    expect(show.code).toBe(0);
    expect(show.stdout).toBe(
      [
        'Draft #1 (pending): call, 2026-06-02',
        '────────────────────────────────────',
        'Date:         2026-06-02 (70%)',
        'Kind:         call (90%)',
        'Format:       phone (80%)',
        'Level:        minister (90%)',
        'Participants: Pete Hegseth, Secretary of Defense (US); Dong Jun, Minister of National Defense (PRC)',
        '              (90%)',
        'Mechanisms:   defense-minister-channel (50%)',
        'Topics:       — (0%)',
        'Event id:     2026-06-02-hegseth-dong-call',
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
        "[1] Readout of Secretary of War Pete Hegseth's Call With People's Republic of China Minister of",
        '    National Defense Adm. Dong Jun — U.S. Department of War, 2 June 2026, US official readout',
        `    ${HEGSETH_DONG_CALL.url}`,
        '',
        'Draft #1 · from war.gov releases · 1 item',
        '',
      ].join('\n'),
    );
  });

  it('refuses an edit the schema refuses, naming the field and the reason, and the draft stays as it was', async () => {
    const before = await hotline('drafts', 'show', '1');
    const refused = await hotline('drafts', 'edit', '1', 'level=emperor');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      'hotline: Not saved: level: "emperor" is not one of leaders, minister, chief-of-defense, theater-commander, senior-official, working-level. Draft #1 is as it was.\n',
    );
    const noReason = await hotline('drafts', 'reject', '1', '--reason', ' ');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toBe('hotline: Give a reason with --reason: why this draft is not an event to publish.\n');
    expect((await hotline('drafts', 'show', '1')).stdout).toBe(before.stdout);
  });

  it('approve publishes the event: a console subscribed to minister-level events shows the notice; export gives YAML data/ accepts', async () => {
    const console = openConsole(env, ['--now', '2026-06-03']);
    console.type('/subscribe level:minister');
    await until('the subscription', () => console.output().includes('Subscribed (#1)'));
    // The console is the same flow: whoever runs it is an editor.
    console.type('/drafts');
    await until('the list', () => console.output().includes('Drafts pending: 1'));
    expect(console.output()).toContain(
      '• #1 2026-06-02 · call · minister · Pete Hegseth, Dong Jun — Readout of Secretary',
    );

    const approved = await hotline('drafts', 'approve', '1', '--by', 'editor-a');
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('Draft #1 (approved): call, 2026-06-02');
    expect(approved.stdout).toMatch(
      /Approved by editor-a at 20\d\d-\d\d-\d\dT[\d:.]+Z: published as 2026-06-02-hegseth-dong-call\./,
    );

    await until('the notice', () => console.output().includes('New: Call: Pete Hegseth'));
    expect(console.output()).toContain('Subscription #1 · /event 2026-06-02-hegseth-dong-call');

    const again = await hotline('drafts', 'approve', '1');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^hotline: Draft #1 was approved already by editor-a at .*; nothing was changed\./);

    const exported = await hotline('drafts', 'export');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(
      '# events/2026.yaml\n# draft #1 approved by editor-a\n- id: 2026-06-02-hegseth-dong-call\n',
    );
    expect(exported.stdout).toContain('  date: "2026-06-02"\n');
    const checked = checkIngest(readDataFiles(defaultDataDir()), { path: 'export.yaml', text: exported.stdout });
    expect(checked.ok && checked.events.map((e) => e.id)).toEqual(['2026-06-02-hegseth-dong-call']);
    await console.close();
  });

  it('a refused approve or merge into a store nothing was published to publishes nothing: not data/ either', async () => {
    const fresh = { STATE_URL: `sqlite:${join(tmp, 'refused.db')}` };
    const state = await storeWithDraft(fresh.STATE_URL);
    for (const args of [
      ['approve', '99'],
      ['merge', '99', '2025-09-09-hegseth-dong-video-call'],
      ['merge', '1', '2025-09-09-no-such-event'],
    ]) {
      const refused = await runProcess(process.execPath, ['bin/hotline.js', 'drafts', ...args], { env: fresh });
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(await lastSeq(state)).toBe(0);
    }
    await state.close();
  });

  it('merge from the command line into a store nothing was published to: data/ first, and the first start keeps the merged source', async () => {
    const fresh = { STATE_URL: `sqlite:${join(tmp, 'fresh.db')}` };
    await (await storeWithDraft(fresh.STATE_URL)).close();
    const event = '2025-09-09-hegseth-dong-video-call';
    const merged = await runProcess(process.execPath, ['bin/hotline.js', 'drafts', 'merge', '1', event], {
      env: fresh,
    });
    expect(merged.code).toBe(0);
    const started = await runProcess(process.execPath, ['bin/hotline.js', 'start', '--now', '2026-06-03'], {
      env: fresh,
      input: `/event ${event}\n`,
    });
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(HEGSETH_DONG_CALL.url);
    expect(merged.stdout.split('\n')[0]).toBe(
      `this store's event log was empty: published the ${bundled().count} events of data first, as a bot's first start would`,
    );
  });
});
