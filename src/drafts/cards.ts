// Posts each new pending draft's card once into the editors' channel of a platform (issue 15), with its buttons
// (Approve, Edit, Merge, Reject), records where it went on the draft, and draws it again when the draft changes
// elsewhere (decided on another platform or the CLI, edited, joined by another item). A job of the platform's
// runner, so one instance posts; the watcher only files drafts.
import type { Poster, PostFailure } from '../core/poster.js';
import type { Reply } from '../core/reply.js';
import type { Place } from '../core/subscription.js';
import type { Job } from '../jobs/runner.js';
import type { Log } from '../logging.js';
import type { JsonValue, State } from '../state/index.js';
import type { DraftBook, StoredDraft } from './book.js';

/** How long a platform that refused a card is left alone before the next try. */
export const CARD_RETRY_MS = 60_000;

/** Where a draft's card is on one platform, and the draft's updatedAt it was last drawn from. */
export interface PostedCard {
  channel: string;
  message: string;
  shows: string;
}

/**
 * A card about to be posted: written (setIfAbsent) before the post and replaced by its PostedCard after it. One
 * found without its PostedCard means a post that may or may not have happened (see DraftCards).
 */
interface CardIntent {
  channel: string;
  /** When the post was begun (ms since the epoch). */
  since: number;
  /** Posts begun for this card so far: each one more is a crash's possible duplicate. */
  attempt: number;
}

type CardRecord = PostedCard | CardIntent;
const isPosted = (record: CardRecord | undefined): record is PostedCard => record !== undefined && 'message' in record;

/**
 * The key of a draft's card on a platform, in the `drafts` namespace. Kept apart from the draft itself, so the
 * job never writes a draft (an editor's decision written at the same moment is never overwritten).
 */
const cardKey = (platform: string, id: number) => `card:${platform}:${String(id).padStart(6, '0')}`;

/** Where draft `id`'s card was posted on `platform`, if it was (a post begun but not recorded is not). */
export async function postedCard(state: State, platform: string, id: number): Promise<PostedCard | undefined> {
  const record = (await state.drafts.get(cardKey(platform, id))) as CardRecord | undefined;
  return isPosted(record) ? record : undefined;
}

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
 * `version` key), so an idle round costs one read.
 *
 * Order of writes for a new card, and what a failure between two of them does (docs/DRAFTS.md):
 *   intent (setIfAbsent of a CardIntent) -> post -> record (the PostedCard over the intent).
 *   - The intent cannot be written (store down): nothing is posted; the next round tries again.
 *   - The post is refused: the intent is deleted and the post tried again after the wait.
 *   - The record cannot be written (store down after the post): the job keeps the posted card in memory and
 *     writes the record, without posting, at its next rounds until the store takes it. No duplicate.
 *   - The process dies between the intent and the record: the next holder finds an intent with no record and
 *     cannot tell whether the post happened. It leaves it alone for CARD_RETRY_MS (a post may still be in
 *     flight on an instance that just lost the lease), then posts again: at most one extra card per crash
 *     in that window, rather than none (a draft nobody sees).
 */
export class DraftCards implements Job {
  readonly name: string;
  /** The book's version at the last complete round. */
  private seen: string | undefined;
  /** When a failed post or update is due again (a round runs then even if the book has not changed). */
  private retryAt = Number.POSITIVE_INFINITY;
  /** New cards wait until then after a refused post (the channel, or the platform's rate limit). */
  private postsWait = 0;
  /** Per draft: when its card's failed update is due again. */
  private readonly updatesWait = new Map<number, number>();
  /** Cards posted whose record the store refused: written at the next rounds instead of posting again. */
  private readonly unrecorded = new Map<number, PostedCard>();

  constructor(private readonly options: DraftCardsOptions) {
    this.name = `draft-cards:${options.platform}`;
  }

  resumed(): void {
    this.seen = undefined;
  }

  async step(): Promise<boolean> {
    const { state, book, platform, channel, poster } = this.options;
    const now = (this.options.clock ?? Date.now)();
    const version = JSON.stringify((await state.drafts.get('version')) ?? null);
    if (version === this.seen && now < this.retryAt) return false;
    let retryAt = Number.POSITIVE_INFINITY;
    const later = (at: number) => {
      retryAt = Math.min(retryAt, at);
    };
    const drafts = await book.list();
    // One read for every card record, not one per draft: the book grows with every draft ever filed.
    const cards = (await state.drafts.getMany(drafts.map((d) => cardKey(platform, d.id)))) as (
      | CardRecord
      | undefined
    )[];
    for (const [i, draft] of drafts.entries()) {
      if (this.options.holds && !this.options.holds()) return false;
      const key = cardKey(platform, draft.id);
      const unrecorded = this.unrecorded.get(draft.id);
      if (unrecorded && !isPosted(cards[i])) {
        // Posted by this job, but the store refused the record: record it now; never post it twice.
        await state.drafts.set(key, unrecorded as unknown as JsonValue);
        cards[i] = unrecorded;
      }
      this.unrecorded.delete(draft.id);
      const record = cards[i];
      if (isPosted(record)) {
        const posted = record;
        if (posted.shows === draft.updatedAt || !poster.update) continue;
        const wait = this.updatesWait.get(draft.id) ?? 0;
        if (wait > now) {
          later(wait);
          continue;
        }
        // Decided or changed elsewhere (another platform, the CLI, an item joined): drawn again, buttons gone once decided.
        const result = await poster.update(posted.channel, posted.message, this.options.card(draft));
        if (!result.ok) {
          this.options.log?.(
            'warn',
            `draft #${draft.id}: its card in ${posted.channel} could not be updated (${result.failure.kind}: ${result.failure.detail})`,
          );
          const again = retryTime(result.failure, now);
          if (again !== undefined) {
            this.updatesWait.set(draft.id, again);
            later(again);
            continue;
          }
        }
        this.updatesWait.delete(draft.id);
        await state.drafts.set(key, { ...posted, shows: draft.updatedAt });
        continue;
      }
      if (draft.status !== 'pending') continue;
      if (this.postsWait > now) {
        later(this.postsWait);
        continue;
      }
      let attempt = 1;
      if (record !== undefined) {
        // A post begun and never recorded: by an instance that died, or one that may still be posting.
        if (now < record.since + CARD_RETRY_MS) {
          later(record.since + CARD_RETRY_MS);
          continue;
        }
        attempt = record.attempt + 1;
        const intent: CardIntent = { channel, since: now, attempt };
        await state.drafts.set(key, intent as unknown as JsonValue);
        this.options.log?.(
          'warn',
          `draft #${draft.id}: a card post begun at ${new Date(record.since).toISOString()} was never recorded (the poster stopped); posting it again, which may show it twice in ${channel}`,
        );
      } else {
        const intent: CardIntent = { channel, since: now, attempt };
        if (!(await state.setIfAbsent('drafts', key, intent as unknown as JsonValue))) {
          later(now + CARD_RETRY_MS); // begun meanwhile by another holder: looked at again once it is recorded or stale
          continue;
        }
      }
      const result = await poster.post(channel, this.options.card(draft));
      if (!result.ok) {
        this.options.log?.(
          'warn',
          `draft #${draft.id}: its card could not be posted to the ${platform} editors' channel ${channel} (${result.failure.kind}: ${result.failure.detail}); trying again later`,
        );
        this.postsWait = retryTime(result.failure, now) ?? now + CARD_RETRY_MS;
        later(this.postsWait);
        // Nothing was posted: the next try is a first post, not a crash's repeat.
        await state.drafts.delete(key);
        continue;
      }
      const card: PostedCard = { channel, message: result.messageId, shows: draft.updatedAt };
      this.unrecorded.set(draft.id, card);
      await state.drafts.set(key, card as unknown as JsonValue);
      this.unrecorded.delete(draft.id);
    }
    this.seen = version;
    this.retryAt = retryAt;
    return false;
  }
}

/** When to try a failed post or update again; undefined for a message that is gone or refused for good. */
function retryTime(failure: PostFailure, now: number): number | undefined {
  if (failure.kind === 'gone' || failure.kind === 'rejected') return undefined;
  return now + (failure.kind === 'rate-limited' ? failure.retryAfterMs : CARD_RETRY_MS);
}
