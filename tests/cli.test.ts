// The `hotline` command as a person runs it: real processes, real data folders, exit codes and output.

import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { COMMANDS } from '../commands/index.js';
import { renderDiscord } from '../src/adapters/discord/render.js';
import { packageRoot } from '../src/dataFiles.js';
import { startFakeDiscord } from './fakes/discord.js';
import { postSlashCommand, slackSignature } from './fakes/http.js';
import {
  FIXTURE_DIR,
  fixture,
  type ProcessRun,
  personEnv,
  runCommand,
  runProcess,
  runTracingLoads,
} from './helpers.js';
import { signal } from './until.js';

const ROOT = packageRoot();
const TMP = mkdtempSync(join(tmpdir(), 'hotline-cli-test-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

/** The environment of a person with no chat credentials and a history file in a temp folder. */
let states = 0;
/** The environment of a person with no chat variables, and a state file of this run's own. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return personEnv({
    HOTLINE_HISTORY: join(TMP, 'history'),
    STATE_URL: `sqlite:${join(TMP, `state-${++states}.db`)}`,
    ...extra,
  });
}

/** Runs `node bin/hotline.js …` from the repository root, with stdin closed, and collects what it printed. */
function hotline(args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  return runProcess(process.execPath, ['bin/hotline.js', ...args], {
    env: { HOTLINE_HISTORY: join(TMP, 'history'), ...env },
  });
}

const ASK_MINISTER = ['ask', '/lastcontact level:minister', '--now', '2024-06-01', '--data', 'tests/fixtures/data'];

describe.concurrent('hotline ask', () => {
  it('prints the latest minister-level contact with its date, participants, previous contact and sources', async ({
    expect,
  }) => {
    const run = await hotline(ASK_MINISTER);

    expect(run.stdout).toBe(
      [
        'Last contact · minister level',
        '─────────────────────────────',
        '31 May 2024 — 1 day ago',
        '',
        'Fixture meeting in Singapore, the second.',
        '',
        'Who:    Lloyd Austin (Secretary of Defense, US); Dong Jun (Minister of National Defense, PRC)',
        'How:    meeting, in person',
        'Where:  Singapore',
        'Level:  minister',
        'Topics: South China Sea',
        '',
        'Channel now:',
        '  • Defense minister channel: open since 16 April 2024 (resumed); last contact 31 May 2024',
        '',
        'Previous minister-level contact: 16 April 2024 — Video call: Lloyd Austin – Dong Jun, 45 days',
        'earlier. /event 2024-04-16-austin-dong-video-call',
        '',
        'Full record: /event 2024-05-31-austin-dong-meeting',
        '',
        'Sources:',
        '[1] Fixture second meeting report — Example News',
        '    https://example.org/meeting-2',
        '',
        'As of 1 June 2024 · Record reviewed to 30 June 2024 · 7 events on record',
        '',
      ].join('\n'),
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('prints the same answer as a JSON Reply document with --format json', async ({ expect }) => {
    const run = await hotline([...ASK_MINISTER, '--format', 'json']);

    const reply = JSON.parse(run.stdout);
    expect(reply.tone).toBe('answer');
    expect(reply.title).toBe('Last contact · minister level');
    expect(reply.blocks.map((b: { type: string }) => b.type)).toEqual([
      'text',
      'text',
      'fields',
      'list',
      'text',
      'text',
    ]);
    expect(reply.blocks[0]).toEqual({ type: 'text', text: '31 May 2024 — 1 day ago' });
    expect(reply.blocks[2].fields[0]).toEqual({
      label: 'Who',
      value: 'Lloyd Austin (Secretary of Defense, US); Dong Jun (Minister of National Defense, PRC)',
    });
    expect(reply.sources).toHaveLength(1);
    expect(reply.sources[0]).toStrictEqual({
      title: 'Fixture second meeting report',
      publisher: 'Example News',
      url: 'https://example.org/meeting-2',
    });
    expect(reply.footer).toBe('As of 1 June 2024 · Record reviewed to 30 June 2024 · 7 events on record');
    expect(reply.fallbackText).toBe('Meeting: Lloyd Austin – Dong Jun on 31 May 2024, 1 day ago.');
    expect(run.code).toBe(0);
  });

  it('exits 2 and shows the allowed levels and an example for an unknown level', async ({ expect }) => {
    const run = await hotline(['ask', '/lastcontact level:admiral', '--now', '2024-06-01', '--data', FIXTURE_DIR]);

    expect(run.stdout).toBe(
      [
        '✗ Could not answer that',
        '───────────────────────',
        'level: "admiral" is not one of leaders, minister, chief-of-defense, theater-commander,',
        'senior-official or working-level.',
        '',
        'Try: /lastcontact level:minister',
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(2);
  });

  it('exits 2 for an unknown event id and suggests an id that exists', async ({ expect }) => {
    const run = await hotline(['ask', '/event no-such-id', '--now', '2024-06-01', '--data', FIXTURE_DIR]);

    const oneLine = run.stdout.replace(/\s+/g, ' ');
    expect(run.stdout.split('\n')[0]).toBe('✗ Could not answer that');
    expect(oneLine).toContain('No event has the id "no-such-id".');
    expect(oneLine).toContain('Find ids with /timeline or /search.');
    const suggested = /^Try: \/event (\S+)$/m.exec(run.stdout)?.[1];
    expect(suggested).toBeDefined();
    expect(fixture().byId.has(suggested as string)).toBe(true);
    expect(run.code).toBe(2);
  });

  it('exits 2 for a since: that is not a date and shows how to write dates', async ({ expect }) => {
    const run = await hotline(['ask', '/digest since:yesterdayish', '--now', '2024-06-01', '--data', FIXTURE_DIR]);

    expect(run.stdout).toBe(
      [
        '✗ Could not answer that',
        '───────────────────────',
        'since: "yesterdayish" is not a date. Write dates as YYYY-MM-DD (or YYYY-MM, YYYY).',
        '',
        'Try: /digest since:2024-01-01',
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(2);
  });

  it('joins an unquoted command line into one question', async ({ expect }) => {
    const run = await hotline([
      'ask',
      '/lastcontact',
      'level:minister',
      '--now',
      '2024-06-01',
      '--data',
      'tests/fixtures/data',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([
      'Last contact · minister level',
      '─────────────────────────────',
      '31 May 2024 — 1 day ago',
    ]);
  });

  it('refuses --now 2024-13-45 before answering anything', async ({ expect }) => {
    const run = await hotline(['ask', '/lastcontact level:minister', '--now', '2024-13-45', '--data', FIXTURE_DIR]);

    expect(run.stderr.split('\n')[0]).toBe(
      "error: option '--now <date>' argument '2024-13-45' is invalid. Write the date as YYYY-MM-DD, e.g. 2024-02-01.",
    );
    expect(run.stderr).toContain('Usage: hotline ask [options] <line...>');
    expect(run.stdout).toBe('');
    expect(run.code).toBe(2);
  });
});

describe.concurrent('loading only what a command needs', () => {
  it('hotline ask "/help" and data check load no chat SDK, store driver or metrics library', async ({ expect }) => {
    const trace = ['--import', './tests/fakes/traceLoads.mjs', 'bin/hotline.js'];
    const help = await runProcess(process.execPath, [...trace, 'ask', '/help']);
    expect(help.stderr).toBe('loaded: (none)\n');
    const check = await runProcess(process.execPath, [...trace, 'data', 'check', 'tests/fixtures/data']);
    expect(check.stderr).toBe('loaded: (none)\n');
    // The tracer sees what is loaded: a Redis store loads the Redis client.
    const redis = await runProcess(process.execPath, [...trace, 'ask', '/subscribe list'], {
      env: { STATE_URL: 'redis://127.0.0.1:1' },
    });
    expect(redis.stderr).toContain('loaded: @redis/client\n');
  });

  it('hotline log and data check load none of the commands; ask does', async ({ expect }) => {
    const commands = '\\/commands\\/index\\.';
    const log = await runTracingLoads(commands, ['log']);
    expect(log.code).toBe(0);
    expect(log.stderr).toMatch(/^hotline: no store at .* yet: its event log is empty\n$/);
    const check = await runTracingLoads(commands, ['data', 'check', 'tests/fixtures/data']);
    expect(check.stderr).toBe('');
    expect(check.stdout).toBe('tests/fixtures/data: ok · 7 events, 5 people, 2 mechanisms, 3 topics\n');
    const help = await runTracingLoads(commands, ['ask', '/help']);
    expect(help.stderr).toMatch(/^LOADED file:.*\/commands\/index\.(js|ts)\n$/);
  });
});

describe.concurrent('hotline data check', () => {
  it('says ok with the counts for the fixture data', async ({ expect }) => {
    const run = await hotline(['data', 'check', 'tests/fixtures/data']);

    expect(run.stdout).toBe('tests/fixtures/data: ok · 7 events, 5 people, 2 mechanisms, 3 topics\n');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('says ok for the bundled data/ when no folder is given', async ({ expect }) => {
    const run = await hotline(['data', 'check']);

    expect(run.stdout).toMatch(
      /^data: ok · \d+ events, \d+ people, \d+ mechanisms, \d+ topics · \d+ feeds \(\d+ confirmed\)\n$/,
    );
    // Warnings only: events cited from copies alone, and sources without a date, each naming what to add.
    for (const line of run.stderr.split('\n').filter(Boolean)) {
      expect(line).toMatch(
        /^warning: events\/\d{4}\.yaml: [\w-]+: (sources: every source is a copy or aggregator; |sources\.\d+\.date: missing; )/,
      );
    }
    expect(run.code).toBe(0);
  });

  it('prints a likely duplicate as a warning and still exits 0', async ({ expect }) => {
    const dir = join(TMP, 'duplicate-data');
    cpSync(FIXTURE_DIR, dir, { recursive: true });
    appendFileSync(
      join(dir, 'events', '2024.yaml'),
      [
        '- id: 2024-05-31-austin-dong-meeting-again',
        '  date: "2024-05-31"',
        '  kind: meeting',
        '  status: held',
        '  level: minister',
        '  participants:',
        '    - {person: lloyd-austin, side: US}',
        '    - {person: dong-jun, side: PRC}',
        '  summary: Fixture, recorded twice.',
        '  sources:',
        '    - {title: Fixture, publisher: Example, url: "https://example.org/twice"}',
        '  recordedAt: "2026-11-24"',
        '',
      ].join('\n'),
    );
    const run = await hotline(['data', 'check', dir]);

    expect(run.stderr).toBe(
      'warning: events/2024.yaml: 2024-05-31-austin-dong-meeting-again: likely the same event as 2024-05-31-austin-dong-meeting (same day, same people)\n',
    );
    expect(run.stdout).toMatch(/: ok · 8 events/);
    expect(run.code).toBe(0);
  });

  it('lists every error as file: id: field: reason, then the count, and exits 1', async ({ expect }) => {
    const dir = join(TMP, 'broken-data');
    cpSync(FIXTURE_DIR, dir, { recursive: true });
    const edit = (file: string, from: string, to: string) => {
      const text = readFileSync(join(dir, file), 'utf8');
      if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}`);
      writeFileSync(join(dir, file), text.replace(from, to));
    };
    // An unknown level, and a participant who is not in people.yaml.
    edit('events/2024.yaml', 'location: Singapore\n  level: minister', 'location: Singapore\n  level: admiral');
    edit(
      'events/2024.yaml',
      '{person: dong-jun, side: PRC}\n  summary: Fixture talks announced',
      '{person: dong-jin, side: PRC}\n  summary: Fixture talks announced',
    );
    // An id used twice, and a 2024 event filed under 2023.
    appendFileSync(
      join(dir, 'events/2023.yaml'),
      [
        '- id: 2023-05-29-meeting-declined',
        '  date: "2023-05-29"',
        '  kind: talks',
        '  status: held',
        '  level: minister',
        '  summary: Fixture record with a duplicate id.',
        '  sources:',
        '    - {title: Fixture duplicate, publisher: Example News, url: "https://example.org/duplicate"}',
        '  recordedAt: "2026-11-24"',
        '- id: 2024-01-09-misfiled-talks',
        '  date: "2024-01-09"',
        '  kind: talks',
        '  status: held',
        '  level: working-level',
        '  summary: Fixture talks filed under the wrong year.',
        '  sources:',
        '    - {title: Fixture misfiled, publisher: Example News, url: "https://example.org/misfiled"}',
        '  recordedAt: "2026-11-24"',
        '',
      ].join('\n'),
    );
    // A file that is not valid YAML.
    writeFileSync(
      join(dir, 'events/2021.yaml'),
      '- id: 2021-03-01-talks\n  date: "2021-03-01"\n  summary: Fixture talks: an unquoted colon\n',
    );

    const run = await hotline(['data', 'check', dir]);

    expect(run.stderr.split('\n')).toEqual([
      'events/2021.yaml: line 3, column 25: not valid YAML: bad indentation of a mapping entry',
      'events/2023.yaml: 2024-01-09-misfiled-talks: date: 2024-01-09 is not in 2023; move the event to events/2024.yaml',
      'events/2024.yaml: 2024-05-31-austin-dong-meeting: level: "admiral" is not one of leaders, minister, chief-of-defense, theater-commander, senior-official, working-level',
      'events/2023.yaml: 2023-05-29-meeting-declined: id: duplicate id (also in events/2023.yaml)',
      'events/2024.yaml: 2024-06-20-planned-talks: participants.0.person: unknown person "dong-jin"; add it to people.yaml or use "name"',
      `${dir}: 5 errors`,
      '',
    ]);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
  });

  it('exits 1 and names the folder when the data folder does not exist', async ({ expect }) => {
    const missing = join(TMP, 'no-such-folder');
    const run = await hotline(['data', 'check', missing]);

    expect(run.stderr).toBe(`hotline: data directory not found: ${missing}\n`);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
  });
});

describe.concurrent('hotline data stats', () => {
  it('counts the fixture events by year, level, kind and mechanism', async ({ expect }) => {
    const run = await hotline(['data', 'stats', 'tests/fixtures/data']);

    expect(run.stdout).toBe(
      [
        '7 events, 5 people, 2 mechanisms, 3 topics',
        '',
        'year        events  official or major  share  US readout  PRC readout',
        '2022             2                  0     0%           0            1',
        '2023             2                  0     0%           0            0',
        '2024             3                  0     0%           1            1',
        '2020–            7                  0     0%           1            2',
        '',
        'level          events',
        'minister            6',
        'working-level       1',
        '',
        'kind             events',
        'meeting               2',
        'talks                 2',
        'cancellation          1',
        'request-refused       1',
        'video-call            1',
        '',
        'mechanism                 events',
        'defense-minister-channel       3',
        '(none)                         2',
        'mmca                           2',
        '',
      ].join('\n'),
    );
    expect(run.code).toBe(0);
  });
});

describe.concurrent('hotline start', () => {
  it('refuses to start Slack with a bot token but no way in, naming what is missing, and exits 1', async ({
    expect,
  }) => {
    const run = await hotline(['start', '--data', 'tests/fixtures/data'], { SLACK_BOT_TOKEN: 'xoxb-test' });

    expect(run.stderr).toBe(
      'hotline: Set SLACK_SIGNING_SECRET (HTTP mode: Slack sends requests to PORT) or SLACK_APP_TOKEN (Socket Mode: no public URL).\n',
    );
    expect(run.stdout).toBe('');
    expect(run.code).toBe(1);
  });

  it('stops at once, naming STATE_URL, when the store cannot be opened (console and bots alike)', async ({
    expect,
  }) => {
    const consoleRun = await hotline(['start', '--data', 'tests/fixtures/data'], { STATE_URL: 'mysql://db/x' });
    expect(consoleRun.stderr).toBe(
      'hotline: STATE_URL mysql://db/x: unsupported scheme "mysql:"; use sqlite:PATH, file:PATH, redis://… or postgres://…\n',
    );
    expect(consoleRun.code).toBe(1);
    const bot = await hotline(['start', '--data', 'tests/fixtures/data'], {
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_APP_TOKEN: 'xapp-test',
      STATE_URL: 'redis://127.0.0.1:1',
    });
    expect(bot.stderr).toMatch(
      /^hotline: could not start: STATE_URL redis:\/\/127\.0\.0\.1:1: cannot open the store: /,
    );
    expect(bot.code).toBe(1);
  });
});

describe.concurrent('hotline ask --format slack|discord', () => {
  it('prints the message each platform would get', async ({ expect }) => {
    const slack = JSON.parse((await hotline([...ASK_MINISTER, '--format', 'slack'])).stdout);
    expect(slack.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Last contact · minister level', emoji: false },
    });
    const discord = JSON.parse((await hotline([...ASK_MINISTER, '--format', 'discord'])).stdout);
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    expect(discord.embeds[0].title).toBe('Last contact · minister level');
  });
});

describe.concurrent('hotline slack manifest', () => {
  it('prints a manifest with every command and the /hotline entry point', async ({ expect }) => {
    const run = await hotline(['slack', 'manifest', '--socket-mode']);
    const manifest = JSON.parse(run.stdout);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual([
      ...COMMANDS.filter((c) => c.name !== 'search').map((c) => `/${c.name}`),
      '/hotline',
    ]);
    expect(run.code).toBe(0);
  });

  it('asks how Slack reaches the app, and refuses a URL that is not https', async ({ expect }) => {
    const bare = await hotline(['slack', 'manifest']);
    expect([bare.code, bare.stderr]).toEqual([
      1,
      'hotline: give --socket-mode, or --request-url https://…/slack/events for an app that receives HTTP requests.\n',
    ]);
    const http = await hotline(['slack', 'manifest', '--request-url', 'http://example.org/slack/events']);
    expect(http.code).toBe(1);
    expect(http.stderr).toMatch(/https/);
  });
});

describe('hotline discord register', () => {
  it('prints the payload with --dry-run: one command per definition', async ({ expect }) => {
    const run = await hotline(['discord', 'register', '--dry-run']);
    const payload = JSON.parse(run.stdout);
    expect(payload.map((c: { name: string }) => c.name)).toEqual(COMMANDS.map((c) => c.name));
    expect(run.code).toBe(0);
  });

  it('replaces the commands of a server with one PUT, as the bot', async ({ expect }) => {
    const requests: { method?: string; url?: string; auth?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        requests.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        const ok = req.headers.authorization === 'Bot test-token';
        res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
        res.end(ok ? body : '{"message": "401: Unauthorized", "code": 0}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const env = { DISCORD_API_URL: `http://127.0.0.1:${port}/api`, DISCORD_APPLICATION_ID: '111' };
    try {
      const run = await hotline(['discord', 'register', '--guild', '222'], { ...env, DISCORD_TOKEN: 'test-token' });
      expect([run.code, run.stdout]).toEqual([0, `Registered ${COMMANDS.length} commands in server 222.\n`]);
      expect(requests[0]).toMatchObject({
        method: 'PUT',
        url: '/api/v10/applications/111/guilds/222/commands',
        auth: 'Bot test-token',
      });
      expect(JSON.parse(requests[0]?.body ?? '[]')).toHaveLength(COMMANDS.length);

      const refused = await hotline(['discord', 'register'], { ...env, DISCORD_TOKEN: 'wrong' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        'hotline: Discord answered 401 Unauthorized: {"message": "401: Unauthorized", "code": 0}\n',
      );
      expect(requests[1]?.url).toBe('/api/v10/applications/111/commands');
    } finally {
      server.close();
    }
  });

  it('names the missing variable and sends nothing', async ({ expect }) => {
    const run = await hotline(['discord', 'register'], { DISCORD_APPLICATION_ID: '111' });
    expect([run.code, run.stderr]).toEqual([
      1,
      'hotline: DISCORD_TOKEN is not set: give the bot token from the Developer Portal (or use --dry-run).\n',
    ]);
  });
});

describe('hotline start with Slack credentials', () => {
  it('serves signed slash commands on PORT and refuses forged ones', async ({ expect }) => {
    const responses: string[] = [];
    const { fired: gotAnswer, fire: answered } = signal();
    const fakeSlack = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        if (req.url === '/api/auth.test') res.end('{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}');
        else {
          responses.push(body);
          res.end('{"ok":true}');
          answered();
        }
      });
    });
    await new Promise<void>((resolve) => fakeSlack.listen(0, '127.0.0.1', resolve));
    const fakeUrl = `http://127.0.0.1:${(fakeSlack.address() as AddressInfo).port}`;
    const child = spawn(
      process.execPath,
      ['bin/hotline.js', 'start', '--data', 'tests/fixtures/data', '--now', '2024-06-01'],
      {
        cwd: ROOT,
        env: cleanEnv({
          SLACK_BOT_TOKEN: 'xoxb-test',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: `${fakeUrl}/api/`,
          PORT: '0',
          LOG_LEVEL: 'error',
        }),
      },
    );
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          const found = /listening for Slack on port (\d+)/.exec(stderr);
          if (found) resolve(Number(found[1]));
        });
        child.on('close', () => reject(new Error(`hotline start exited: ${stderr}`)));
      });
      const body = new URLSearchParams({
        command: '/lastcontact',
        text: 'level:minister',
        user_id: 'U1',
        channel_id: 'C1',
        team_id: 'T1',
        response_url: `${fakeUrl}/response`,
      }).toString();
      const ts = String(Math.floor(Date.now() / 1000));
      const post = (signature: string) =>
        postSlashCommand(`http://127.0.0.1:${port}/slack/events`, body, { signature, timestamp: ts });
      const signed = slackSignature('secret', ts, body);
      expect((await post('v0=0000')).status).toBe(401);
      expect((await post(signed)).status).toBe(200);
      await gotAnswer;
      expect(responses).toHaveLength(1);
      const answer = JSON.parse(responses[0] ?? '{}');
      expect(answer.response_type).toBe('in_channel');
      expect(answer.text).toBe((await runCommand('/lastcontact level:minister', '2024-06-01')).fallbackText);
    } finally {
      child.kill('SIGTERM');
      fakeSlack.close();
    }
  });
});

describe('hotline start with a Discord token', () => {
  it('connects through DISCORD_API_URL and answers a slash command like the console', async ({ expect }) => {
    const fake = await startFakeDiscord();
    const child = spawn(
      process.execPath,
      ['bin/hotline.js', 'start', '--data', 'tests/fixtures/data', '--now', '2024-06-01'],
      {
        cwd: ROOT,
        env: cleanEnv({ DISCORD_TOKEN: 'test-token', DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'error' }),
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          if (stderr.includes('Hotline is connected to Discord.')) resolve();
        });
        child.on('close', () => reject(new Error(`hotline start exited: ${stderr}`)));
      });
      const callback = await fake.interact(2, 'lastcontact', [{ name: 'level', type: 3, value: 'minister' }]);
      expect(callback.type).toBe(4);
      expect(callback.data.embeds).toEqual(
        renderDiscord(await runCommand('/lastcontact level:minister', '2024-06-01')).embeds,
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      await fake.close();
    }
  });
});
