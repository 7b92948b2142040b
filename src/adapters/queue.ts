// Work that runs one job at a time and lets the event loop breathe between jobs.

/**
 * A queue that runs jobs one after another, yielding to the event loop (timers, sockets) before each.
 * The Slack app builds answers through it so that acknowledging a burst of new commands is never
 * held up behind answers already being built: an ack is cheap, an answer may take milliseconds.
 */
export function yieldingQueue(): <T>(job: () => Promise<T> | T) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (job) => {
    const run = tail.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(job);
    tail = run.catch(() => {});
    return run;
  };
}
