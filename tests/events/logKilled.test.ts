// The event log when a publisher was killed between claiming a revision's seq and recording it (the log's own
// file, tests/events/log.test.ts, has the rest). On its own, and the stores side by side, because the second
// publisher waits out the log's fixed claim wait (CLAIM_WAIT_MS, 10 s) before it takes over: three of those one
// after another were the longest stretch of the suite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { contentHash, type PublishedEvent, publish, readLog } from '../../src/events/log.js';
import { openState } from '../../src/state/index.js';
import { backends, newScope, reachableOrSkipped } from '../fakes/backends.js';

const AT = '2027-01-01T00:00:00.000Z';

const tmp = mkdtempSync(join(tmpdir(), 'hotline-logkilled-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const all = await backends(tmp);

/** A minimal valid event with the given id suffix (as in log.test.ts). */
function event(n: number): PublishedEvent {
  return {
    id: `2027-01-${String((n % 28) + 1).padStart(2, '0')}-event-${n}`,
    date: `2027-01-${String((n % 28) + 1).padStart(2, '0')}`,
    kind: 'call',
    status: 'held',
    level: 'minister',
    mechanisms: [],
    participants: [],
    topics: [],
    summary: `Event ${n}.`,
    sources: [{ title: 'Source', publisher: 'Example', url: 'https://example.org/a' }],
    recordedAt: '2027-01-02',
  };
}

describe.concurrent('event log', () => {
  describe.each(all)('$name', (backend) => {
    // In CI a missing server is a failure; locally it is a visible skip with the reason.
    const { skip, reason } = reachableOrSkipped(backend);

    it.skipIf(skip)(
      `logs a revision once when its publisher was killed between the seq claim and its record${reason}`,
      async ({ expect }) => {
        const state = await openState(backend.url, { scope: newScope('lk') });
        try {
          await publish(state, event(1), AT);
          const killed = event(2);
          // What a publisher killed at that point leaves: the revision claimed (as an older version wrote
          // claims, without `from`), its log entry written, and the claim never given its seq.
          const hash = contentHash(killed);
          await state.setIfAbsent('events', `rev:${killed.id}:1`, { hash });
          await state.setIfAbsent('events', 'seq:000000000002', {
            seq: 2,
            id: killed.id,
            revision: 1,
            hash,
            recordedAt: AT,
            event: killed as never,
          });
          expect(await publish(state, killed, AT)).toEqual({ seq: 2, revision: 1, status: 'unchanged' });
          expect((await readLog(state)).map((e) => `${e.seq} ${e.id} r${e.revision}`)).toEqual([
            `1 ${event(1).id} r1`,
            `2 ${killed.id} r1`,
          ]);
          // And the next event takes the next number.
          expect((await publish(state, event(3), AT)).seq).toBe(3);
        } finally {
          await state.destroy();
          await state.close();
        }
      },
    );
  });
});
