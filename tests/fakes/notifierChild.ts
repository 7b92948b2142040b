// A child process running the notifier (or, with JOB=scheduler, the digest scheduler) under the job runner, for
// the crash and two-instance tests (runs until killed), and `NotifierChild`, which starts one from a test and
// watches it.
//
//   NOTIFIER_CHILD=1 node bin/run-ts.js tests/fakes/notifierChild.ts
//   (the tests start the bundle tests/globalSetup.ts makes of it, node_modules/.cache/hotline-tests/notifierChild.mjs)
//
// Environment (NOTIFIER_CHILD=1 makes the file run as the program; imported without it, it only exports):
//   STATE_URL        the store (sqlite:FILE, redis://…, postgres://…)
//   STATE_SCOPE      the scope (table name / key prefix) in that store
//   HOLDER           this instance's name in the jobs lease
//   DELIVERIES       the file each post appends one line to (fsynced before the post returns)
//   LEASE_MS         the lease time (default 1000); IDLE_MS the idle wait (default 50)
//   POST_MS          sleep this long in each post before it is sent (default 0)
//   HANG_POST        "K:before" or "K:after": this process's K-th post never returns, hanging before or
//                    after its line is written (so a kill lands exactly before or after a send)
//   HANG_FILL_AFTER  N: after N outbox writes have completed, every further outbox write hangs (a kill then
//                    lands in the middle of a fill)
//   WAIT_GO          if set, load everything, say "loaded", and open the state only once a line arrives on
//                    stdin (so a test can start the next process while the current one still runs)
//   JOB              "scheduler": run the digest scheduler (on the console's schedules) instead of the notifier
//   NOW              the scheduler's clock, fixed at this ISO instant (default: the real clock)
//   HANG_QUEUE_AT    N: the scheduler's N-th record of a queued slot (`done:`) hangs, after its run was queued
//   REFUSE_POSTS     if set, every post is refused as rate-limited (retry in a minute), so a run meant only to fill
//                    or queue before its hang never delivers: a round whose lease renewal came late stops filling or
//                    queueing and goes on to deliver what is there (as it should), which on a busy machine it did
//                    (a kill then lands between queue and record)
//
// A delivery line: `<channel>#<subscription>\t<event id>\t<revision>\t<holder>\t<new|corrected>\t<message id>\t<reply to|->`.
// The subscription number and event id are read from the notice's footer ("Subscription #3 · /event ID");
// the revision from a "[revision N]" marker the tests put in a corrected event's summary (1 without one).
// A digest's line has the same columns: `<channel>#<schedule>\t<title>\t1\t<holder>\t<digest|digest+chart>\t<message id>\t-`,
// the schedule's number read from the footer ("Scheduled digest #3"), "+chart" when a file came with it.
//
// Stdout lines: "loaded" (with WAIT_GO), "ready" once the first lease attempt returned (held or not),
// "holding" each time this instance takes the lease, "lost" each time it loses it, "hung fill", "hung queue" and
// "hung post before|after" when a hang above is reached.
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogCached } from '../../src/catalogCache.js';
import type { Poster, PostOptions, PostResult } from '../../src/core/poster.js';
import type { Reply } from '../../src/core/reply.js';
import { packageRoot } from '../../src/dataFiles.js';
import { Notifier } from '../../src/jobs/notifier.js';
import { type Job, startJobRunner } from '../../src/jobs/runner.js';
import { openState, type State } from '../../src/state/index.js';
import { sleep, until } from '../until.js';
import { CHILD_BUNDLE_DIR } from './childBundle.js';

const ROOT = packageRoot();
const RUN_TS = join(ROOT, 'bin', 'run-ts.js');
const PROGRAM = join(ROOT, 'tests', 'fakes', 'notifierChild.ts');
/** The program compiled by tests/globalSetup.ts (starts in about two thirds of tsx's CPU); tsx without it. */
const BUNDLED = join(CHILD_BUNDLE_DIR, 'notifierChild.mjs');

export { sleep, until };

/** Every child started and not yet seen to exit. */
const live = new Set<ChildProcess>();

/** SIGKILLs every child still running (for afterAll, when a test failed half way). */
export function killChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

/** One run of this program, started from a test. */
export class NotifierChild {
  readonly process: ChildProcess;
  /** What it said on stdout, line by line, with when each line arrived (ms since the epoch). */
  readonly said: { line: string; at: number }[] = [];
  stderr = '';
  readonly exited: Promise<NodeJS.Signals | number | null>;

  /** Starts the program as `holder` with `env` added to this process's environment. */
  constructor(
    readonly holder: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.process = spawn(process.execPath, existsSync(BUNDLED) ? [BUNDLED] : [RUN_TS, PROGRAM], {
      cwd: ROOT,
      env: { ...process.env, NOTIFIER_CHILD: '1', HOLDER: holder, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    live.add(this.process);
    let partial = '';
    this.process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      const at = Date.now();
      for (const line of lines) this.said.push({ line, at });
    });
    this.process.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) =>
      this.process.on('exit', (code, signal) => {
        live.delete(this.process);
        resolve(signal ?? code);
      }),
    );
  }

  /** When it first said `line`, or undefined. */
  saidAt(line: string): number | undefined {
    return this.said.find((said) => said.line === line)?.at;
  }

  /** Waits until it said `line`; fails with its stderr if it exits first or takes too long. */
  async waitFor(line: string, timeoutMs = 120_000): Promise<void> {
    let gone = false;
    void this.exited.then(() => {
      gone = true;
    });
    await until(
      `${this.holder} to say "${line}"`,
      () => {
        if (this.saidAt(line) !== undefined) return true;
        if (gone) throw new Error(`${this.holder} exited before saying "${line}"; stderr:\n${this.stderr}`);
        return false;
      },
      { timeoutMs, everyMs: 10 },
    );
  }

  /** Lets a child started with WAIT_GO open the state and run. */
  go(): void {
    this.process.stdin?.write('go\n');
  }

  /** SIGKILL, and waits until the process is gone (every line it wrote is then on disk). */
  async kill(): Promise<void> {
    this.process.kill('SIGKILL');
    this.ended(await this.exited, 'SIGKILL');
  }

  /** SIGTERM: the child stops its runner, releases the lease and closes the state, and exits 0. */
  async stop(): Promise<void> {
    this.process.kill('SIGTERM');
    this.ended(await this.exited, 0);
  }

  private ended(got: NodeJS.Signals | number | null, wanted: NodeJS.Signals | number): void {
    if (got !== wanted) throw new Error(`${this.holder} ended with ${got}, not ${wanted}; stderr:\n${this.stderr}`);
  }
}

/** One line of a deliveries file. */
export interface Delivery {
  /** `<channel>#<subscription>\t<event id>\t<revision>`: which notice. */
  notice: string;
  /** `<channel>#<subscription>`. */
  sub: string;
  eventId: string;
  revision: number;
  holder: string;
  kind: string;
  messageId: string;
  replyTo: string;
}

/** The lines of a deliveries file (none when it does not exist yet). */
export function deliveries(file: string): Delivery[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [sub = '', eventId = '', revision = '', holder = '', kind = '', messageId = '', replyTo = ''] =
        line.split('\t');
      const notice = `${sub}\t${eventId}\t${revision}`;
      return { notice, sub, eventId, revision: Number(revision), holder, kind, messageId, replyTo };
    });
}

/** How many lines a deliveries file has (cheap enough to poll every few milliseconds). */
export function lineCount(file: string): number {
  if (!existsSync(file)) return 0;
  let n = 0;
  for (const byte of readFileSync(file)) if (byte === 10) n += 1;
  return n;
}

/** The program: the notifier under the job runner, posting to the deliveries file, until killed. */
async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`notifierChild: ${name} is not set`);
    return value;
  };
  const number = (name: string, fallback: number): number => {
    const value = process.env[name];
    return value ? Number(value) : fallback;
  };

  const url = env('STATE_URL');
  const scope = env('STATE_SCOPE');
  const holder = env('HOLDER');
  const deliveries = env('DELIVERIES');
  const leaseMs = number('LEASE_MS', 1000);
  const idleMs = number('IDLE_MS', 50);
  const postMs = number('POST_MS', 0);
  const [hangAtText, hangWhere] = (process.env.HANG_POST ?? '').split(':');
  const hangAt = hangAtText ? Number(hangAtText) : 0;
  const hangFillAfter = process.env.HANG_FILL_AFTER ? Number(process.env.HANG_FILL_AFTER) : undefined;
  const hangQueueAt = number('HANG_QUEUE_AT', 0);
  const refusePosts = process.env.REFUSE_POSTS !== undefined;
  const scheduling = process.env.JOB === 'scheduler';
  const fixedNow = process.env.NOW ? new Date(process.env.NOW) : undefined;

  const say = (line: string) => process.stdout.write(`${line}\n`);
  const never = () => new Promise<never>(() => {});
  // Keeps the process alive while a hang leaves nothing else pending (the embedded store holds no socket).
  setInterval(() => {}, 1 << 30);

  // From the catalog cache, as the bot starts: the YAML and schema libraries are not even loaded (dozens of restarts
  // a run).
  const loaded = await loadCatalogCached(join(ROOT, 'tests', 'fixtures', 'data'));
  if (!loaded.ok) throw new Error(`notifierChild: bad fixture data: ${JSON.stringify(loaded.errors)}`);
  const catalog = loaded.catalog;
  // Loaded only for the scheduler: the commands would slow the notifier's restarts (its crash test is timed).
  const scheduler = scheduling
    ? await Promise.all([
        import('../../commands/digestSchedule.js'),
        import('../../commands/index.js'),
        import('../../src/jobs/scheduler.js'),
      ])
    : undefined;

  if (process.env.WAIT_GO) {
    say('loaded');
    await new Promise((resolve) => process.stdin.once('data', resolve));
  }
  const opened = await openState(url, { scope });

  /** The state with the test's hooks: "ready"/"holding" from the lease, and the fill hang. */
  function hooked(real: State): State {
    let asked = false;
    let writes = 0;
    let slotsRecorded = 0;
    const pending = new Set<Promise<number>>();
    return {
      ...real,
      schedules: {
        ...real.schedules,
        set: async (key, value, ttlMs) => {
          if (key.startsWith('done:') && ++slotsRecorded === hangQueueAt) {
            say('hung queue'); // its run is queued (setIfAbsent returned before this write)
            return never();
          }
          return real.schedules.set(key, value, ttlMs);
        },
      },
      acquireLease: async (name, who, ttlMs) => {
        const result = await real.acquireLease(name, who, ttlMs);
        if (!asked) say('ready');
        asked = true;
        return result;
      },
      setManyIfAbsent: async (namespace, entries) => {
        if (namespace !== 'outbox' || hangFillAfter === undefined) return real.setManyIfAbsent(namespace, entries);
        // The first HANG_FILL_AFTER entries are stored; the write that would go past them stores its share
        // up to there and never returns (as if the process died in the middle of a batch).
        const allowed = Math.max(0, hangFillAfter - writes);
        writes += entries.length;
        if (entries.length <= allowed) {
          const write = real.setManyIfAbsent(namespace, entries);
          pending.add(write);
          return write;
        }
        if (allowed > 0) await real.setManyIfAbsent(namespace, entries.slice(0, allowed));
        await Promise.all(pending); // the writes before this one are all stored when the test is told
        say('hung fill');
        return never();
      },
    };
  }

  let posts = 0;
  let messages = 0;

  /** Appends one line and forces it to disk, so a line in the file was sent before any kill that follows. */
  function record(line: string): void {
    const fd = openSync(deliveries, 'a');
    try {
      appendFileSync(fd, line);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  function noticeLine(channel: string, reply: Reply, options: PostOptions, messageId: string): string {
    const footer = reply.footer?.match(/Subscription #(\d+) · \/event (\S+)/);
    if (!footer) throw new Error(`notifierChild: a notice without its footer: ${JSON.stringify(reply)}`);
    const text = reply.blocks.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
    const revision = text.match(/\[revision (\d+)\]/)?.[1] ?? '1';
    const kind = reply.title.startsWith('Corrected:') ? 'corrected' : 'new';
    return `${channel}#${footer[1]}\t${footer[2]}\t${revision}\t${holder}\t${kind}\t${messageId}\t${options.replyTo ?? '-'}\n`;
  }

  function digestLine(channel: string, reply: Reply, options: PostOptions, messageId: string): string {
    const footer = reply.footer?.match(/Scheduled digest #(\d+)/);
    if (!footer) throw new Error(`notifierChild: a digest without its footer: ${JSON.stringify(reply)}`);
    const kind = (options.files ?? []).length > 0 ? 'digest+chart' : 'digest';
    return `${channel}#${footer[1]}\t${reply.title}\t1\t${holder}\t${kind}\t${messageId}\t-\n`;
  }

  /** The job this process runs; the scheduler's chart is a few bytes standing in for the PNG (drawn elsewhere). */
  function job(holds: () => boolean): Job {
    if (!scheduler) return new Notifier({ state, catalog: () => catalog, posters: { console: poster }, holds });
    const [{ scheduledDigest }, { COMMANDS }, { Scheduler }] = scheduler;
    return new Scheduler({
      state,
      catalog: () => catalog,
      digest: (c, schedule, slot, previous) =>
        scheduledDigest({ catalog: c, commands: COMMANDS }, schedule, slot, previous),
      chart: async (reply) =>
        reply.chart ? { file: { name: 'contacts.png', data: new Uint8Array([137, 80, 78, 71]), alt: 'a chart' } } : {},
      posters: { console: poster },
      holds,
      ...(fixedNow ? { clock: () => fixedNow } : {}),
    });
  }

  const poster: Poster = {
    async post(channel: string, reply: Reply, options: PostOptions = {}): Promise<PostResult> {
      if (refusePosts) {
        return { ok: false, failure: { kind: 'rate-limited', retryAfterMs: 60_000, detail: 'REFUSE_POSTS' } };
      }
      posts += 1;
      const hangs = posts === hangAt;
      if (postMs > 0) await sleep(postMs);
      if (hangs && hangWhere === 'before') {
        say('hung post before');
        return never();
      }
      messages += 1;
      const messageId = `${holder}-${messages}`;
      record(
        scheduling ? digestLine(channel, reply, options, messageId) : noticeLine(channel, reply, options, messageId),
      );
      if (hangs && hangWhere === 'after') {
        say('hung post after');
        return never();
      }
      return { ok: true, messageId };
    },
    async direct() {
      return { ok: false, failure: { kind: 'rejected', detail: 'the test poster sends no direct messages' } };
    },
  };

  const state = hooked(opened);
  const runner = startJobRunner({
    state,
    holder,
    leaseMs,
    idleMs,
    log: (level, message) => {
      if (level === 'info' && message.startsWith(`${holder} runs the jobs`)) say('holding');
      if (level === 'warn' && message.startsWith(`${holder} lost the jobs lease`)) say('lost');
      process.stderr.write(`[${holder}] ${level}: ${message}\n`);
    },
    jobs: (holds) => [job(holds)],
  });

  process.on('SIGTERM', () => {
    void runner
      .stop()
      .then(() => opened.close())
      .then(() => process.exit(0));
  });
}

if (process.env.NOTIFIER_CHILD === '1') await main();
