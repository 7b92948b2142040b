// Concurrent decisions on one draft through the desk, on two "instances" (two desks over one state), many
// rounds: node bin/run-ts.js bench/attack/drafts-race-probe.ts [rounds]
// Each round files a fresh draft and fires at once: approve, approve again (a double press), an edit, a merge,
// a reject, and a feed item about the same contact. Checks, per round: at most one decision; the draft's status
// and the log agree; an approved draft's event is the draft as the last edit left it; every item on a decided
// draft is cited by what it published; no claim is left on a pending draft.
import { draftDesk } from '../../src/drafts/desk.js';
import { eventFromDraft } from '../../src/drafts/event.js';
import { readLog } from '../../src/events/log.js';
import { openState } from '../../src/state/index.js';
import { HEGSETH_DONG_CALL, proposalOf } from '../../tests/drafts/fixtures.js';
import { bundled } from '../../tests/helpers.js';

const rounds = Number(process.argv[3] ?? 200); // argv[2] is this file (bin/run-ts.js runs it)
const catalog = bundled();
const target = '2025-09-09-hegseth-dong-video-call';
const state = await openState('sqlite::memory:');
const problems: string[] = [];
const outcomes = new Map<string, number>();
for (let round = 0; round < rounds; round++) {
  // Each round its own day, so its draft is its own contact and its approval its own event id.
  const day = new Date(Date.UTC(2026, 0, 1) + round * 10 * 86_400_000).toISOString().slice(0, 10);
  const now = new Date(`${day}T13:00:00.000Z`);
  const a = draftDesk({ state, catalog: () => catalog, clock: () => now });
  const b = draftDesk({ state, catalog: () => catalog, clock: () => now });
  const item = { ...HEGSETH_DONG_CALL, url: `https://www.war.test/r/${round}`, published: day };
  const filed = await a.book.propose(proposalOf(item, catalog, `${day}T12:00:00.000Z`), catalog, now.toISOString());
  if (filed.outcome !== 'created') {
    problems.push(`round ${round}: filed ${JSON.stringify(filed)}`);
    continue;
  }
  const { id } = filed;
  const joining = { ...item, url: `${item.url}?copy`, title: `${item.title} (copy)` };
  // Each action starts after a random number of turns of the event loop, so every order is tried.
  const later = async <T>(run: () => Promise<T>): Promise<T> => {
    for (let turns = Math.floor(Math.random() * 40); turns > 0; turns--) await new Promise(setImmediate);
    return run();
  };
  const results = await Promise.allSettled([
    later(() => a.approve(id, 'UA')),
    later(() => b.approve(id, 'UA')),
    later(() => b.edit(id, 'level=leaders', 'UB')),
    later(() => a.merge(id, target, 'UC')),
    later(() => b.reject(id, 'duplicate', 'UD')),
    later(() => a.book.propose(proposalOf(joining, catalog, `${day}T12:00:00.000Z`), catalog, now.toISOString())),
  ]);
  const names = ['approve', 'approve2', 'edit', 'merge', 'reject', 'join'];
  const done = results.flatMap((r, i) => (r.status === 'fulfilled' && i < 5 && names[i] !== 'edit' ? [names[i]] : []));
  const key = done.join('+') || 'none';
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  const stored = await a.book.get(id);
  if (!stored) continue;
  if (done.length > 1) problems.push(`round ${round}: two decisions: ${done.join(', ')}`);
  const log = await readLog(state, 0, 100_000);
  const approvedEntry = log.find((e) => e.id === `${day}-hegseth-dong-call`);
  if (stored.status === 'approved') {
    const expected = eventFromDraft(stored, catalog, day);
    if (!approvedEntry) problems.push(`round ${round}: approved, nothing logged`);
    else if (approvedEntry.event.level !== expected.level)
      problems.push(`round ${round}: approved with level ${approvedEntry.event.level}, draft says ${expected.level}`);
    const cited = new Set(approvedEntry?.event.sources.map((s) => s.url));
    for (const i of stored.items) if (!cited.has(i.url)) problems.push(`round ${round}: item ${i.url} not cited`);
  } else if (approvedEntry) problems.push(`round ${round}: ${stored.status}, yet its event was logged`);
  if (stored.status === 'merged') {
    const last = log.filter((e) => e.id === target).at(-1);
    const cited = new Set(last?.event.sources.map((s) => s.url));
    for (const i of stored.items)
      if (!cited.has(i.url)) problems.push(`round ${round}: merged item ${i.url} not cited`);
  }
  if (stored.status === 'pending' && (await state.drafts.get(`decided:${String(id).padStart(6, '0')}`)))
    problems.push(`round ${round}: pending with a claim left`);
}
console.log('decisions per round:', Object.fromEntries(outcomes));
console.log(problems.length === 0 ? 'no problem found' : problems.slice(0, 30).join('\n'));
await state.close();
