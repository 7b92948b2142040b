// Work done under a named lease of the state: a draft (`draft:<id>`) or an event (`event:<id>`) that two
// editors, two instances or an editor and `hotline ingest` may change at the same moment.
import { UserError } from '../core/errors.js';
import type { State } from './index.js';

/** How long a lease is held before another may take it (a holder that died). */
const LOCK_MS = 10_000;

/**
 * Runs `work` holding the lease `name` (the state has no compare-and-set; leases are atomic on every store). Waits
 * for a holder that is at work; a holder that died frees it after `lockMs`. The lease is renewed while `work` runs,
 * however long it waits on a slow store (or on another lease inside it), so it never lapses under a live holder.
 * When it stays held by another, the person is told to try again (`what` names it), and nothing was done.
 */
export async function underLease<T>(
  state: State,
  name: string,
  what: string,
  work: () => Promise<T>,
  lockMs = LOCK_MS,
): Promise<T> {
  const holder = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const deadline = Date.now() + lockMs * 2;
  while (!(await state.acquireLease(name, holder, lockMs)).held) {
    if (Date.now() > deadline)
      throw new UserError('busy', `${what} is being changed elsewhere; nothing was changed. Try again in a moment.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // A renewal that fails (the store went away) is tried again at the next tick; the holder's own writes fail then.
  const renewal = setInterval(() => {
    void state.acquireLease(name, holder, lockMs).catch(() => undefined);
  }, lockMs / 3);
  try {
    return await work();
  } finally {
    clearInterval(renewal);
    await state.releaseLease(name, holder).catch(() => undefined);
  }
}
