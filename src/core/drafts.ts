// What the /drafts command needs from the review of drafts (issue 15): each step answers with a Reply (a draft's
// card, a list) or throws UserError. Implemented over state by src/drafts/desk.ts; commands see only this.
import type { Reply } from './reply.js';

/** The statuses a draft can have, for `/drafts list status:…`. */
export const DRAFT_STATUSES = ['pending', 'approved', 'merged', 'rejected'] as const;

/** The review of drafts as one editor sees it: `by` is who acts (a platform user id, or a name on the CLI). */
export interface DraftDesk {
  /** The drafts with `status` (default pending), newest last. */
  list(status?: (typeof DRAFT_STATUSES)[number]): Promise<Reply>;
  /** One draft's card: the event it proposes, with confidences, sources, and what was decided. */
  show(id: number): Promise<Reply>;
  /** Publishes the draft's event (checked as data/ is); the card as it now stands. */
  approve(id: number, by: string): Promise<Reply>;
  /** Adds the draft's sources to an event on record (a revision). */
  merge(id: number, event: string, by: string): Promise<Reply>;
  /** Closes the draft without publishing; the reason is required. */
  reject(id: number, reason: string, by: string): Promise<Reply>;
  /** Sets fields ("field=value" lines); an edit the schema refuses changes nothing and names the field. */
  edit(id: number, changes: string, by: string): Promise<Reply>;
  /** The draft's fields as "field=value" lines, as the Edit form shows them. */
  editLines(id: number): Promise<string>;
  /** The event on record the draft's items report, if the detector found one: what the Merge form suggests. */
  mergeTarget(id: number): Promise<string | undefined>;
}

/**
 * A desk made on first use by `load`, for a process that may never review a draft: the desk's event checks (the
 * schema library, YAML) and the detector are loaded only when a step is asked for. A load that failed is tried
 * again at the next step.
 */
export function lazyDraftDesk(load: () => Promise<DraftDesk>): DraftDesk {
  let desk: Promise<DraftDesk> | undefined;
  const made = () => {
    desk ??= load().catch((error: unknown) => {
      desk = undefined;
      throw error;
    });
    return desk;
  };
  return {
    list: async (status) => (await made()).list(status),
    show: async (id) => (await made()).show(id),
    approve: async (id, by) => (await made()).approve(id, by),
    merge: async (id, event, by) => (await made()).merge(id, event, by),
    reject: async (id, reason, by) => (await made()).reject(id, reason, by),
    edit: async (id, changes, by) => (await made()).edit(id, changes, by),
    editLines: async (id) => (await made()).editLines(id),
    mergeTarget: async (id) => (await made()).mergeTarget(id),
  };
}
