// The argument parser: text lines and typed values to options, and every kind of bad input.
import { describe, expect, it } from 'vitest';
import channels from '../../commands/channels.js';
import digest from '../../commands/digest.js';
import event from '../../commands/event.js';
import lastcontact from '../../commands/lastcontact.js';
import search from '../../commands/search.js';
import { coerceOptions, formatLine, parseLine, parsePeriod, tokenize } from '../../src/core/args.js';
import { UserError } from '../../src/core/errors.js';

function failure(fn: () => unknown): { code: string; message: string; example: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return { code: error.code, message: error.message, example: error.example };
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('tokenize', () => {
  it('splits options, quoted values, curly quotes and bare words', async () => {
    expect(tokenize('level:minister person:"Dong Jun" taiwan -topic:exercise person:“Li Shangfu”')).toEqual([
      { name: 'level', value: 'minister', negated: false, raw: 'level:minister' },
      { name: 'person', value: 'Dong Jun', negated: false, raw: 'person:"Dong Jun"' },
      { value: 'taiwan', negated: false, raw: 'taiwan' },
      { name: 'topic', value: 'exercise', negated: true, raw: '-topic:exercise' },
      { name: 'person', value: 'Li Shangfu', negated: false, raw: 'person:“Li Shangfu”' },
    ]);
  });

  it('lowercases option names and keeps Chinese values', async () => {
    expect(tokenize('Person:董军')).toEqual([{ name: 'person', value: '董军', negated: false, raw: 'Person:董军' }]);
  });

  it('refuses an unclosed quote', async () => {
    expect(failure(() => tokenize('person:"Dong Jun'))).toEqual({
      code: 'unclosed-quote',
      message: 'A quote is not closed in: person:"Dong Jun',
      example: undefined,
    });
    expect(failure(() => parseLine(lastcontact, 'person:"Dong Jun')).example).toBe('/lastcontact level:minister');
  });
});

describe('parseLine', () => {
  it('GIVEN the issue example THEN bare words fill the topic', async () => {
    expect(parseLine(lastcontact, 'level:minister person:"Dong Jun" taiwan')).toEqual({
      level: 'minister',
      person: 'Dong Jun',
      topic: 'taiwan',
    });
  });

  it('accepts choice aliases, underscores and any case', async () => {
    expect(parseLine(lastcontact, 'level:SecDef kind:Video_Call format:in_person side:china')).toEqual({
      level: 'minister',
      kind: 'video-call',
      format: 'in-person',
      side: 'PRC',
    });
  });

  it('types dates and periods', async () => {
    expect(parseLine(digest, 'taiwan period:6m')).toEqual({ topic: 'taiwan', period: { amount: 6, unit: 'm' } });
    expect(parseLine(digest, 'since:2024-01-31')).toEqual({ since: '2024-01-31' });
  });

  it('refuses a value that is not a choice, suggesting the closest', async () => {
    expect(failure(() => parseLine(lastcontact, 'level:admiral'))).toEqual({
      code: 'bad-value',
      message:
        'level: "admiral" is not one of leaders, minister, chief-of-defense, theater-commander, senior-official or working-level.',
      example: '/lastcontact level:minister',
    });
    expect(failure(() => parseLine(lastcontact, 'level:ministr')).message).toContain('Did you mean minister?');
  });

  it('refuses an unknown option, naming the options there are', async () => {
    expect(failure(() => parseLine(lastcontact, 'levl:minister'))).toEqual({
      code: 'unknown-option',
      message:
        '/lastcontact has no option "levl". Did you mean level:? Its options are topic:, level:, person:, side:, mechanism:, format:, kind: or before:.',
      example: '/lastcontact level:minister',
    });
  });

  it('refuses a date that is not one', async () => {
    expect(failure(() => parseLine(digest, 'since:yesterdayish'))).toEqual({
      code: 'bad-value',
      message: 'since: "yesterdayish" is not a date. Write dates as YYYY-MM-DD (or YYYY-MM, YYYY).',
      example: '/digest since:2024-01-01',
    });
    expect(failure(() => parseLine(digest, 'since:2023-02-30')).code).toBe('bad-value');
  });

  it('refuses a period that is not one', async () => {
    expect(failure(() => parseLine(digest, 'period:fortnight')).message).toBe(
      'period: "fortnight" is not a period. Write a number and a unit: 30d, 12w, 6m or 1y.',
    );
  });

  it('refuses the same option twice, and bare words duplicating the rest option', async () => {
    expect(failure(() => parseLine(lastcontact, 'level:minister level:leaders')).code).toBe('duplicate-option');
    expect(failure(() => parseLine(lastcontact, 'topic:taiwan nuclear')).message).toBe(
      '"topic" is given twice: as topic:taiwan and as "nuclear".',
    );
  });

  it('refuses exclusions where a command has none', async () => {
    expect(failure(() => parseLine(lastcontact, '-topic:taiwan')).message).toBe(
      '"-topic:taiwan": /lastcontact cannot exclude values; remove the leading "-".',
    );
  });

  it('refuses an empty value and a missing required option', async () => {
    expect(failure(() => parseLine(lastcontact, 'level:')).message).toBe(
      'level: "" is empty; give a value after the colon.',
    );
    expect(failure(() => parseLine(event, ''))).toEqual({
      code: 'missing-option',
      message: '/event needs the event id, e.g. 2024-04-16-austin-dong-video-call.',
      example: '/event 2024-04-16-austin-dong-video-call',
    });
  });

  it('refuses bare words where a command takes none as rest', async () => {
    const noRest = { ...channels, options: channels.options.filter((o) => !o.rest) };
    expect(failure(() => parseLine(noRest, 'open ones')).message).toBe(
      '/channels does not take bare words ("open ones"). Its options are date:.',
    );
  });
});

describe('commands that take only free text', () => {
  it('read the whole line as their text, colons and quotes included', async () => {
    expect(parseLine(search, 'https://defense.gov Xi: hotline')).toEqual({ query: 'https://defense.gov Xi: hotline' });
    expect(parseLine(search, '"Shangri-La Dialogue"')).toEqual({ query: 'Shangri-La Dialogue' });
    expect(parseLine(search, 'query:董军')).toEqual({ query: '董军' });
    // Its other options, at the end, are options: the rest stays text.
    expect(parseLine(search, 'https://defense.gov Xi: hotline page:2')).toEqual({
      query: 'https://defense.gov Xi: hotline',
      page: 2,
    });
    expect(parseLine(search, '"Dong Jun" page:3')).toEqual({ query: 'Dong Jun', page: 3 });
    expect(parseLine(search, 'page:2 talks')).toEqual({ query: 'page:2 talks' });
    expect(failure(() => parseLine(search, 'talks page:11')).code).toBe('bad-value');
    expect(failure(() => parseLine(search, '  ')).code).toBe('missing-option');
  });
});

describe('coerceOptions (typed platform values)', () => {
  it('checks typed values exactly as text ones', async () => {
    expect(coerceOptions(lastcontact, { level: 'minister', before: '2024-02-01' })).toEqual({
      level: 'minister',
      before: '2024-02-01',
    });
    expect(failure(() => coerceOptions(lastcontact, { level: 'admiral' })).code).toBe('bad-value');
    expect(failure(() => coerceOptions(lastcontact, { rank: 'x' })).code).toBe('unknown-option');
  });
});

describe('parsePeriod', () => {
  it.each([
    ['30d', { amount: 30, unit: 'd' }],
    ['12 weeks', { amount: 12, unit: 'w' }],
    ['6M', { amount: 6, unit: 'm' }],
    ['1 year', { amount: 1, unit: 'y' }],
  ])('%s', (text, period) => expect(parsePeriod(text)).toEqual(period));

  it.each(['0d', '-3d', 'd', '5 fortnights', '1000y'])('refuses %s', async (text) =>
    expect(parsePeriod(text)).toBeUndefined(),
  );
});

describe('formatLine', () => {
  it('writes options back as a line that parses to the same options', async () => {
    const options = parseLine(digest, 'south china sea period:6m person:"Dong Jun" level:minister');
    const line = formatLine(digest, options);
    expect(line).toBe('/digest "south china sea" period:6m level:minister person:"Dong Jun"');
    expect(parseLine(digest, line.replace('/digest ', ''))).toEqual(options);
  });
});
