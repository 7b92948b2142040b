// Test helpers: catalogs from the fixture and the bundled data, and transcript-style command runs.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../commands/index.js';
import { CONSOLE_CHANNEL } from '../src/console/poster.js';
import { renderText } from '../src/console/render.js';
import type { Catalog } from '../src/core/catalog.js';
import type { Day } from '../src/core/dates.js';
import { ask } from '../src/core/dispatch.js';
import { lazyCatalog } from '../src/core/lazyCatalog.js';
import type { Reply } from '../src/core/reply.js';
import type { ScheduleBook } from '../src/core/schedule.js';
import type { SubscriptionBook } from '../src/core/subscription.js';
import { packageRoot } from '../src/dataFiles.js';
import { loadCatalog } from '../src/load.js';
import { lazyScheduleBook } from '../src/schedules/book.js';
import { openState, type State } from '../src/state/index.js';
import { lazyBook } from '../src/subscriptions/book.js';

/** The folder of the small invented fixture dataset. */
export const FIXTURE_DIR = join(packageRoot(), 'tests', 'fixtures', 'data');

const cache = new Map<string, Catalog>();

/** A catalog built from a data folder (cached); fails the test run if the data is bad. */
export function catalogOf(dir: string): Catalog {
  const cached = cache.get(dir);
  if (cached) return cached;
  const result = loadCatalog(dir);
  if (!result.ok) throw new Error(`bad data in ${dir}: ${JSON.stringify(result.errors, null, 1)}`);
  cache.set(dir, result.catalog);
  return result.catalog;
}

/** The invented fixture catalog (stable, exact expectations). */
export const fixture = (): Catalog => catalogOf(FIXTURE_DIR);

/** The bundled catalog in data/. */
export const bundled = (): Catalog => catalogOf(join(packageRoot(), 'data'));

/** A lazy copy of `eager`, and the positions it was asked to read, in order. */
export function lazyOf(eager: Catalog): { lazy: Catalog; read: number[] } {
  const read: number[] = [];
  const lazy = lazyCatalog({
    ids: eager.events.map((e) => e.id),
    starts: eager.starts,
    longestSpan: eager.longestSpan,
    index: eager.index,
    people: eager.people,
    mechanisms: eager.mechanisms,
    topics: eager.topics,
    coverage: eager.coverage,
    record: (pos) => {
      read.push(pos);
      const { start: _s, end: _e, precision: _p, pos: _pos, ...record } = eager.event(pos);
      return structuredClone(record);
    },
  });
  return { lazy, read };
}

let memory: Promise<State> | undefined;

/**
 * Forgets the in-memory state, so the next memoryBook() opens a fresh one: tests/setup.ts calls it before each
 * test file (forks keep modules from one file to the next, so this module's state would otherwise be shared).
 */
export async function freshMemory(): Promise<void> {
  const old = memory;
  memory = undefined;
  if (old) await (await old).close();
}

/** The subscriptions of the console channel in an in-memory SQLite state (one per test file). */
export const memoryBook = (): SubscriptionBook =>
  lazyBook(
    () => {
      memory ??= openState('sqlite::memory:');
      return memory;
    },
    { platform: 'console', channel: CONSOLE_CHANNEL },
  );

/** The digest schedules of the console channel in the same in-memory state. */
export const memorySchedules = (clock?: () => Date): ScheduleBook =>
  lazyScheduleBook(
    () => {
      memory ??= openState('sqlite::memory:');
      return memory;
    },
    { platform: 'console', channel: CONSOLE_CHANNEL },
    clock,
  );

/** Runs a command line as a person would type it and returns the Reply. */
export async function runCommand(
  line: string,
  now: Day,
  catalog: Catalog = fixture(),
  subscriptions: SubscriptionBook = memoryBook(),
  schedules: ScheduleBook = memorySchedules(),
): Promise<Reply> {
  return (await ask(line, { catalog, commands: COMMANDS, now, subscriptions, schedules })).reply;
}

/** Runs a command line and returns what the console would print. */
export async function transcript(line: string, now: Day, catalog: Catalog = fixture()): Promise<string> {
  return renderText(await runCommand(line, now, catalog));
}

/** What a finished process printed, and how it ended. */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** This process's environment without SLACK_*, DISCORD_* or HOTLINE_* variables, plus `extra`. */
export function personEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !/^(SLACK|DISCORD|HOTLINE)_/.test(name));
  return { ...Object.fromEntries(kept), ...extra };
}

/**
 * Runs a program from the repository root as a person without chat credentials would (no SLACK_*,
 * DISCORD_* or HOTLINE_* variables, plus `env`), with `input` on stdin, and collects its output.
 * Unless `env` names one, STATE_URL is a fresh SQLite file of its own (removed when the process ends), so runs
 * never share state.
 */
let runs = 0;

export function runProcess(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const file = join(tmpdir(), `hotline-run-${process.pid}-${++runs}.db`);
    const env = personEnv({ STATE_URL: `sqlite:${file}`, ...options.env });
    // A generous bound: on a loaded 2-core machine a process start can take many seconds.
    const child = spawn(command, args, { cwd: packageRoot(), env, timeout: 150_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const end of ['', '-wal', '-shm']) rmSync(`${file}${end}`, { force: true });
      if (signal) reject(new Error(`${command} ${args.join(' ')} was killed by ${signal}; stderr: ${stderr}`));
      else resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Runs `hotline ARGS` (as runProcess does) with a module hook that writes `LOADED <url>` on stderr for each module
 * resolved whose URL matches `watched` (a regular expression's source, e.g. 'src\\/drafts\\/desk\\.'), so a test
 * can see which modules a command loads. The hook sees ES modules and CommonJS packages imported from them alike.
 */
export function runTracingLoads(
  watched: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<ProcessRun> {
  const hook = `export async function resolve(s, c, next) { const r = await next(s, c); if (/${watched}/.test(r.url)) process.stderr.write('LOADED ' + r.url + '\\n'); return r; }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  return runProcess(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(register)}`, 'bin/hotline.js', ...args],
    options,
  );
}

// One way to wait on a signal (tests/until.ts), re-exported beside the helpers that use it.
export { until } from './until.js';

/** A console (`hotline start` with no chat credentials) reading from a pipe kept open. */
export interface OpenConsole {
  child: ChildProcessWithoutNullStreams;
  /** What it printed so far, stdout and stderr as they came. */
  output: () => string;
  /** Types a line, as a person would. */
  type: (line: string) => void;
  /** Ends its input (as Ctrl-D does) and waits for it to exit. */
  close: () => Promise<void>;
}

const consoles = new Set<ChildProcessWithoutNullStreams>();

/** Starts a console from the repository root as a person without chat credentials would, with `env` and `args`. */
export function openConsole(env: NodeJS.ProcessEnv, args: string[] = []): OpenConsole {
  const child = spawn(process.execPath, ['bin/hotline.js', 'start', ...args], {
    cwd: packageRoot(),
    env: personEnv(env),
  });
  consoles.add(child);
  child.once('close', () => consoles.delete(child));
  let output = '';
  const collect = (chunk: string) => {
    output += chunk;
  };
  child.stdout.setEncoding('utf8').on('data', collect);
  child.stderr.setEncoding('utf8').on('data', collect);
  return {
    child,
    output: () => output,
    type: (line) => child.stdin.write(`${line}\n`),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('close', () => resolve());
        child.stdin.end();
      }),
  };
}

/** SIGKILLs the consoles still running (for afterAll, when a test failed half way). */
export function killConsoles(): void {
  for (const child of consoles) child.kill('SIGKILL');
}
