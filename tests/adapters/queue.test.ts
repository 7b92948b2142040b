// The answer queue: starts one job per turn of the event loop, and a job waiting on I/O never holds up
// the jobs behind it (issue 11 review: a /subscribe waiting on a dead store must not delay /lastcontact).

import { describe, expect, it } from 'vitest';
import { yieldingQueue } from '../../src/adapters/queue.js';
import { signal } from '../until.js';

describe('yieldingQueue', () => {
  it('finishes a quick job while earlier ones wait on I/O, and runs at most `limit` at once', async () => {
    const run = yieldingQueue(2);
    const { fired: gate, fire: release } = signal();
    const done: string[] = [];
    let running = 0;
    let most = 0;
    const slow = (name: string) =>
      run(async () => {
        running += 1;
        most = Math.max(most, running);
        await gate;
        running -= 1;
        done.push(name);
      });
    const a = slow('a');
    const quick = run(() => {
      done.push('quick');
      return 'answered';
    });
    expect(await quick).toBe('answered');
    expect(done).toEqual(['quick']);
    const b = slow('b');
    const c = slow('c');
    await new Promise((r) => setTimeout(r, 20));
    expect(most).toBe(2); // c waits for a place
    release();
    await Promise.all([a, b, c]);
    expect(done).toEqual(['quick', 'a', 'b', 'c']);
  });

  it('passes a failing job its error and keeps going', async () => {
    const run = yieldingQueue();
    await expect(
      run(() => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await run(() => 1)).toBe(1);
  });
});
