// The README's sample answers, regenerated from the bundled data: every block that starts with
// `$ npx hotline ask '<line>' --now <day>` gets the answer `hotline ask` prints for it. The blocks are
// answered in order in one channel, so a /subscribe walk-through builds on itself.
//   node bin/run-ts.js scripts/readmeAnswers.ts          rewrites README.md
// tests/readme.test.ts checks that README.md is what this produces, so the docs cannot drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../commands/index.js';
import { CONSOLE_CHANNEL } from '../src/console/poster.js';
import { renderText } from '../src/console/render.js';
import { ask } from '../src/core/dispatch.js';
import { packageRoot } from '../src/dataFiles.js';
import { loadCatalog } from '../src/load.js';
import { openState } from '../src/state/index.js';
import { subscriptionBook } from '../src/subscriptions/book.js';

const BLOCK = /```\n\$ npx hotline ask '([^']+)' --now (\d{4}-\d{2}-\d{2})\n[\s\S]*?```/g;

/** `readme` with every sample answer replaced by the answer the bundled data gives now. */
export async function withFreshAnswers(readme: string): Promise<string> {
  const loaded = loadCatalog();
  if (!loaded.ok) throw new Error('the bundled data is invalid; run npx hotline data check');
  const state = await openState('sqlite::memory:');
  try {
    // A fixed clock, so "created" times in the answers do not change from run to run.
    const book = subscriptionBook(
      state,
      { platform: 'console', channel: CONSOLE_CHANNEL },
      () => new Date('2026-11-24T12:00:00Z'),
    );
    const answers: string[] = [];
    for (const [, line, now] of readme.matchAll(BLOCK)) {
      const { reply } = await ask(line as string, {
        catalog: loaded.catalog,
        commands: COMMANDS,
        now: now as string,
        channel: CONSOLE_CHANNEL,
        subscriptions: book,
      });
      answers.push(renderText(reply));
    }
    let i = 0;
    return readme.replace(BLOCK, (_all, line: string, now: string) => {
      const answer = answers[i++] as string;
      return `\`\`\`\n$ npx hotline ask '${line}' --now ${now}\n${answer}\n\`\`\``;
    });
  } finally {
    await state.close();
  }
}

// Run as a script (node bin/run-ts.js scripts/readmeAnswers.ts), not when a test imports it.
if (process.argv.slice(1).some((arg) => resolve(arg) === fileURLToPath(import.meta.url))) {
  const path = join(packageRoot(), 'README.md');
  writeFileSync(path, await withFreshAnswers(readFileSync(path, 'utf8')));
  console.log('README.md: sample answers regenerated from the bundled data');
}
