// Runs the background jobs on exactly one instance: the holder of a lease with expiry, renewed while held.
import type { Log } from '../logging.js';
import type { State } from '../state/index.js';

/** A background job: one bounded round of work at a time. */
export interface Job {
  name: string;
  /** Does one round; true when there may be more to do at once (the runner then goes on without waiting). */
  step(): Promise<boolean>;
  /** Called when this instance (re)gains the lease: another may have run the job meanwhile. */
  resumed?(): void;
}

/** Options of `startJobRunner`. */
export interface JobRunnerOptions {
  state: State;
  /** This instance's name in the lease (unique per process). */
  holder: string;
  /** Builds the jobs; `holds` is false once this instance may no longer run them. */
  jobs: (holds: () => boolean) => Job[];
  /** How long the lease lasts unless renewed; another instance takes over within this after a crash. */
  leaseMs?: number;
  /** How long to wait when there is nothing to do (or the lease is someone else's). */
  idleMs?: number;
  /** The lease's name: instances with the same name take turns. Default `jobs`. */
  lease?: string;
  log?: Log;
}

/** A running job runner. */
export interface JobRunner {
  /** Whether this instance holds the lease now. */
  holding(): boolean;
  /** Stops the jobs after their current round and releases the lease. */
  stop(): Promise<void>;
}

/** The lease all jobs run under. */
export const JOBS_LEASE = 'jobs';
export const DEFAULT_LEASE_MS = 15_000;
/**
 * How long the runner waits when there is nothing to do: a new event published by another process is
 * picked up within this. An idle round costs two small reads (the notifier's cursor and the next log
 * entry), since a delivery pass reads the notifier's in-memory copy of the outbox.
 */
export const DEFAULT_IDLE_MS = 250;

/**
 * Starts the runner: it tries to take the lease at once and then every third of the lease time; while it
 * holds the lease it runs the jobs round after round. It counts the lease as lost a fifth of the lease
 * time before it would expire unrenewed, so two instances never run jobs at once even if a renewal is late.
 */
export function startJobRunner(options: JobRunnerOptions): JobRunner {
  const { state, holder } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const log = options.log ?? (() => {});
  const lease = options.lease ?? JOBS_LEASE;
  let validUntil = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const holding = () => !stopped && Date.now() < validUntil;

  const renew = async () => {
    if (stopped) return;
    const asked = Date.now();
    const was = holding();
    try {
      const { held, token } = await state.acquireLease(lease, holder, leaseMs);
      validUntil = held ? asked + leaseMs * 0.8 : 0;
      if (held && !was) {
        log('info', `${holder} runs the jobs (lease ${lease}, token ${token})`);
        for (const job of jobs) job.resumed?.();
      }
      if (!held && was) log('warn', `${holder} lost the lease ${lease}; another instance runs the jobs now`);
    } catch (error) {
      validUntil = 0;
      log('error', `could not renew the jobs lease: ${(error as Error).message}`);
    }
    if (holding()) wake?.();
  };
  const timer = setInterval(() => void renew(), leaseMs / 3);
  timer.unref();

  const jobs = options.jobs(holding);
  const pause = () =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, idleMs);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const loop = (async () => {
    await renew();
    while (!stopped) {
      let busy = false;
      if (holding()) {
        for (const job of jobs) {
          if (stopped || !holding()) break;
          try {
            busy = (await job.step()) || busy;
          } catch (error) {
            log('error', `job ${job.name}: ${(error as Error).stack ?? String(error)}`);
          }
        }
      }
      if (!busy && !stopped) await pause();
    }
  })();

  return {
    holding,
    async stop() {
      if (stopped) return;
      const held = holding();
      stopped = true;
      clearInterval(timer);
      wake?.();
      await loop;
      if (held) await state.releaseLease(lease, holder).catch(() => false);
    },
  };
}
