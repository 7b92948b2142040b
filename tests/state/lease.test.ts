// Work under a named lease (src/state/lease.ts): renewed while it runs; a person told to try again when another
// keeps it.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { openState, type State } from '../../src/state/index.js';
import { underLease } from '../../src/state/lease.js';
import { signal } from '../until.js';

describe('underLease', () => {
  let state: State;
  beforeEach(async () => {
    state = await openState('sqlite::memory:');
  });
  afterEach(() => state.close());

  it('is renewed while the work runs, so a long holder keeps it past its lifetime (it lapsed, and a second holder got in)', async () => {
    const order: string[] = [];
    const { fired: released, fire: release } = signal();
    const { fired: inside, fire: entered } = signal();
    // The first holds the lease (lifetime 150 ms) for far longer than that.
    const first = underLease(
      state,
      'event:x',
      'x',
      async () => {
        entered();
        await released;
        order.push('first done');
      },
      150,
    );
    await inside;
    // The second waits up to two of its own lifetimes (2 s) for it.
    const second = underLease(state, 'event:x', 'x', async () => order.push('second in'), 1_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // over three lifetimes: it would have lapsed
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first done', 'second in']);
  });

  it('tells the person to try again, as a user error, when another keeps it (it was an internal error)', async () => {
    await state.acquireLease('event:y', 'someone else', 60_000);
    const refused = await underLease(state, 'event:y', 'Event y', async () => 'done', 50).catch((error) => error);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).message).toBe(
      'Event y is being changed elsewhere; nothing was changed. Try again in a moment.',
    );
  });
});
