// Posts each new pending draft's card once into the editors' channel of a platform (issue 15), with its buttons
// (Approve, Edit, Merge, Reject), and records where it went on the draft. A job of the platform's runner, so one
// instance posts; the watcher only files drafts.
import type { Poster } from '../core/poster.js';
import type { Reply } from '../core/reply.js';
import type { Place } from '../core/subscription.js';
import type { Job } from '../jobs/runner.js';
import type { Log } from '../logging.js';
import type { State } from '../state/index.js';
import type { DraftBook, StoredDraft } from './book.js';

/** How long a platform that refused a card is left alone before the next try. */
export const CARD_RETRY_MS = 60_000;

/** Options of DraftCards. */
export interface DraftCardsOptions {
  state: State;
  book: DraftBook;
  card: (draft: StoredDraft) => Reply;
  platform: Place['platform'];
  /** The editors' channel on that platform. */
  channel: string;
  poster: Poster;
  /** False once this instance may no longer run the platform's jobs. */
  holds?: () => boolean;
  log?: Log;
  clock?: () => number;
}

/**
 * The card job. A round reads the drafts only when the book changed since the last complete round (its
 * `version` key), so an idle round costs one read. A card is recorded after it is posted: a crash in between
 * posts it again after the restart (a second card rather than none).
 */
export class DraftCards implements Job {
  readonly name: string;
  private seen: string | undefined;
  private retryAt = 0;

  constructor(private readonly options: DraftCardsOptions) {
    this.name = `draft-cards:${options.platform}`;
  }

  resumed(): void {
    this.seen = undefined;
  }

  async step(): Promise<boolean> {
    const { state, book, platform, channel, poster } = this.options;
    const now = (this.options.clock ?? Date.now)();
    if (now < this.retryAt) return false;
    const version = JSON.stringify((await state.drafts.get('version')) ?? null);
    if (version === this.seen) return false;
    for (const draft of await book.list('pending')) {
      if (this.options.holds && !this.options.holds()) return false;
      if (draft.cards?.some((c) => c.platform === platform)) continue;
      const result = await poster.post(channel, this.options.card(draft));
      if (!result.ok) {
        this.options.log?.(
          'warn',
          `draft #${draft.id}: its card could not be posted to the ${platform} editors' channel ${channel} (${result.failure.kind}: ${result.failure.detail}); trying again in ${CARD_RETRY_MS / 1000} s`,
        );
        this.retryAt = now + (result.failure.kind === 'rate-limited' ? result.failure.retryAfterMs : CARD_RETRY_MS);
        return false;
      }
      await book.update(draft.id, (d) =>
        d.cards?.some((c) => c.platform === platform)
          ? undefined
          : { ...d, cards: [...(d.cards ?? []), { platform, channel, message: result.messageId }] },
      );
    }
    this.seen = version;
    return false;
  }
}
