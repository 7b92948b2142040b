// Commands as a person meets them: transcripts on the fixture, and every example on the bundled data.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/index.js';
import { defineCommand } from '../src/core/command.js';
import { run } from '../src/core/dispatch.js';
import { bundled, fixture, runCommand, transcript } from './helpers.js';

const NOW = '2024-06-01';

describe('/lastcontact', () => {
  it('answers with date, days ago, who, how, where, channel, previous contact and sources', async () => {
    expect(await transcript('/lastcontact level:minister', NOW)).toBe(`Last contact · minister level
─────────────────────────────
31 May 2024 — 1 day ago

Fixture meeting in Singapore, the second.

Who:    Lloyd Austin (Secretary of Defense, US); Dong Jun (Minister of National Defense, PRC)
How:    meeting, in person
Where:  Singapore
Level:  minister
Topics: South China Sea

Channel now:
  • Defense minister channel: open since 16 April 2024 (resumed); last contact 31 May 2024

Previous minister-level contact: 16 April 2024 — Video call: Lloyd Austin – Dong Jun, 45 days
earlier. /event 2024-04-16-austin-dong-video-call

Full record: /event 2024-05-31-austin-dong-meeting

Sources:
[1] Fixture second meeting report — Example News
    https://example.org/meeting-2

As of 1 June 2024 · Record reviewed to 30 June 2024 · 7 events on record`);
  });

  it('says which option a bare word that is not a topic was meant for', async () => {
    expect((await runCommand('/lastcontact minister', NOW)).blocks).toEqual([
      { type: 'text', text: '"minister" is not a topic, but it is a level: write level:minister.' },
      { type: 'text', text: 'Try: /lastcontact level:minister' },
    ]);
    expect((await runCommand('/lastcontact dong jun', NOW)).fallbackText).toBe(
      '"dong jun" is not a topic, but it is a person: write person:"Dong Jun".',
    );
  });

  it('names what was asked for in the title, and says when a contact is still under way', async () => {
    expect((await runCommand('/lastcontact kind:request-refused', NOW)).title).toBe('Last request refused');
    const bundledCatalog = bundled();
    expect((await runCommand('/lastcontact level:leaders', '2026-05-14', bundledCatalog)).blocks[0]).toEqual({
      type: 'text',
      text: '13–15 May 2026 — under way, began 1 day ago',
    });
  });

  it('says so when nothing matches, without an error, naming the filters and the answer without them', async () => {
    const reply = await runCommand('/lastcontact level:theater-commander', NOW);
    expect([reply.tone, reply.fallbackText]).toEqual([
      'answer',
      'No contact matching theater commander level is on record. Without the filters: /lastcontact',
    ]);
  });

  it('names the filters the previous contact matched, and offers the one before it without them', async () => {
    const reply = await runCommand('/lastcontact topic:taiwan', '2026-11-24', bundled());
    const texts = reply.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));
    expect(texts.find((t) => t.startsWith('Previous'))).toMatch(/^Previous [a-z-]+ contact matching Taiwan: /);
    expect(texts.at(-2)).toMatch(
      /^The [a-z- ]+ contact before it, without the other filters: \/lastcontact level:[a-z-]+ before:\d{4}-\d{2}-\d{2}$/,
    );
  });

  it('answers bad input with what was wrong and a correct example', async () => {
    expect(await transcript('/lastcontact level:admiral', NOW)).toBe(`✗ Could not answer that
───────────────────────
level: "admiral" is not one of leaders, minister, chief-of-defense, theater-commander,
senior-official or working-level.

Try: /lastcontact level:minister`);
    expect((await runCommand('/lastcontact person:"Nobody Here"', NOW)).blocks[0]).toEqual({
      type: 'text',
      text: 'No person or title matches "Nobody Here". A person can be named in English or Chinese, or by title, such as "PRC defense minister".',
    });
  });
});

describe('/event', () => {
  it('shows both sides side by side, with readouts', async () => {
    const reply = await runCommand('/event 2024-04-16-austin-dong-video-call', NOW);
    expect(reply.title).toBe('Video call: Lloyd Austin – Dong Jun');
    expect(reply.blocks.find((b) => b.type === 'columns')).toEqual({
      type: 'columns',
      columns: [
        {
          label: 'US side',
          value: 'Fixture US emphasis on keeping lines open.\nReadout: U.S. Department of Defense: Fixture US readout',
        },
        {
          label: 'PRC side',
          value: 'Fixture PRC emphasis on Taiwan.\nReadout: PRC Ministry of National Defense: Fixture PRC readout',
        },
      ],
    });
    expect(reply.sources.map((s) => [s.url, s.readout])).toEqual([
      ['https://example.org/us-readout', 'US'],
      ['https://example.org/prc-readout', 'PRC'],
    ]);
  });

  it('suggests close ids for an unknown one', async () => {
    expect((await runCommand('/event 2024-04-16-austin-dong-call', NOW)).fallbackText).toBe(
      'No event has the id "2024-04-16-austin-dong-call". Did you mean 2024-04-16-austin-dong-video-call, 2024-05-31-austin-dong-meeting? Find ids with /timeline or /search.',
    );
    expect((await runCommand('/event no-such-id', NOW)).fallbackText).toBe(
      'No event has the id "no-such-id". Find ids with /timeline or /search.',
    );
    expect((await runCommand('/event 2024-04-16-AUSTIN-DONG-VIDEO-CALL', NOW)).title).toBe(
      'Video call: Lloyd Austin – Dong Jun',
    );
  });
});

describe('/digest', () => {
  it('refuses since and period together, and a window that ends before it starts', async () => {
    expect((await runCommand('/digest since:2024-01-01 period:30d', NOW)).fallbackText).toBe(
      'Give since: or period:, not both.',
    );
    expect((await runCommand('/digest since:2025-01-01', NOW)).fallbackText).toBe(
      'since: 1 January 2025 is after 1 June 2024; the window must start before it ends.',
    );
    expect((await runCommand('/digest since:yesterdayish', NOW)).fallbackText).toBe(
      'since: "yesterdayish" is not a date. Write dates as YYYY-MM-DD (or YYYY-MM, YYYY).',
    );
  });

  it('counts the kind asked for instead of contacts', async () => {
    expect((await runCommand('/digest kind:request-refused period:2y', NOW)).fallbackText).toBe(
      '1 request refused in these 731 days, up from 0 in the 731 days before.',
    );
  });

  it('defaults to the last 30 days', async () => {
    const reply = await runCommand('/digest', NOW);
    expect(reply.title).toBe('Digest · 3 May 2024 – 1 June 2024');
    expect(reply.fallbackText).toBe(
      '1 contact held in these 30 days, the same as in the 30 days before (1); 1 event in all, counting refusals, cancellations and other records.',
    );
  });
});

describe('/timeline', () => {
  it('keeps the filters in its suggestion when the page is past the end', async () => {
    const reply = await runCommand('/timeline person:"Dong Jun" page:4', NOW);
    expect(reply.blocks).toEqual([
      { type: 'text', text: 'page: there is 1 page; page 4 is past the end.' },
      { type: 'text', text: 'Try: /timeline page:1 person:"Dong Jun"' },
    ]);
  });
});

describe('/channels', () => {
  it('shows the board as of a date', async () => {
    const reply = await runCommand('/channels date:2022-09-01', NOW);
    expect(reply.blocks.slice(1, 3)).toEqual([
      { type: 'list', items: ['Military Maritime Consultative Agreement (MMCA): cancelled since 5 August 2022'] },
      { type: 'text', text: 'Dormant (1): Minister channel (since August 2022)' },
    ]);
  });
});

describe('typed options, as a platform delivers them', () => {
  it('answers the same as text, and refuses bad values the same way', async () => {
    const lastcontact = COMMANDS.find((c) => c.name === 'lastcontact');
    if (!lastcontact) throw new Error('no /lastcontact');
    const ctx = { catalog: fixture(), commands: COMMANDS, now: NOW };
    expect(await run(lastcontact, { level: 'minister' }, ctx)).toEqual(
      await runCommand('/lastcontact level:minister', NOW),
    );
    expect(await run(lastcontact, { level: 'admiral' }, ctx)).toEqual(
      await runCommand('/lastcontact level:admiral', NOW),
    );
  });
});

describe('/help and unknown commands', () => {
  it('lists every command from the definitions', async () => {
    const reply = await runCommand('/help', NOW);
    expect(reply.blocks[0]).toEqual({ type: 'list', items: COMMANDS.map((c) => `/${c.name} — ${c.description}`) });
  });

  it('explains one command with usage, options and examples', async () => {
    expect((await runCommand('/help digest', NOW)).blocks[1]).toEqual({
      type: 'text',
      text: 'Usage: /digest [<topic>] [since:<date>] [period:<period>] [level:<value>] [person:<value>] [side:<value>] [mechanism:<value>] [format:<value>] [kind:<value>] [before:<date>]',
    });
  });

  it('answers an unknown command with the closest one', async () => {
    expect((await runCommand('/lastcontatc', NOW)).fallbackText).toBe(
      'There is no command /lastcontatc. Did you mean /lastcontact? Commands: /lastcontact, /digest, /timeline, /event, /channels, /search, /export, /subscribe, /unsubscribe, /digest-schedule, /drafts or /help.',
    );
    expect((await runCommand('/hotline lastcontact level:minister', NOW)).title).toBe('Last contact · minister level');
  });

  it('refuses a line that is far too long, and a slash with no command', async () => {
    expect((await runCommand(`/search ${'x'.repeat(5000)}`, NOW)).fallbackText).toBe(
      'That is 5,000 characters long; Hotline answers questions of up to 1000 characters.',
    );
    expect((await runCommand('/ lastcontact', NOW)).fallbackText).toBe(
      'Type a command after the slash, with no space between them.',
    );
  });

  it('refuses a badly defined command, naming it', async () => {
    expect(() =>
      defineCommand({
        name: 'Bad Name',
        description: '',
        options: [],
        examples: [],
        visibility: 'private',
        permission: 'anyone',
        run: () => runCommand('/help', NOW),
      }),
    ).toThrow(
      'Command "/Bad Name" is badly defined: name must be 1–32 lowercase letters, digits or hyphens; description must be 1–100 characters; needs at least one example',
    );
  });
});

describe('the bundled data', () => {
  const catalog = bundled();
  // /drafts answers from the review's state, for editors only: tests/drafts/ run its examples with a desk.
  const examples = COMMANDS.filter((c) => c.permission !== 'editors').flatMap((c) => c.examples);

  it('answers /drafts without a desk (no state, or not an editor) with where drafts are reviewed', async () => {
    const reply = await runCommand('/drafts', '2026-11-24', catalog);
    expect(reply.fallbackText).toBe(
      'Drafts are reviewed by editors: in the editors’ channel, by those on the editors’ list, or with `hotline drafts` on the command line.',
    );
  });

  it.each(examples)('answers %s', async (line) => {
    const reply = await runCommand(line, '2026-11-24', catalog);
    expect(reply.tone).toBe('answer');
    expect(reply.title.length).toBeGreaterThan(0);
  });

  it('finds the same contacts by "Dong Jun", "董军" and "PRC defense minister"', async () => {
    const ids = async (person: string) =>
      (await runCommand(`/timeline person:"${person}" since:2024-01-01`, '2026-11-24', catalog)).blocks[1];
    expect(await ids('董军')).toEqual(await ids('Dong Jun'));
    expect(await ids('PRC defense minister')).toEqual(await ids('Dong Jun'));
  });

  it("counts leaders' meetings, but not congressional or diplomatic meetings, as contacts", async () => {
    const first = async (line: string, now: string) => (await runCommand(line, now, catalog)).blocks[0];
    expect(await first('/lastcontact level:leaders before:2024-01-01', '2026-11-24')).toEqual({
      type: 'text',
      text: '15 November 2023 — 47 days before 1 January 2024',
    });
    expect(await first('/lastcontact level:minister', '2025-10-30')).toEqual({
      type: 'text',
      text: '9 September 2025 — 51 days ago',
    });
  });

  it('dates a channel state from when it began, not from its latest entry', async () => {
    const reply = await runCommand('/channels date:2024-09-01', '2026-11-24', catalog);
    const items = reply.blocks.flatMap((b) => (b.type === 'list' ? b.items : []));
    expect(items.find((i) => i.startsWith('Theater commander talks:'))).toBe(
      'Theater commander talks: agreed on 15 November 2023; no contact since',
    );
    const texts = reply.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));
    expect(texts.find((t) => t.startsWith('Dormant ('))).toContain('DTL (since February 2023)');
    const dtl = await runCommand('/channels DTL date:2024-09-01', '2026-11-24', catalog);
    expect(dtl.blocks).toContainEqual({
      type: 'text',
      text: 'On 1 September 2024: dormant since 4 February 2023 (unanswered or unused) (uncertain)',
    });
  });

  it('fits the board on one screen: channels in trouble or open in full, the dormant ones on one line', async () => {
    const reply = await runCommand('/channels date:2026-11-30', '2026-12-02', catalog);
    const items = reply.blocks.flatMap((b) => (b.type === 'list' ? b.items : []));
    expect(items.some((i) => i.includes(': dormant'))).toBe(false);
    const dormant = reply.blocks.flatMap((b) => (b.type === 'text' && b.text.startsWith('Dormant (') ? [b.text] : []));
    expect(dormant).toHaveLength(1);
    expect(dormant[0]).toContain('CCWG (since May 2024)');
    expect(dormant[0]).toContain('S&ED (since June 2016)');
  });

  it('says whether a dormant channel has had no session since its last one, or none since the change that opened it', async () => {
    const text = async (name: string) =>
      (await runCommand(`/channels ${name} date:2026-11-30`, '2026-12-02', catalog)).blocks.flatMap((b) =>
        b.type === 'text' && b.text.startsWith('On 30 November 2026:') ? [b.text] : [],
      )[0];
    expect(await text('CCWG')).toBe(
      'On 30 November 2026: dormant: no session on record since it was agreed on 31 May 2024 (2 years to 31 May 2026, the day the record was reviewed to), longer than its usual cadence',
    );
    expect(await text('S&ED')).toMatch(/^On 30 November 2026: dormant: no session since 7 June 2016 \(/);
  });

  it('every answer about data carries sources', async () => {
    for (const line of [
      '/lastcontact level:minister',
      '/lastcontact level:chief-of-defense',
      '/digest period:1y',
      '/timeline',
    ]) {
      expect((await runCommand(line, '2026-11-24', catalog)).sources.length, line).toBeGreaterThan(0);
    }
  });
});

describe('/digest counts', () => {
  it('counts held contacts apart from a proposed call and a congressional meeting, and labels them', async () => {
    const { buildCatalog } = await import('../src/core/build.js');
    const { readDataFiles } = await import('../src/dataFiles.js');
    const { FIXTURE_DIR } = await import('./helpers.js');
    const extra = `
- id: 2024-05-20-proposed-call
  date: "2024-05-20"
  kind: call
  status: proposed
  level: minister
  participants:
    - {person: lloyd-austin, side: US}
  summary: Fixture, a call one side asked for.
  sources:
    - {title: Fixture, publisher: Example, url: "https://example.org/proposed"}
  recordedAt: "2026-11-24"
- id: 2024-05-21-congressional-meeting
  date: "2024-05-21"
  kind: meeting
  status: held
  level: minister
  track: congressional
  participants:
    - {person: dong-jun, side: PRC}
  summary: Fixture, a congressional delegation's meeting.
  sources:
    - {title: Fixture, publisher: Example, url: "https://example.org/congress"}
  recordedAt: "2026-11-24"
`;
    const files = [...readDataFiles(FIXTURE_DIR)].map((f) =>
      f.path === 'events/2024.yaml' ? { ...f, text: f.text + extra } : f,
    );
    const built = buildCatalog(files);
    if (!built.ok) throw new Error(JSON.stringify(built.errors));
    const reply = await runCommand('/digest since:2024-05-01 level:minister', NOW, built.catalog);
    expect(reply.fallbackText).toMatch(/^1 contact held in these 32 days/);
    expect(reply.blocks.find((b) => b.type === 'list')).toMatchObject({
      heading:
        'Minister level · 1 call (proposed, not counted as held), 1 meeting, 1 meeting (congressional, not counted as held)',
    });
  });
});

describe('/event of a logged event that names a mechanism data/ does not know', () => {
  it('shows no empty "Channels now" heading', async () => {
    const { indexCatalog } = await import('../src/core/catalog.js');
    const { recordOf } = await import('../src/events/log.js');
    const base = fixture();
    const event = base.byId.get('2022-06-10-austin-wei-meeting');
    if (!event) throw new Error('fixture event missing');
    const records = base.events.map((e) => ({
      ...recordOf(e),
      file: e.file,
      ...(e.id === event.id ? { mechanisms: ['no-such-mechanism'] } : {}),
    }));
    const catalog = indexCatalog(records, base.people, base.mechanisms, base.topics, base.coverage);
    const reply = await runCommand(`/event ${event.id}`, NOW, catalog);
    expect(reply.blocks.some((b) => b.type === 'list' && b.heading === 'Channels now')).toBe(false);
  });
});
