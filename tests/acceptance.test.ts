// Issue 7's acceptance, as a person does it: /subscribe in the console, `hotline ingest` in another
// shell, the notice appears in the console; after a restart the subscription is still there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_DIR, killConsoles, openConsole, runProcess, until } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'hotline-acceptance-'));
afterAll(() => {
  killConsoles();
  rmSync(tmp, { recursive: true, force: true });
});

const env = { STATE_URL: `sqlite:${join(tmp, 'state.db')}`, HOTLINE_DATA: FIXTURE_DIR };
const openFirst = () => openConsole(env, ['--now', '2027-02-01']);

const EVENT = `
- id: 2027-01-10-test-call
  date: "2027-01-10"
  kind: call
  status: held
  level: minister
  participants:
    - {person: lloyd-austin, side: US}
  topics: [taiwan]
  summary: A test call about Taiwan.
  sources:
    - {title: Test readout, publisher: Example, url: "https://example.org/x"}
  recordedAt: "2027-01-11"
`;

describe('subscribe in the console, ingest in another shell', () => {
  it('shows the notice, answers /event for the ingested event, and keeps the subscription across a restart', async () => {
    const first = openFirst();
    first.type('/subscribe topic:taiwan');
    await until('the subscription', () => first.output().includes('Subscribed (#1)'));

    const file = join(tmp, 'new.yaml');
    writeFileSync(file, EVENT);
    const ingest = await runProcess(process.execPath, ['bin/hotline.js', 'ingest', file], { env });
    expect(ingest.stderr).toBe('');
    expect(ingest.stdout).toMatch(/^ingested 1 event: 1 new, 0 revised, 0 unchanged/);

    await until('the notice', () => first.output().includes('New: Call: Lloyd Austin'));
    expect(first.output()).toContain('A test call about Taiwan.');
    expect(first.output()).toContain('Subscription #1 · /event 2027-01-10-test-call · /subscribe list');
    first.type('/event 2027-01-10-test-call');
    await until('the event', () => first.output().includes('https://example.org/x\n'));

    // A bad file changes nothing and says why.
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, EVENT.replace('level: minister', 'level: emperor'));
    const refused = await runProcess(process.execPath, ['bin/hotline.js', 'ingest', bad], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing was ingested');

    await first.close();

    // The restart reads the log from where the first start left it (its checkpoint), ingested event included.
    const second = await runProcess(process.execPath, ['bin/hotline.js', 'start', '--now', '2027-02-01'], {
      env,
      input: '/subscribe list\n/event 2027-01-10-test-call\n',
    });
    expect(second.stdout).toContain('#1 · new events: topic Taiwan — active · last notice');
    expect(second.stdout).toContain('(2027-01-10-test-call)');
    expect(second.stdout).toContain('A test call about Taiwan.');
  });
});
