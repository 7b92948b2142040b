// The three state backends the tests run on: an embedded file, and Redis and PostgreSQL on 127.0.0.1.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openState } from '../../src/state/index.js';

/** One backend: its name, its STATE_URL, and why its server is absent (undefined when it answers). */
export interface Backend {
  name: string;
  url: string;
  down: string | undefined;
}

/** Whether a missing server must fail the run (CI) rather than be skipped with its reason (locally). */
export const CI = Boolean(process.env.CI);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why a server cannot be opened, or undefined when it can (one real open, in a scope removed at once). */
async function reachable(url: string): Promise<string | undefined> {
  try {
    const state = await openState(url, { scope: `probe${process.pid}` });
    await state.destroy();
    await state.close();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The embedded file (in `dir`), Redis and PostgreSQL, each with whether it can be reached now. */
export async function backends(dir: string): Promise<Backend[]> {
  const [redisDown, postgresDown] = await Promise.all([reachable(REDIS_URL), reachable(POSTGRES_URL)]);
  return [
    { name: 'embedded SQLite', url: `sqlite:${join(dir, 'state.db')}`, down: undefined },
    { name: 'Redis', url: REDIS_URL, down: redisDown },
    { name: 'PostgreSQL', url: POSTGRES_URL, down: postgresDown },
  ];
}

let run = 0;
/** A fresh scope (table name / key prefix) per test, unique across processes and runs. */
export function newScope(prefix: string): string {
  return `${prefix}${process.pid}_${Date.now().toString(36)}_${run++}`;
}

/**
 * Inside a `describe` for one backend: in CI an unreachable server is a failing test; locally its tests
 * are skipped, with the reason in their names. Returns whether to skip, and that reason (or '').
 */
export function reachableOrSkipped({ name, down }: Backend): { skip: boolean; reason: string } {
  if (CI && down) it(`${name} is reachable (required in CI)`, async () => expect.fail(down));
  return { skip: down !== undefined, reason: down === undefined ? '' : ` [skipped: ${name} unreachable: ${down}]` };
}
