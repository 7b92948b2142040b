import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/index.js';
import { completer, runConsole } from '../src/console/console.js';
import type { Day } from '../src/core/dates.js';
import { packageRoot } from '../src/dataFiles.js';
import { fixture, type ProcessRun, runProcess, transcript } from './helpers.js';

const _ROOT = packageRoot();
const TMP = mkdtempSync(join(tmpdir(), 'hotline-console-test-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** Runs a program from the repository root with `input` piped to stdin, without chat credentials. */
function runWithInput(command: string, args: string[], input: string): Promise<ProcessRun> {
  return runProcess(command, args, { env: { HOTLINE_HISTORY: join(TMP, 'history') }, input });
}

/** What the console prints, in process, for these lines typed on a scripted (non-interactive) console. */
async function consoleOutput(lines: string[], today: Day): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8').on('data', (chunk: string) => {
    printed += chunk;
  });
  input.end(lines.map((line) => `${line}\n`).join(''));
  await runConsole({ catalog: fixture(), commands: COMMANDS, today: () => today, input, output, interactive: false });
  return printed;
}

describe.concurrent('the console as a process', () => {
  it('answers each piped line in order, skips blank lines and comments, and exits 0', async ({ expect }) => {
    const input = ['/lastcontact level:minister', '', '# a comment', '/lastcontact level:admiral', '/help', ''].join(
      '\n',
    );

    const run = await runWithInput(
      process.execPath,
      ['bin/hotline.js', 'start', '--data', 'tests/fixtures/data', '--now', '2024-06-01'],
      input,
    );

    expect(run.stdout).toBe(
      `${[
        await transcript('/lastcontact level:minister', '2024-06-01'),
        await transcript('/lastcontact level:admiral', '2024-06-01'),
        await transcript('/help', '2024-06-01'),
      ].join('\n\n')}\n`,
    );
    expect(run.stdout.startsWith('Last contact · minister level\n')).toBe(true);
    expect(run.stdout).toContain(
      [
        'As of 1 June 2024 · Record reviewed to 30 June 2024 · 7 events on record',
        '',
        '✗ Could not answer that',
        '───────────────────────',
        'level: "admiral" is not one of leaders, minister, chief-of-defense, theater-commander,',
        'senior-official or working-level.',
        '',
        'Try: /lastcontact level:minister',
        '',
        'Hotline · US–China military contacts, with sources',
      ].join('\n'),
    );
    expect(run.stdout).not.toContain('comment');
    expect(run.stdout).not.toContain('\n\n\n');
    expect(run.stdout).not.toContain('hotline>');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('npm start --silent answers /help from the bundled data, listing every command', async ({ expect }) => {
    const run = await runWithInput('npm', ['start', '--silent'], '/help\n');

    const listed = run.stdout.split('\n').flatMap((line) => /^ {2}• \/(\S+) — /.exec(line)?.[1] ?? []);
    expect(listed).toEqual(COMMANDS.map((c) => c.name));
    expect(run.stdout.split('\n')[0]).toBe('Hotline · US–China military contacts, with sources');
    expect(run.code).toBe(0);
  });
});

describe('runConsole in process', () => {
  it('prints each answer as of the injected today, separated by one blank line', async () => {
    const printed = await consoleOutput(['/channels', '/lastcontat'], '2024-06-01');

    expect(printed).toBe(
      [
        'Dialogue channels · 1 June 2024',
        '───────────────────────────────',
        '1 of 2 channels open as of 1 June 2024.',
        '',
        '  • Defense minister channel: open since 16 April 2024 (resumed); last contact 31 May 2024',
        '  • Military Maritime Consultative Agreement (MMCA): agreed on 15 November 2023; last contact',
        '    November 2023',
        '',
        'One channel in full: /channels <name>',
        '',
        'Sources:',
        '[1] Fixture source D — Example',
        '    https://example.org/d',
        '[2] Fixture US readout — U.S. Department of Defense, 16 April 2024, US official readout',
        '    https://example.org/us-readout',
        '[3] Fixture PRC readout — PRC Ministry of National Defense, 17 April 2024, PRC official readout',
        '    https://example.org/prc-readout',
        '',
        'As of 1 June 2024 · Record reviewed to 30 June 2024',
        '',
        '✗ Could not answer that',
        '───────────────────────',
        'There is no command /lastcontat. Did you mean /lastcontact? Commands: /lastcontact, /digest,',
        '/timeline, /event, /channels, /search, /export, /subscribe, /unsubscribe, /digest-schedule, /drafts',
        'or /help.',
        '',
        'Try: /lastcontact',
        '',
      ].join('\n'),
    );
  });

  it('answers as of the day today() returns: a year earlier, the last minister-level contact is older', async () => {
    const printed = await consoleOutput(['/lastcontact level:minister'], '2023-06-01');

    expect(printed.split('\n').slice(0, 3)).toEqual([
      'Last contact · minister level',
      '─────────────────────────────',
      '10 June 2022 — 11 months ago (356 days)',
    ]);
  });

  it('stops at exit and leaves the lines after it unanswered', async () => {
    const printed = await consoleOutput(['/help topics', 'exit', '/help'], '2024-06-01');

    expect(printed).toBe(
      [
        'Topics',
        '────────────────────',
        '  • crisis-communications — Crisis communications',
        '  • south-china-sea — South China Sea',
        '  • taiwan — Taiwan',
        '',
      ].join('\n'),
    );
  });
});

describe('completer', () => {
  const complete = completer(fixture(), COMMANDS);

  it('completes a command name with a trailing space', async () => {
    expect(complete('/las')).toEqual([['/lastcontact '], '/las']);
  });

  it('offers every command when nothing is typed yet', async () => {
    expect(complete('')).toEqual([COMMANDS.map((c) => `/${c.name} `), '']);
  });

  it('completes an option name with its colon', async () => {
    expect(complete('/lastcontact lev')).toEqual([['level:'], 'lev']);
  });

  it('completes an option value from its choices', async () => {
    expect(complete('/lastcontact level:mi')).toEqual([['level:minister'], 'level:mi']);
  });

  it('offers people from the catalog, quoted when the name has a space', async () => {
    expect(complete('/lastcontact person:Do')).toEqual([['person:"Dong Jun"'], 'person:Do']);
  });

  it('keeps what was typed: names starting with it first, and a quoted value with a space goes on', async () => {
    expect(complete('/lastcontact person:Li')).toEqual([['person:"Li Shangfu"', 'person:"Li Zuocheng"'], 'person:Li']);
    expect(complete('/lastcontact person:"Dong J')).toEqual([['person:"Dong Jun"'], 'person:"Dong J']);
  });

  it('offers nothing for an unknown command or an unknown person', async () => {
    expect(complete('/nosuch lev')).toEqual([[], 'lev']);
    expect(complete('/lastcontact person:zz')).toEqual([[], 'person:zz']);
  });
});
