// The README's sample answers are what Hotline answers (issue 13): regenerate them with
//   node bin/run-ts.js scripts/readmeAnswers.ts
// after a change to the data or to how answers read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withFreshAnswers } from '../scripts/readmeAnswers.js';
import { packageRoot } from '../src/dataFiles.js';

describe('README.md', () => {
  it('shows each sample answer exactly as hotline ask gives it on the bundled data', async () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    const blocks = readme.match(/^\$ npx hotline ask '/gm) ?? [];
    expect(blocks.length).toBeGreaterThanOrEqual(12);
    expect(await withFreshAnswers(readme)).toBe(readme);
  });
});
