// The Discord renderer: every bundled answer within Discord's limits, nothing that pings or formats, trimming.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { escapeMarkdown, safeUrl, ZWSP } from '../../../src/adapters/discord/escape.js';
import { COLORS, embedChars, renderDiscord } from '../../../src/adapters/discord/render.js';
import { morePointer, sourcesOf } from '../../../src/core/present.js';
import { errorReply, type Reply } from '../../../src/core/reply.js';
import { discordProblems, discordText } from '../../fakes/limits.js';
import { bundled, runCommand } from '../../helpers.js';

const NOW = '2026-11-24';

describe('every answer on the bundled data', () => {
  const catalog = bundled();
  // /drafts answers from the review's state, for editors only: tests/drafts/escape.test.ts renders its cards.
  const lines = COMMANDS.filter((c) => c.permission !== 'editors').flatMap((c) => c.examples);

  it.each(lines)('GIVEN %s THEN it renders within every Discord limit, with no mentions allowed', async (line) => {
    const reply = await runCommand(line, NOW, catalog);
    for (const ephemeral of [false, true]) {
      const message = renderDiscord(reply, { ephemeral });
      expect(discordProblems(message)).toEqual([]);
      expect(message.allowed_mentions).toEqual({ parse: [] });
      expect(message.flags).toBe(ephemeral ? 64 : undefined);
      expect(message.embeds[0]?.title).toBeTruthy();
      expect(message.embeds[0]?.color).toBe(COLORS.answer);
      if (reply.footer) expect(message.embeds.at(-1)?.footer?.text).toBe(reply.footer);
      if (reply.sources.length > 0) expect(discordText(message)).toContain('Sources');
      expect(discordText(message)).not.toMatch(/@(everyone|here)|(?<!\\)<[@#]/);
    }
  });

  it('GIVEN /event THEN both sides stand side by side as inline fields, after a full-width break', async () => {
    const message = renderDiscord(await runCommand('/event 2024-04-16-austin-dong-video-call', NOW, catalog));
    const fields = message.embeds[0]?.fields ?? [];
    const us = fields.findIndex((f) => f.name === 'US side');
    expect(fields[us + 1]).toMatchObject({ name: 'PRC side', inline: true });
    expect(fields[us]?.inline).toBe(true);
    expect(fields[us - 1]).toEqual({ name: ZWSP, value: ZWSP });
    expect(fields.find((f) => f.name === 'Who')?.inline).toBe(true);
  });

  it('GIVEN a long timeline THEN three sources and where the rest are', async () => {
    const message = renderDiscord(await runCommand('/timeline level:minister', NOW, catalog));
    const sources = message.embeds.flatMap((e) => e.fields ?? []).find((f) => f.name === 'Sources')?.value ?? '';
    expect(sources).toMatch(/^1\\\. \[[^\]]+\]\(https:\/\/[^\s()]+\) — /);
    const lines = sources.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^\d+ more sources: each event's are in its full record, \/event \\<id>$/);
  });

  it('GIVEN more sources than fit THEN they end with the pointer', async () => {
    const reply = await runCommand('/timeline level:minister', NOW, catalog);
    const message = renderDiscord({ ...reply, sources: sourcesOf(catalog.events), moreSources: undefined });
    const fields = message.embeds.flatMap((e) => e.fields ?? []);
    expect(fields.at(-1)?.value).toMatch(/^…and \d+ more \(ask \/timeline or \/event for the rest\)$/);
  });
});

describe('escaping', () => {
  const hostile: Reply = {
    tone: 'answer',
    title: '@everyone **bold** <@123>',
    blocks: [
      { type: 'text', text: '@here `code` [x](y) \\ back' },
      { type: 'list', heading: '# Heading', items: ['- item', '> quote <#789>', '1. one'] },
      { type: 'fields', fields: [{ label: '<@&456>', value: '__under__ ~~gone~~ ||spoiler||' }] },
      { type: 'text', text: '-# small @everyone' },
      {
        type: 'columns',
        columns: [
          { label: 'US side', value: '*a*\n> b' },
          { label: 'PRC side', value: '<t:0>' },
        ],
      },
    ],
    sources: [
      {
        title: 'A [b](c) **title**',
        publisher: '@here Pub_lisher',
        url: 'https://example.org/a (b)/c',
        date: '2024-04-16',
        readout: 'US',
      },
      { title: 'Evil', publisher: 'X', url: 'javascript:alert(1)' },
    ],
    footer: 'As of 1 June 2024 · @here <@123> **x**',
    fallbackText: 'x',
  };

  it('GIVEN mentions, markdown and a hostile link THEN none of them is live', async () => {
    expect(renderDiscord(hostile)).toEqual({
      embeds: [
        {
          title: `@${ZWSP}everyone \\*\\*bold\\*\\* \\<@123>`,
          color: COLORS.answer,
          description: `@${ZWSP}here \\\`code\\\` \\[x\\](y) \\\\ back\n\n**\\# Heading**\n• \\- item\n• \\> quote \\<#789>\n• 1\\. one`,
          fields: [
            { name: '\\<@&456>', value: '\\_\\_under\\_\\_ \\~\\~gone\\~\\~ \\|\\|spoiler\\|\\|', inline: true },
            { name: ZWSP, value: `\\-# small @${ZWSP}everyone` },
            { name: 'US side', value: '\\*a\\*\n\\> b', inline: true },
            { name: 'PRC side', value: '\\<t:0>', inline: true },
            {
              name: 'Sources',
              value:
                `1\\. [A (b)(c) \\*\\*title\\*\\*](https://example.org/a%20%28b%29/c) — @${ZWSP}here Pub\\_lisher, 16 April 2024, US official readout\n` +
                '2\\. Evil (javascript:alert(1)) — X',
            },
          ],
          footer: { text: `As of 1 June 2024 · @${ZWSP}here <${ZWSP}@123> **x**` },
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('GIVEN text at the start of a line THEN quotes, headings, lists and subtext are escaped, and only there', async () => {
    expect(escapeMarkdown('> q\n# h\n- l\n  + m\n12. n\n-# s\na - b # c > d 3. e')).toBe(
      '\\> q\n\\# h\n\\- l\n  \\+ m\n12\\. n\n\\-# s\na - b # c > d 3. e',
    );
  });

  it('GIVEN URLs THEN only http(s) ones are links, and nothing in them can end the link early', async () => {
    expect(safeUrl('https://example.org/wiki/A_(b) c?q="x"#[y]')).toBe(
      'https://example.org/wiki/A_%28b%29%20c?q=%22x%22#%5By%5D',
    );
    expect(safeUrl('http://example.org/a\\b')).toBe('http://example.org/a/b');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
  });
});

describe('errors and flags', () => {
  it('GIVEN an error reply THEN it is marked, in the error color, without sources', async () => {
    const message = renderDiscord(errorReply('level: "x" is not a level.', '/lastcontact level:minister'), {
      ephemeral: true,
    });
    expect(message).toEqual({
      embeds: [
        {
          title: '✗ Could not answer that',
          color: COLORS.error,
          description: 'level: "x" is not a level.\n\nTry: /lastcontact level:minister',
        },
      ],
      allowed_mentions: { parse: [] },
      flags: 64,
    });
    expect(COLORS.error).not.toBe(COLORS.answer);
  });
});

describe('odd input', () => {
  it('GIVEN empty parts and a source with a bad date THEN it still renders, with nothing empty', async () => {
    const reply: Reply = {
      tone: 'answer',
      title: '',
      blocks: [
        { type: 'text', text: '  ' },
        { type: 'list', heading: 'Nothing', items: [] },
        { type: 'fields', fields: [{ label: '', value: ' ' }] },
      ],
      sources: [{ title: '', publisher: '', url: 'https://example.org/x', date: 'someday' }],
      fallbackText: '',
    };
    const message = renderDiscord(reply);
    expect(discordProblems(message)).toEqual([]);
    expect(message.embeds[0]?.fields).toEqual([
      { name: ZWSP, value: ZWSP, inline: true },
      { name: 'Sources', value: '1\\. [source](https://example.org/x) — someday' },
    ]);
  });
});

describe('trimming', () => {
  const long = (n: number, word = 'word') => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
  const huge: Reply = {
    tone: 'answer',
    title: `Huge ${'t'.repeat(400)}`,
    blocks: [
      { type: 'text', text: long(1500) },
      { type: 'list', heading: 'Many', items: Array.from({ length: 400 }, (_, i) => `item ${i} ${long(10)}`) },
      {
        type: 'fields',
        fields: Array.from({ length: 60 }, (_, i) => ({ label: `L${i} ${'n'.repeat(300)}`, value: long(400) })),
      },
      { type: 'text', text: long(3000) },
    ],
    sources: Array.from({ length: 200 }, (_, i) => ({
      title: `Source ${i} ${long(30)}`,
      publisher: 'Pub',
      url: `https://example.org/${i}`,
      date: '2024-04-16',
    })),
    footer: `As of 1 June 2024 ${'f'.repeat(3000)}`,
    fallbackText: 'huge',
  };

  it('GIVEN a reply far over every limit THEN it fits, keeps title, footer and some sources, and points to the rest', async () => {
    const message = renderDiscord(huge);
    expect(discordProblems(message)).toEqual([]);
    expect(embedChars(message.embeds)).toBeLessThanOrEqual(6000);
    expect(message.embeds[0]?.title).toMatch(/^Huge t+…$/);
    expect(message.embeds.at(-1)?.footer?.text).toMatch(/^As of 1 June 2024 f+…$/);
    const text = discordText(message);
    expect(text).toContain('1\\. [Source 0');
    expect(text).toMatch(/…and \d+ more \(ask \/timeline or \/event for the rest\)/);
    // One pointer after the body, one after the sources; together they count everything left out.
    const counts = [...text.matchAll(/…and (\d+) more/g)].map((m) => Number(m[1]));
    expect(counts).toHaveLength(2);
  });

  it('GIVEN a body that fits but sources that do not THEN the pointer counts the sources left out', async () => {
    const reply: Reply = { ...huge, title: 'T', blocks: [{ type: 'text', text: 'Short.' }], footer: 'As of today' };
    const message = renderDiscord(reply);
    expect(discordProblems(message)).toEqual([]);
    const text = discordText(message);
    const shown = [...text.matchAll(/^\d+\\\. \[Source/gm)].length;
    expect(shown).toBeGreaterThan(5);
    expect(text).toContain(morePointer(200 - shown));
  });

  it('GIVEN many short fields THEN they spill into more embeds, at most 25 fields each', async () => {
    const reply: Reply = {
      tone: 'answer',
      title: 'Fields',
      blocks: [{ type: 'fields', fields: Array.from({ length: 300 }, (_, i) => ({ label: `${i}`, value: 'v' })) }],
      sources: [],
      fallbackText: 'fields',
    };
    const message = renderDiscord(reply);
    expect(discordProblems(message)).toEqual([]);
    expect(message.embeds.length).toBe(10);
    expect(message.embeds.slice(1).every((e) => e.title === undefined && e.color === COLORS.answer)).toBe(true);
    const names = message.embeds.flatMap((e) => e.fields ?? []).map((f) => f.name);
    expect(names.slice(0, 3)).toEqual(['0', '1', '2']);
    expect(names.at(-1)).toBe(ZWSP);
    expect(discordText(message)).toContain(morePointer(300 - (names.length - 1)));
  });

  it('GIVEN an escape at the cut THEN no backslash is left dangling', async () => {
    const reply: Reply = {
      tone: 'answer',
      title: `${'x'.repeat(254)}*y`,
      blocks: [{ type: 'fields', fields: [{ label: 'a', value: `${'v'.repeat(1022)}**` }] }],
      sources: [],
      fallbackText: 'x',
    };
    const embed = renderDiscord(reply).embeds[0];
    expect(embed?.title).toBe(`${'x'.repeat(254)}…`);
    expect(embed?.fields?.[0]?.value).toBe(`${'v'.repeat(1022)}…`);
  });
});

describe('escaping of characters that reorder text', () => {
  it('removes bidirectional overrides', async () => {
    expect(escapeMarkdown('x\u202eevil\u2066')).toBe('xevil');
  });
});
