// Hostile data and ingest files (issue 11): a few bytes of YAML aliases must never expand into gigabytes.
import { describe, expect, it } from 'vitest';
import { checkIngest } from '../../src/events/ingest.js';
import { readDataFiles } from '../../src/load.js';
import { FIXTURE_DIR } from '../helpers.js';

/** The "billion laughs" of YAML: nine levels of nine aliases, about 390 million strings once expanded. */
const ALIAS_BOMB = [
  '- id: 2027-01-01-bomb',
  '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, i) => {
    const prev = 'abcdefghi'[i] as string;
    return `  ${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`;
  }),
].join('\n');

describe('YAML aliases in data and ingest files', () => {
  it('refuses an alias bomb at once, naming the file and line of the first alias', () => {
    expect(ALIAS_BOMB.length).toBeLessThan(800);
    const result = checkIngest(readDataFiles(FIXTURE_DIR), { path: 'bomb.yaml', text: ALIAS_BOMB });
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: 'bomb.yaml',
          field: 'line 3, column 10',
          reason: 'YAML aliases (*name) are not allowed in Hotline data; write the value out in full',
        },
      ],
    });
  });

  it('refuses a plain alias too, on its own line or after a key', () => {
    const after = checkIngest(readDataFiles(FIXTURE_DIR), { path: 'a.yaml', text: '- &x {id: x}\n- *x\n' });
    expect(after.ok === false && after.errors[0]?.field).toBe('line 2, column 3');
    const key = checkIngest(readDataFiles(FIXTURE_DIR), {
      path: 'b.yaml',
      text: '- id: 2027-01-01-x\n  topics: &t [taiwan]\n  more: *t\n',
    });
    expect(key.ok === false && key.errors[0]).toEqual({
      file: 'b.yaml',
      field: 'line 3, column 9',
      reason: 'YAML aliases (*name) are not allowed in Hotline data; write the value out in full',
    });
  });

  it('still reads an asterisk inside quoted text as text', () => {
    const result = checkIngest(readDataFiles(FIXTURE_DIR), {
      path: 'star.yaml',
      text: '- id: 2027-01-01-x\n  summary: "*not an alias*"\n',
    });
    expect(result.ok === false && result.errors.every((e) => !e.reason.includes('alias'))).toBe(true);
  });
});
