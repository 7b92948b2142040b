// Slack rendering: every answer fits Block Kit's limits, outside text is escaped, and huge replies trim with a pointer.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import {
  CUT_POINTER,
  cutEscaped,
  escapeMrkdwn,
  escapeUrl,
  MAX_LIST_ITEMS,
  MIN_SOURCE_SECTIONS,
  renderSlack,
  SLACK_LIMITS,
  type SlackMessage,
} from '../../../src/adapters/slack/render.js';
import type { Reply, SourceRef } from '../../../src/core/reply.js';
import { mrkdwnTexts, slackProblems } from '../../fakes/limits.js';
import { bundled, runCommand } from '../../helpers.js';

const NOW = '2026-11-24';
const WJ = '\u2060';
const POINTER = /^…and (\d+) more \(ask \/timeline or \/event for the rest\)$/;

/** The lines of all sections, in order. */
const sectionLines = (message: SlackMessage): string[] =>
  message.blocks.flatMap((b) => (b.type === 'section' && 'text' in b ? b.text.text.split('\n') : []));

const reply = (over: Partial<Reply>): Reply => ({
  tone: 'answer',
  title: 'Title',
  blocks: [],
  sources: [],
  fallbackText: 'Fallback.',
  ...over,
});

describe('every answer on the bundled data', () => {
  const lines = [
    ...COMMANDS.flatMap((c) => c.examples),
    ...COMMANDS.map((c) => `/help ${c.name}`),
    '/digest since:1990-01-01',
    '/timeline page:2',
    '/timeline order:oldest',
    '/channels date:2022-09-01',
    '/search Dong Jun',
    '/lastcontact level:ministr',
    '/nosuchcommand',
  ];
  it.each(lines)('%s renders within Block Kit limits, sources linked', async (line) => {
    const answer = await runCommand(line, NOW, bundled());
    const message = renderSlack(answer);
    expect(slackProblems(message)).toEqual([]);
    expect(message.blocks[0]).toMatchObject({ type: 'header' });
    const all = mrkdwnTexts(message).join('\n');
    for (const source of answer.sources) expect(all).toContain(`<${escapeUrl(source.url)}|`);
    if (answer.footer) expect(message.blocks.at(-1)).toMatchObject({ type: 'context' });
  });
});

describe('commands Slack keeps for itself', () => {
  it('names /hotline search wherever an answer mentions /search, and leaves URLs alone', () => {
    const reply: Reply = {
      tone: 'error',
      title: 'Could not answer that',
      blocks: [
        { type: 'text', text: 'Nothing matches. Try /search hotline, or (/search 董军).' },
        { type: 'list', items: ['/searchlight stays', 'see /subscribe list'] },
      ],
      sources: [{ title: 'Search page', publisher: 'Example', url: 'https://example.org/search?q=1' }],
      moreSources: '2 more sources: /search again',
      fallbackText: 'Try /search hotline',
    };
    const message = JSON.stringify(renderSlack(reply));
    expect(message).toContain('Try /hotline search hotline, or (/hotline search 董军).');
    expect(message).toContain('/searchlight stays');
    expect(message).toContain('see /subscribe list');
    expect(message).toContain('https://example.org/search?q=1');
    expect(message).toContain('2 more sources: /hotline search again');
    expect(renderSlack(reply).text).toBe('Try /hotline search hotline');
  });
});

describe('escaping', () => {
  it.each([
    ['a & b < c > d', 'a &amp; b &lt; c &gt; d'],
    ['<!channel> <!here> <!everyone>', '&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt;'],
    [
      '<@U123> <#C123|general> <https://evil.example|click>',
      `&lt;@${WJ}U123&gt; &lt;#C123|general&gt; &lt;https://evil.example|click&gt;`,
    ],
    ['@here @Channel @EVERYONE', `@${WJ}here @${WJ}Channel @${WJ}EVERYONE`],
    ['mail a@b.org, lone @ sign', `mail a@${WJ}b.org, lone @ sign`],
    ['*bold* _it_ ~st~ `code` ```block```', '∗bold∗ ˍitˍ ∼st∼ ˋcodeˋ ˋˋˋblockˋˋˋ'],
    ['> quoted\nnot > quoted', '\u00AD&gt; quoted\nnot &gt; quoted'],
    ['already &amp; escaped', 'already &amp;amp; escaped'],
    ['line\r\nbreak\u0007bell', 'line\nbreakbell'],
  ])('%j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('makes a URL with |, >, < or spaces one intact link target', async () => {
    expect(escapeUrl('https://e.example/a|b>c<d e?x=1&y=2')).toBe('https://e.example/a%7Cb%3Ec%3Cd%20e?x=1&amp;y=2');
  });

  it('cuts escaped text without splitting an entity or a surrogate pair', async () => {
    expect(cutEscaped('x&amp;y', 6, '…')).toBe('x…');
    expect(cutEscaped('ab😀cd', 4, '…')).toBe('ab…');
    expect(cutEscaped('short', 10)).toBe('short');
  });

  it('renders a hostile reply with nothing live: exact blocks', async () => {
    const hostile = reply({
      title: '@everyone <!channel> *Alert* & more',
      blocks: [
        { type: 'text', text: 'Hi <@U123> & <#C123>, see *this* _now_ @here' },
        { type: 'fields', fields: [{ label: '*Who*', value: '@channel <b>x</b>' }] },
        { type: 'list', heading: 'A & B', items: ['~one~', '`two`'] },
        {
          type: 'columns',
          columns: [
            { label: 'US side', value: 'said <!everyone>' },
            { label: 'PRC side', value: 'No stated emphasis on record.' },
          ],
        },
      ],
      sources: [
        {
          title: 'Title <with> *stars* @everyone',
          publisher: 'Pub & Co',
          url: 'https://e.example/p?a=1&b=2|x>y',
          date: '2024-04-16',
          readout: 'US',
        },
        { title: 'Other', publisher: 'PRC MND', url: 'javascript:alert(1)', readout: 'PRC' },
      ],
      footer: 'As of 24 November 2026 · @here',
      fallbackText: '<!channel> @everyone *x*',
    });
    const message = renderSlack(hostile);
    const md = (text: string) => ({ type: 'mrkdwn', text, verbatim: true });
    expect(message).toEqual({
      text: `&lt;!channel&gt; @${WJ}everyone ∗x∗`,
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: `@${WJ}everyone <${WJ}!channel> *Alert* & more`, emoji: false },
        },
        { type: 'section', text: md(`Hi &lt;@${WJ}U123&gt; &amp; &lt;#C123&gt;, see ∗this∗ ˍnowˍ @${WJ}here`) },
        { type: 'section', fields: [md(`*∗Who∗*\n@${WJ}channel &lt;b&gt;x&lt;/b&gt;`)] },
        { type: 'section', text: md('*A &amp; B*\n• ∼one∼\n• ˋtwoˋ') },
        {
          type: 'section',
          fields: [md(`*US side*\nsaid &lt;!everyone&gt;`), md('*PRC side*\nNo stated emphasis on record.')],
        },
        {
          type: 'section',
          text: md(
            `*Sources*\n[1] <https://e.example/p?a=1&amp;b=2%7Cx%3Ey|Title &lt;with&gt; ∗stars∗ @${WJ}everyone> — Pub &amp; Co, 16 April 2024, US official readout\n[2] Other (javascript:alert(1)) — PRC MND, PRC official readout`,
          ),
        },
        { type: 'context', elements: [md(`As of 24 November 2026 · @${WJ}here`)] },
      ],
    });
    expect(slackProblems(message)).toEqual([]);
  });

  it('keeps an error reply plain: its title is the header, its lines are sections', async () => {
    const message = renderSlack(await runCommand('/lastcontact level:ministr', NOW, bundled()));
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Could not answer that', emoji: false },
    });
    expect(sectionLines(message).at(-1)).toBe('Try: /lastcontact level:minister');
    expect(mrkdwnTexts(message).join('\n')).not.toMatch(/:warning:/);
  });
});

describe('huge replies trim with a pointer and stay within limits', () => {
  const items = (n: number, text = 'An item of moderate length, a line in a list') =>
    Array.from({ length: n }, (_, i) => `${text} ${i + 1}`);
  const source = (i: number): SourceRef => ({
    title: `Source ${i}`,
    publisher: 'Publisher',
    url: `https://e.example/${i}`,
  });

  it('a list of 500 items: the first 50, then "…and 450 more"', async () => {
    const message = renderSlack(
      reply({ blocks: [{ type: 'list', heading: 'Events', items: items(500) }], footer: 'As of today' }),
    );
    expect(slackProblems(message)).toEqual([]);
    const lines = sectionLines(message);
    expect(lines[0]).toBe('*Events*');
    expect(lines[1]).toBe('• An item of moderate length, a line in a list 1');
    expect(lines.filter((l) => l.startsWith('• '))).toHaveLength(MAX_LIST_ITEMS);
    expect(lines.at(-2)).toBe('• An item of moderate length, a line in a list 50');
    expect(lines.at(-1)).toBe('…and 450 more (ask /timeline or /event for the rest)');
    expect(message.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'As of today', verbatim: true }],
    });
  });

  it('a list too long for one section is split across sections, heading once', async () => {
    const message = renderSlack(reply({ blocks: [{ type: 'list', heading: 'H', items: items(50, 'x'.repeat(200)) }] }));
    expect(slackProblems(message)).toEqual([]);
    const lines = sectionLines(message);
    expect(lines.filter((l) => l.startsWith('• '))).toHaveLength(50);
    expect(lines.filter((l) => l === '*H*')).toHaveLength(1);
    expect(lines.some((l) => POINTER.test(l))).toBe(false);
    expect(message.blocks.length).toBeGreaterThanOrEqual(5);
  });

  it('120 text blocks: 48 kept, then "…and 72 more" as the 50th block', async () => {
    const blocks = Array.from({ length: 120 }, (_, i) => ({ type: 'text' as const, text: `Paragraph ${i + 1}` }));
    const message = renderSlack(reply({ blocks }));
    expect(slackProblems(message)).toEqual([]);
    expect(message.blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(sectionLines(message).slice(-2)).toEqual([
      'Paragraph 48',
      '…and 72 more (ask /timeline or /event for the rest)',
    ]);
  });

  it('a 10,000-character text: one section, cut at a word, ending with the pointer', async () => {
    const text = 'word '.repeat(2000).trim();
    const message = renderSlack(reply({ blocks: [{ type: 'text', text }] }));
    expect(slackProblems(message)).toEqual([]);
    const body = message.blocks[1];
    expect(body?.type === 'section' && 'text' in body ? body.text.text : '').toMatch(/^word( word)+ … \(cut to fit/);
    expect(body?.type === 'section' && 'text' in body ? body.text.text.endsWith(CUT_POINTER) : false).toBe(true);
    expect(message.blocks).toHaveLength(2);
  });

  it('text made of characters that escape long (&) is cut between entities', async () => {
    const message = renderSlack(
      reply({ blocks: [{ type: 'text', text: '&<>'.repeat(3000) }], fallbackText: '&'.repeat(5000) }),
    );
    expect(slackProblems(message)).toEqual([]);
    expect(message.text).toMatch(/^(&amp;)+…$/);
  });

  it('500 fields: ten to a section, 48 sections, then "…and 20 more"', async () => {
    const fields = Array.from({ length: 500 }, (_, i) => ({ label: `L${i + 1}`, value: `v${i + 1}` }));
    const message = renderSlack(reply({ blocks: [{ type: 'fields', fields }] }));
    expect(slackProblems(message)).toEqual([]);
    const shown = message.blocks.reduce((n, b) => n + (b.type === 'section' && 'fields' in b ? b.fields.length : 0), 0);
    expect(shown).toBe(480);
    expect(sectionLines(message)).toEqual(['…and 20 more (ask /timeline or /event for the rest)']);
  });

  it('many long fields and columns are cut to 2,000 characters each', async () => {
    const long = 'x'.repeat(5000);
    const message = renderSlack(
      reply({
        blocks: [
          { type: 'fields', fields: [{ label: 'Long', value: long }] },
          { type: 'columns', columns: [{ label: long, value: long }] },
        ],
      }),
    );
    expect(slackProblems(message)).toEqual([]);
  });

  it('300 sources and a long body: the sources keep five sections, each part ends with its pointer', async () => {
    const sources = Array.from({ length: 300 }, (_, i) => source(i + 1));
    const blocks = Array.from({ length: 120 }, (_, i) => ({ type: 'text' as const, text: `Paragraph ${i + 1}` }));
    const message = renderSlack(reply({ blocks, sources, footer: 'As of' }));
    expect(slackProblems(message)).toEqual([]);
    expect(message.blocks).toHaveLength(SLACK_LIMITS.blocks);
    const lines = sectionLines(message);
    const listed = lines.filter((l) => /^\[\d+\] </.test(l)).length;
    const pointers = lines.filter((l) => POINTER.test(l)).map((l) => Number(POINTER.exec(l)?.[1]));
    expect(pointers).toEqual([120 - 42, 300 - listed]);
    const sourceSections = message.blocks.filter(
      (b) => b.type === 'section' && 'text' in b && /^(\*Sources\*|\[\d+\])/.test(b.text.text),
    );
    expect(sourceSections).toHaveLength(MIN_SOURCE_SECTIONS - 1);
  });

  it('300 sources and a short body: every source is listed', async () => {
    const sources = Array.from({ length: 300 }, (_, i) => source(i + 1));
    const message = renderSlack(reply({ blocks: [{ type: 'text', text: 'Short.' }], sources }));
    expect(slackProblems(message)).toEqual([]);
    const lines = sectionLines(message);
    expect(lines.filter((l) => /^\[\d+\] </.test(l))).toHaveLength(300);
    expect(lines).toContain('[300] <https://e.example/300|Source 300> — Publisher');
    expect(lines.some((l) => POINTER.test(l))).toBe(false);
  });

  it('a 300-character title and an empty one make a valid header', async () => {
    const long = renderSlack(reply({ title: 'T'.repeat(300) })).blocks[0];
    expect(long?.type === 'header' ? long.text.text : '').toBe(`${'T'.repeat(149)}…`);
    const empty = renderSlack(reply({ title: '  ', fallbackText: '' }));
    expect(empty.blocks[0]).toMatchObject({ text: { text: 'Hotline' } });
    expect(slackProblems(empty)).toEqual([]);
  });

  it('a source title so long the line cannot hold it is shown as text, the URL kept out of a half link', async () => {
    const message = renderSlack(reply({ sources: [{ ...source(1), title: 'T '.repeat(3000) }] }));
    expect(slackProblems(message)).toEqual([]);
    expect(sectionLines(message)[1]).toMatch(/^\[1\] (T )+T?…$/);
  });

  it('empty parts are left out rather than sent empty', async () => {
    const message = renderSlack(
      reply({
        blocks: [
          { type: 'text', text: '   ' },
          { type: 'list', items: [] },
          { type: 'fields', fields: [{ label: '', value: '' }] },
        ],
      }),
    );
    expect(message.blocks).toHaveLength(1);
  });
});

describe('one full render of a fixture answer', () => {
  it('/event on the fixture', async () => {
    expect(renderSlack(await runCommand('/event 2024-04-16-austin-dong-video-call', '2024-06-01'))).toMatchSnapshot();
  });
});

describe('escaping of characters that reorder or decorate', () => {
  it('removes bidirectional overrides and stops :emoji: shortcodes', async () => {
    expect(escapeMrkdwn('x\u202eevil :fire: 10:30')).toBe('xevil :\u2060fire: 10:30');
  });
});
