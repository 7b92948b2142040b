// Hostile data and ingest files (issue 11): a few bytes of YAML aliases must never expand into gigabytes.
import { describe, expect, it } from 'vitest';
import { readDataFiles } from '../../src/dataFiles.js';
import { checkIngest } from '../../src/events/ingest.js';
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

describe('files that are not data', () => {
  it('refuses a device, a directory and a file over the size limit, saying what to do', async () => {
    const { readDataFile, MAX_FILE_BYTES } = await import('../../src/dataFiles.js');
    const { mkdtempSync, writeFileSync, truncateSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    expect(() => readDataFile('/dev/zero')).toThrow('/dev/zero is not a regular file');
    const dir = mkdtempSync(join(tmpdir(), 'hotline-big-'));
    try {
      expect(() => readDataFile(dir)).toThrow(`${dir} is not a regular file`);
      const big = join(dir, 'big.yaml');
      writeFileSync(big, '');
      truncateSync(big, MAX_FILE_BYTES + 1);
      expect(() => readDataFile(big)).toThrow(
        /big\.yaml is 16\.0 MB; files of up to 16 MB are read: split it into smaller files$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks a file of 150,000 list entries without overflowing the stack', () => {
    const result = checkIngest(readDataFiles(FIXTURE_DIR), { path: 'many.yaml', text: '- 1\n'.repeat(150_000) });
    expect(result.ok).toBe(false);
  });
});
