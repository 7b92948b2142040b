// Work that starts one job at a time, letting the event loop breathe before each, with a few running at once.

/**
 * A queue that starts jobs one after another, yielding to the event loop (timers, sockets) before each
 * start, and lets up to `limit` run at once. The Slack app builds answers through it so that acknowledging
 * a burst of new commands is never held up behind answers being built (an ack is cheap, an answer may take
 * milliseconds of CPU), while an answer waiting on a slow store does not hold up the answers behind it.
 */
export function yieldingQueue(limit = 8): <T>(job: () => Promise<T> | T) => Promise<T> {
  const waiting: (() => void)[] = [];
  let running = 0;
  let starting = false;
  const startNext = () => {
    if (starting || running >= limit || waiting.length === 0) return;
    starting = true;
    setImmediate(() => {
      starting = false;
      const start = waiting.shift();
      if (start) {
        running += 1;
        start();
      }
      startNext();
    });
  };
  return (job) =>
    new Promise((resolve, reject) => {
      waiting.push(() => {
        Promise.resolve()
          .then(job)
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            startNext();
          });
      });
      startNext();
    });
}
