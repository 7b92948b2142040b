// Timing helpers for the benchmarks: percentiles, and sequential runs after a warm-up.
/** The p-th percentile of ascending-sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/**
 * Runs `once` `warmUp` times, then `runs` times one after another; `once` returns the milliseconds
 * it measured itself (so set-up such as signing is left out). Returns those times, sorted.
 */
export async function timeSequential(
  runs: number,
  warmUp: number,
  once: (i: number) => Promise<number>,
): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await once(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once(i));
  return times.sort((a, b) => a - b);
}

/** "p50 1.67 ms · p99 5.32 ms · max 10.96 ms". */
export function summary(sorted: readonly number[]): string {
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  return `p50 ${ms(percentile(sorted, 50))} · p99 ${ms(percentile(sorted, 99))} · max ${ms(sorted.at(-1) ?? 0)}`;
}
