// Benchmark: how fast the real discord.js client answers /lastcontact interactions from a local fake gateway (Discord allows 3 s).
// Run: npm run bench (or node bin/run-ts.js bench/discord.bench.ts)
import { performance } from 'node:perf_hooks';
import { COMMANDS } from '../commands/index.js';
import { startDiscord } from '../src/adapters/discord/index.js';
import { loadCatalog } from '../src/load.js';
import { startFakeDiscord } from '../tests/fakes/discord.js';
import { summary, timeSequential } from './latency.js';

const RUNS = 1000;
const WARM_UP = 50;
const OPTIONS: Record<string, unknown>[][] = [
  [{ name: 'level', type: 3, value: 'minister' }],
  [{ name: 'person', type: 3, value: 'Dong Jun' }],
  [{ name: 'kind', type: 3, value: 'request-refused' }],
];

const loaded = loadCatalog();
if (!loaded.ok) throw new Error('bundled data is invalid; run npx hotline data check');

const fake = await startFakeDiscord();
const discord = await startDiscord(
  { token: 'bench-token', apiUrl: fake.apiUrl, retries: 0, logLevel: 'error' },
  { catalog: loaded.catalog, commands: COMMANDS, today: () => '2026-11-24' },
);

// From INTERACTION_CREATE leaving the fake gateway to the interaction callback arriving at the fake REST.
async function once(i: number): Promise<number> {
  const start = performance.now();
  const callback = await fake.interact(2, 'lastcontact', OPTIONS[i % OPTIONS.length] as Record<string, unknown>[]);
  const elapsed = performance.now() - start;
  // An error would come back private (flags 64); every line here has an answer in the bundled data.
  if (callback.type !== 4 || callback.data.flags) throw new Error(`unexpected callback ${JSON.stringify(callback)}`);
  return elapsed;
}

const times = await timeSequential(RUNS, WARM_UP, once);
console.log(
  `\n# Discord: interaction to reply for /lastcontact over a local fake gateway (${RUNS} sequential, after ${WARM_UP} warm-up)`,
);
console.log(`${summary(times)} (Discord's limit: 3,000 ms)`);
await discord.stop();
await fake.close();
if (fake.unexpected.length > 0) console.log(`unexpected requests at the fake REST: ${fake.unexpected.join(', ')}`);
