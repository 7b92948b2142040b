// Waiting on a signal instead of a clock: `until(what, check)` polls until `check` holds. The bound is generous
// (a test fails for being wrong, never for being slow on a busy machine) and names what never came.
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it is true; fails after `timeoutMs` saying `what` never happened. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  { timeoutMs = 120_000, everyMs = 2 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A signal one part of a test fires and another awaits: `fired` resolves once `fire()` is called. */
export function signal(): { fired: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const fired = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { fired, fire };
}
