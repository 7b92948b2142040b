// The crash tests' run of a job child killed again and again (tests/jobs/crash.test.ts for the notifier,
// tests/jobs/schedulerCrash.test.ts for the scheduler), and their check that every duplicate was in flight at a kill.
import type { ExpectStatic } from 'vitest';
import { type Delivery, deliveries, type NotifierChild } from './notifierChild.js';

/** What one run of the child did before it was killed. */
export interface Kill {
  holder: string;
  /** Lines in the deliveries file when the process was gone. */
  lines: number;
  /** Lines in the file when it started. */
  before: number;
  how: string;
}

/**
 * One child per plan, each started (loading its code) while the one before still runs and let open the state
 * once that one is dead: it takes over when the dead holder's lease has expired. `start(n, plan)` starts the
 * n-th (from 1) with WAIT_GO.
 */
export function incarnations(
  file: string,
  plans: readonly NodeJS.ProcessEnv[],
  start: (n: number, plan: NodeJS.ProcessEnv) => NotifierChild,
  loadMs = 120_000,
) {
  let started = 0;
  const spawnNext = () => {
    const plan = plans[started] ?? {};
    return start(++started, plan);
  };
  let next = spawnNext();
  const kills: Kill[] = [];
  return {
    kills,
    /** Lets the child started last open the state, and starts the one after it. */
    async launch(): Promise<NotifierChild> {
      const child = next;
      await child.waitFor('loaded', loadMs);
      child.go();
      if (started < plans.length) next = spawnNext();
      return child;
    },
    /** SIGKILLs `child`, noting how many lines the file had when it started (`before`) and when it was gone. */
    async kill(child: NotifierChild, before: number, how: string): Promise<void> {
      await child.kill();
      kills.push({ holder: child.holder, lines: deliveries(file).length, before, how });
    },
  };
}

/**
 * Every copy of a delivery but its last must be the last line of a killed run (the one in flight when it died),
 * so there are at most as many extra copies as kills. Returns the line numbers of the extra copies.
 */
export function expectDuplicatesOnlyAtKills(expect: ExpectStatic, lines: Delivery[], kills: Kill[]): number[] {
  const lastLines = new Set(kills.filter((k) => k.lines > k.before).map((k) => k.lines - 1));
  const copies = new Map<string, number[]>();
  for (const [i, line] of lines.entries()) copies.set(line.notice, [...(copies.get(line.notice) ?? []), i]);
  const extra = [...copies.values()].flatMap((at) => at.slice(0, -1));
  for (const i of extra) expect(lastLines, `line ${i} (${lines[i]?.notice}) came again`).toContain(i);
  expect(extra.length).toBe(lines.length - copies.size);
  expect(extra.length).toBeLessThanOrEqual(kills.length);
  // Each run's lines are contiguous: no two runs ever delivered at the same time.
  const holders = lines.map((line) => line.holder).filter((holder, i, all) => i === 0 || all[i - 1] !== holder);
  expect(new Set(holders).size).toBe(holders.length);
  return extra;
}
