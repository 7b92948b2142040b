// Benchmark: how fast the real Bolt app acknowledges signed slash commands on loopback (Slack allows 3 s).
// Run: npm run bench (or node bin/run-ts.js bench/slack.bench.ts)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { COMMANDS } from '../commands/index.js';
import { startSlack } from '../src/adapters/slack/index.js';
import { loadCatalog } from '../src/load.js';
import { postSlashCommand, slackSignature } from '../tests/fakes/http.js';
import { summary, timeSequential } from './latency.js';

const SECRET = 'bench-secret';
const RUNS = 1000;
const LINES = ['level:minister', 'person:"Dong Jun"', 'taiwan level:leaders', 'kind:request-refused'];

const loaded = loadCatalog();
if (!loaded.ok) throw new Error('bundled data is invalid; run npx hotline data check');

// A fake Slack: auth.test at start-up, and response_url for the answers (counted, not checked).
let answers = 0;
const fake = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/api/auth.test') res.end('{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}');
    else {
      answers++;
      res.end('{"ok":true}');
    }
  });
});
await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
const fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
const slack = await startSlack(
  {
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    apiUrl: `${fakeUrl}/api/`,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'error',
  },
  { catalog: loaded.catalog, commands: COMMANDS, today: () => '2026-11-24' },
);
const url = `http://127.0.0.1:${slack.port}/slack/events`;

async function once(i: number): Promise<number> {
  const body = new URLSearchParams({
    command: '/lastcontact',
    text: LINES[i % LINES.length] as string,
    user_id: 'U1',
    channel_id: 'C1',
    team_id: 'T1',
    response_url: `${fakeUrl}/response`,
    trigger_id: `bench.${i}.${Date.now()}`, // every real request differs; a repeat would be refused as a replay
  }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = slackSignature(SECRET, ts, body);
  const start = performance.now();
  const response = await postSlashCommand(url, body, { signature, timestamp: ts });
  await response.text();
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  return performance.now() - start;
}

const times = await timeSequential(RUNS, 50, once);
console.log(
  `\n# Slack: ack latency of signed /lastcontact requests on loopback (${RUNS} sequential, after 50 warm-up)`,
);
console.log(`${summary(times)} (Slack's limit: 3,000 ms)`);
// Answers follow each ack through response_url; let the last ones arrive before stopping.
const sent = RUNS + 50;
for (let waited = 0; answers < sent && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
await slack.stop();
fake.close();
console.log(`answers delivered to response_url: ${answers} of ${sent}`);
