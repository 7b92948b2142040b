// Outside text can carry terminal escapes, bells, NULs and invisible marks (issue 11): no renderer passes
// them on, and no data file may contain them.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { renderDiscord } from '../../src/adapters/discord/render.js';
import { renderSlack } from '../../src/adapters/slack/render.js';
import { renderText } from '../../src/console/render.js';
import { ask } from '../../src/core/dispatch.js';
import type { Reply } from '../../src/core/reply.js';
import { readDataFiles } from '../../src/dataFiles.js';
import { checkIngest } from '../../src/events/ingest.js';
import { HIDDEN_CHARS } from '../fakes/limits.js';
import { FIXTURE_DIR, fixture } from '../helpers.js';

const HOSTILE = 'a\u001b]0;owned\u0007b\u001b[31mc\u0000d\u200be\ufeff\u2060f\u202eg\u009bh';

const reply: Reply = {
  tone: 'answer',
  title: `T ${HOSTILE}`,
  blocks: [
    { type: 'text', text: HOSTILE },
    { type: 'fields', fields: [{ label: 'L', value: HOSTILE }] },
    { type: 'list', items: [HOSTILE] },
  ],
  sources: [{ title: HOSTILE, publisher: HOSTILE, url: 'https://example.org/x' }],
  footer: HOSTILE,
  fallbackText: HOSTILE,
};

const BAD = HIDDEN_CHARS;

describe('control characters and invisible marks', () => {
  it('never reach the terminal', () => {
    const text = renderText(reply);
    expect(text).not.toMatch(BAD);
    expect(text).toContain('cdefgh');
  });

  it('never reach Discord (the renderer adds only its own zero-width spaces)', () => {
    const json = JSON.stringify(renderDiscord(reply));
    const parsed = JSON.stringify(JSON.parse(json), (_k, v) => (typeof v === 'string' ? v.replace(/\u200b/g, '') : v));
    expect(parsed).not.toMatch(BAD);
    expect(parsed).toContain('cdefgh');
  });

  it('never reach Slack (the renderer adds only its own word joiners)', () => {
    const all = JSON.stringify(renderSlack(reply), (_k, v) => (typeof v === 'string' ? v.replace(/\u2060/g, '') : v));
    expect(all).not.toMatch(BAD);
    expect(all).toContain('cdefgh');
  });

  it('typed into a question, are not echoed back', async () => {
    const { reply: answer } = await ask(`/event \u001b[2J2024-\u200b04-16-x`, {
      catalog: fixture(),
      commands: COMMANDS,
      now: '2024-06-01',
    });
    expect(renderText(answer)).not.toMatch(BAD);
  });

  it('are refused in a data or ingest file, naming the field and the character', () => {
    const result = checkIngest(readDataFiles(FIXTURE_DIR), {
      path: 'esc.yaml',
      text: [
        '- id: 2027-01-01-escape',
        '  date: "2027-01-01"',
        '  kind: call',
        '  status: held',
        '  level: minister',
        '  summary: "Looks fine\\e]0;owned\\a"',
        '  sources:',
        '    - {title: "T\\u200b", publisher: P, url: "https://example.org/x"}',
        '  recordedAt: "2027-01-02"',
      ].join('\n'),
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: 'esc.yaml',
          id: '2027-01-01-escape',
          field: 'summary',
          reason: 'contains an invisible or control character (U+001B); delete it',
        },
        {
          file: 'esc.yaml',
          id: '2027-01-01-escape',
          field: 'sources.0.title',
          reason: 'contains an invisible or control character (U+200B); delete it',
        },
      ],
    });
  });
});

describe('Discord option values of an unexpected type', () => {
  it('are passed on as text for the parser to explain, or refused with a clear answer', async () => {
    const { optionValues } = await import('../../src/adapters/discord/index.js');
    expect(optionValues([{ name: 'level', type: 5, value: true }] as never)).toEqual({ level: 'true' });
    expect(() => optionValues([{ name: 'group', type: 1, options: [] }] as never)).toThrow(
      'Discord sent "group" without a value, which Hotline\'s commands never take; the commands may need registering again (npx hotline discord register).',
    );
    const { run } = await import('../../src/core/dispatch.js');
    const lastcontact = COMMANDS.find((c) => c.name === 'lastcontact');
    if (!lastcontact) throw new Error('lastcontact exists');
    const reply = await run(lastcontact, optionValues([{ name: 'level', type: 5, value: true }] as never), {
      catalog: fixture(),
      commands: COMMANDS,
      now: '2024-06-01',
    });
    expect(reply.tone).toBe('error');
    expect(reply.fallbackText).toMatch(/^level: "true" is not one of/);
  });
});
