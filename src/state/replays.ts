// Signatures seen once, shared by every instance through the state store: a replayed Slack request is
// refused after a restart and by another instance too.
import type { ReplayCache } from '../adapters/slack/guard.js';
import type { Log } from '../logging.js';
import type { State } from './index.js';

/** How often expired signatures are swept from the store, at most. */
const SWEEP_EVERY_S = 60;
/** The store's answer is awaited this long at most: an ack must never wait on a slow store. */
const CLAIM_WAIT_MS = 300;
/** After the store failed to answer, replays are checked in memory only for this long. */
const SKIP_STORE_S = 10;

/**
 * A replay cache in the state's `replays` namespace, claimed with setIfAbsent. `memory` answers first (a
 * replay it saw is refused without a round trip) and alone while the store is not answering, so Slack
 * commands are still answered during an outage (a replay to another instance is then possible; logged).
 */
export function stateReplayCache(state: State, memory: ReplayCache, log: Log = () => {}): ReplayCache {
  let sweptAt = 0;
  let storeSkippedUntil = 0;
  const sweep = async (now: number) => {
    sweptAt = now;
    for await (const [key, value] of state.replays.entries()) {
      if (((value as { until?: number }).until ?? 0) < now) await state.replays.delete(key);
    }
  };
  return {
    seen: (signature) => memory.seen?.(signature) ?? false,
    async claim(signature, untilSeconds, nowSeconds) {
      if (!(await memory.claim(signature, untilSeconds, nowSeconds))) return false;
      if (nowSeconds < storeSkippedUntil) return true;
      let timer: NodeJS.Timeout | undefined;
      try {
        const fresh = await Promise.race([
          state.setIfAbsent('replays', signature, { until: untilSeconds }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${CLAIM_WAIT_MS} ms`)), CLAIM_WAIT_MS);
          }),
        ]);
        if (nowSeconds - sweptAt > SWEEP_EVERY_S) {
          void sweep(nowSeconds).catch((error: Error) =>
            log('warn', `could not sweep old signatures: ${error.message}`),
          );
        }
        return fresh;
      } catch (error) {
        storeSkippedUntil = nowSeconds + SKIP_STORE_S;
        log(
          'warn',
          `replays checked by this instance only for ${SKIP_STORE_S} s (the state store is not answering): ${(error as Error).message}`,
        );
        return true;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
