// Drafts of events proposed from feed items (issue 15), kept in state until an editor approves, merges or
// rejects them. Nothing here publishes: approving is the review's step (it calls publish()).
import { createHash } from 'node:crypto';
import type { Catalog } from '../core/catalog.js';
import type { Day } from '../core/dates.js';
import { type Draft, groupDrafts, matchRecord, type RecordMatch } from '../core/detect/index.js';
import type { JsonValue, State } from '../state/index.js';
import { underLease } from '../state/lease.js';
import type { DraftEdits, EditableField } from './event.js';

/*
 * Keys in the `drafts` namespace:
 *   draft:<nnnnnn>   StoredDraft. Numbers are claimed with setIfAbsent and never reused.
 *   top              { id }: the highest number claimed (a hint; reads probe past it).
 *   url:<sha1>       { id }: the draft that holds the item at this URL, so an item proposed twice changes nothing.
 *   version          { changed }: written after every change, so a reader can tell when to look again.
 *   decided:<nnnnnn> the claim on a draft's decision (drafts/desk.ts); a claimed draft is not joined.
 */

/** Where a draft stands: waiting, or what an editor decided. */
export type DraftStatus = 'pending' | 'approved' | 'merged' | 'rejected';

/** One feed item a draft was made from. */
export interface DraftItem {
  /** The feed's name in feeds.yaml. */
  feed: string;
  title: string;
  url: string;
  /** The feed's publication day of the item. */
  published?: Day;
  /** When the watcher first saw it (ISO instant). */
  seenAt: string;
}

/** A draft as kept in state. */
export interface StoredDraft {
  id: number;
  status: DraftStatus;
  /** The proposed event, pre-filled from the items, with a confidence per field. */
  draft: Draft;
  /** Set when the items report an event already on record: the suggestion is to add their sources to it. */
  match?: RecordMatch;
  /** Why the items read as a contact (the detector's reasons, from the first item). */
  reasons: string[];
  items: DraftItem[];
  createdAt: string;
  updatedAt: string;
  /** What an editor decided, by whom and when; `event` is the event published or merged into. */
  decision?: { by: string; at: string; reason?: string; event?: string };
  /** Values an editor set over the pre-filled ones (drafts/event.ts); kept apart so the detector's stay visible. */
  edits?: DraftEdits;
  /** Every edit and decision, oldest first: who, when, and what (the fields edited, the reason, the event). */
  history?: DraftChange[];
  /** Where the draft's card was posted for review, so it can be updated there. */
  cards?: { platform: string; channel: string; message: string }[];
}

/** One change an editor made to a draft. */
export interface DraftChange {
  action: 'edit' | 'approve' | 'merge' | 'reject';
  by: string;
  at: string;
  fields?: EditableField[];
  reason?: string;
  event?: string;
}

/** What proposing an item did. */
export type ProposeOutcome =
  /** A new draft. */
  | { outcome: 'created'; id: number }
  /** The item joined a pending draft about the same contact (or the same event on record). */
  | { outcome: 'joined'; id: number }
  /** The item was proposed before; nothing changed. */
  | { outcome: 'seen'; id: number }
  /** The item reports an event on record that already cites it; nothing to review. */
  | { outcome: 'cited'; event: string };

/** What the watcher hands over for one item that reads as a contact. */
export interface Proposal {
  draft: Draft;
  reasons: string[];
  item: DraftItem;
}

/** The drafts in state. */
export interface DraftBook {
  /** Files a detected item: a new draft, joined to a pending one about the same contact, or nothing. */
  propose(proposal: Proposal, catalog: Catalog, now: string): Promise<ProposeOutcome>;
  get(id: number): Promise<StoredDraft | undefined>;
  /** Every draft (or those with `status`), oldest first. */
  list(status?: DraftStatus): Promise<StoredDraft[]>;
  /**
   * Reads the draft, lets `change` return its new value (undefined: leave it), and writes that, holding the
   * draft's lease throughout. The new value is returned, or undefined when there is no such draft or nothing
   * changed; an error `change` throws is thrown, and nothing is written.
   */
  update(
    id: number,
    change: (draft: StoredDraft) => StoredDraft | undefined | Promise<StoredDraft | undefined>,
  ): Promise<StoredDraft | undefined>;
  /** The draft read under its lease: a change under way (update) is written before it is read. */
  settled(id: number): Promise<StoredDraft | undefined>;
}

const draftKey = (id: number) => `draft:${String(id).padStart(6, '0')}`;

/** The key of the claim on draft `id`'s decision (drafts/desk.ts), in the `drafts` namespace. */
export const decisionKey = (id: number) => `decided:${String(id).padStart(6, '0')}`;
const urlKey = (url: string) => `url:${createHash('sha1').update(url.trim()).digest('hex')}`;

/** A claimed decision (drafts/desk.ts), with the hash of the event content it publishes (approve, merge). */
export type Claim = DraftChange & { hash?: string };

/** How long a claimed decision may stay unfinished before another editor may take it over (drafts/desk.ts). */
export const CLAIM_STALE_MS = 60_000;

/**
 * The claim on draft `id`'s decision when it is live at `nowMs` (younger than CLAIM_STALE_MS); an older one
 * belongs to a decider that stopped half-way, and counts for nothing until a decision takes it over.
 */
export async function liveClaim(state: State, id: number, nowMs: number): Promise<Claim | undefined> {
  const held = (await state.drafts.get(decisionKey(id))) as Claim | undefined;
  return held && claimIsLive(held, nowMs) ? held : undefined;
}

/** Whether a claim made at `claim.at` is still live at `nowMs`. */
export function claimIsLive(claim: Pick<DraftChange, 'at'>, nowMs: number): boolean {
  return nowMs - Date.parse(claim.at) < CLAIM_STALE_MS;
}

/** Parses what a person types for a draft: `12`, `#12` or `d12`. Undefined when it is not one. */
export function draftNumber(text: string): number | undefined {
  const match = /^(?:#|d)?(\d{1,6})$/i.exec(text.trim());
  const n = match ? Number(match[1]) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The drafts book over a state. */
export function draftBook(state: State): DraftBook {
  const get = async (id: number) => (await state.drafts.get(draftKey(id))) as StoredDraft | undefined;
  const top = async () => {
    let n = ((await state.drafts.get('top')) as { id: number } | undefined)?.id ?? 0;
    while ((await get(n + 1)) !== undefined) n += 1;
    return n;
  };
  const changed = () =>
    state.drafts.set('version', { changed: `${Date.now()}-${Math.random().toString(36).slice(2)}` });
  const write = async (draft: StoredDraft) => {
    await state.drafts.set(draftKey(draft.id), draft as unknown as JsonValue);
    await changed();
  };
  const remember = (url: string, id: number) => state.drafts.set(urlKey(url), { id });
  /**
   * Runs a read-change-write of draft `id` holding the lease `draft:<id>`, so a feed item joining the draft and an
   * editor's decision or edit never write over each other.
   */
  const locked = <T>(id: number, work: () => Promise<T>): Promise<T> =>
    underLease(state, `draft:${id}`, `draft #${id}`, work);

  const book: DraftBook = {
    get,
    settled: (id) => locked(id, () => get(id)),
    async list(status) {
      const n = await top();
      const all = (await state.drafts.getMany(Array.from({ length: n }, (_, i) => draftKey(i + 1)))) as (
        | StoredDraft
        | undefined
      )[];
      return all.filter((d): d is StoredDraft => d !== undefined && (status === undefined || d.status === status));
    },
    update: (id, change) =>
      locked(id, async () => {
        const current = await get(id);
        if (current === undefined) return undefined;
        const next = await change(current);
        if (next === undefined) return undefined;
        await write(next);
        return next;
      }),
    async propose({ draft, reasons, item }, catalog, now) {
      const known = (await state.drafts.get(urlKey(item.url))) as { id: number } | undefined;
      if (known) return { outcome: 'seen', id: known.id };
      const match = matchRecord(draft, catalog);
      if (match && match.sources.length === 0) return { outcome: 'cited', event: match.event };
      const pending = await book.list('pending');
      const same = pending.find((p) =>
        match ? p.match?.event === match.event : p.match === undefined && groupDrafts([p.draft, draft]).length === 1,
      );
      // Joined under the draft's lease, from the draft as it is then: still pending and its decision not claimed,
      // or it is left alone and the item is a draft of its own. An approve or merge reads the draft under the
      // lease once after its claim and publishes what it read: an item joined after that read would be on a
      // draft marked decided whose event does not cite it.
      const joined = same
        ? await book.update(same.id, async (current) => {
            if (current.status !== 'pending') return undefined;
            if (await liveClaim(state, current.id, Date.parse(now))) return undefined;
            const [merged] = groupDrafts([current.draft, draft]);
            return {
              ...current,
              draft: merged ?? current.draft,
              ...(match
                ? { match: { ...match, sources: mergeSources(current.match?.sources ?? [], match.sources) } }
                : {}),
              items: [...current.items, item],
              updatedAt: now,
            };
          })
        : undefined;
      if (joined) {
        await remember(item.url, joined.id);
        return { outcome: 'joined', id: joined.id };
      }
      let id = (await top()) + 1;
      for (;;) {
        const stored: StoredDraft = {
          id,
          status: 'pending',
          draft,
          ...(match ? { match } : {}),
          reasons,
          items: [item],
          createdAt: now,
          updatedAt: now,
        };
        if (await state.setIfAbsent('drafts', draftKey(id), stored as unknown as JsonValue)) {
          await state.drafts.set('top', { id });
          await remember(item.url, id);
          await changed();
          return { outcome: 'created', id };
        }
        id += 1; // another writer took this number at the same moment
      }
    },
  };
  return book;
}

function mergeSources<T extends { url: string }>(a: readonly T[], b: readonly T[]): T[] {
  const urls = new Set(a.map((s) => s.url));
  return [...a, ...b.filter((s) => !urls.has(s.url))];
}
