// The review of drafts (issue 15): approve (publish), merge into an event on record (a revision), reject with a
// reason, edit fields (refused, naming the field, when the schema refuses them), each recorded on the draft.
import { checkEventRecord } from '../core/build.js';
import type { Catalog } from '../core/catalog.js';
import type { DraftField } from '../core/detect/index.js';
import { DRAFT_STATUSES, type DraftDesk } from '../core/drafts.js';
import { type DataError, UserError } from '../core/errors.js';
import { label } from '../core/present.js';
import type { Block, Field, Reply } from '../core/reply.js';
import type { Participant } from '../core/schema.js';
import { plural } from '../core/text.js';
import { takenOutOfData } from '../events/live.js';
import {
  contentHash,
  isLogged,
  latestLogged,
  type PublishedEvent,
  publish,
  recordOf,
  revisionEntry,
} from '../events/log.js';
import type { JsonValue, State } from '../state/index.js';
import { underLease } from '../state/lease.js';
import {
  type Claim,
  claimIsLive,
  type DraftBook,
  type DraftChange,
  decisionKey,
  draftBook,
  liveClaim,
  type StoredDraft,
} from './book.js';
import { changedEdits, checkDraftEvent, EditRefused, editLines, eventFromDraft, parseEdits } from './event.js';

/** What the desk works with: the state, the catalog as it is now (data/ and the log), and the clock. */
export interface DeskDeps {
  state: State;
  catalog: () => Catalog;
  clock: () => Date;
  /**
   * Runs when approve or merge has passed its checks and is about to take the event's lease to publish: where
   * `hotline drafts` publishes data/ first into a new store, so a refused step (no such draft, no such event)
   * changes nothing. Not under the lease, which publishing data/ may need for the same event.
   */
  beforePublish?: () => Promise<void>;
}

/** The desk with what the card job and the CLI need besides: the book, and a draft's card. */
export type ReviewDesk = DraftDesk & { book: DraftBook; card(draft: StoredDraft): Reply };

/** The desk over a state; also used by `hotline drafts` and the card job. */
export function draftDesk(deps: DeskDeps): ReviewDesk {
  const book = draftBook(deps.state);
  const today = () => deps.clock().toISOString().slice(0, 10);
  const pendingDraft = async (id: number): Promise<StoredDraft> => {
    const stored = await book.get(id);
    if (!stored)
      throw new UserError('no-draft', `There is no draft #${id}; /drafts lists the pending ones.`, '/drafts');
    if (stored.status !== 'pending') {
      const d = stored.decision;
      throw new UserError(
        'decided',
        `Draft #${id} was ${stored.status} already${d ? ` by ${d.by} at ${d.at}` : ''}; nothing was changed.`,
        `/drafts show ${id}`,
      );
    }
    return stored;
  };
  /** Writes the decision if the draft is still pending (another editor may have decided meanwhile). */
  const decide = async (id: number, status: StoredDraft['status'], change: DraftChange) => {
    const written = await book.update(id, (d) =>
      d.status !== 'pending'
        ? undefined
        : {
            ...d,
            status,
            decision: {
              by: change.by,
              at: change.at,
              ...(change.reason ? { reason: change.reason } : {}),
              ...(change.event ? { event: change.event } : {}),
            },
            history: [...(d.history ?? []), change],
            updatedAt: change.at,
          },
    );
    return written ?? (await book.get(id));
  };
  const card = (stored: StoredDraft) => draftCard(stored, deps.catalog(), today());
  /**
   * Claims the decision on draft `id` once (setIfAbsent), so two editors deciding at the same moment (Approve on
   * Slack, Reject on Discord) never both act: the second is refused, naming the first. A claim whose draft is
   * still pending after CLAIM_STALE_MS belongs to a decider that stopped half-way. If that decider published its
   * event (the claim holds the content's hash) the decision is finished as it was made and the newcomer refused,
   * so a draft whose event is in the log is never rejected or approved again; otherwise the claim is taken over.
   */
  const claim = async (id: number, change: DraftChange, published?: PublishedEvent): Promise<void> => {
    const key = decisionKey(id);
    const value: Claim = published ? { ...change, hash: contentHash(published) } : change;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await deps.state.setIfAbsent('drafts', key, value as unknown as JsonValue)) return;
      const held = (await deps.state.drafts.get(key)) as Claim | undefined;
      if (held && claimIsLive(held, deps.clock().getTime())) {
        throw new UserError(
          'deciding',
          `Draft #${id} is being decided by ${held.by} (${held.action}, at ${held.at}); nothing was changed.`,
          `/drafts show ${id}`,
        );
      }
      if (held?.hash && held.event && (held.action === 'approve' || held.action === 'merge')) {
        if (await isLogged(deps.state, held.event, held.hash)) {
          const { hash: _hash, ...made } = held;
          await decide(id, held.action === 'approve' ? 'approved' : 'merged', made);
          throw new UserError(
            'decided',
            `Draft #${id} was ${held.action === 'approve' ? 'approved' : 'merged'} already by ${held.by} at ${held.at}; nothing was changed.`,
            `/drafts show ${id}`,
          );
        }
      }
      await deps.state.drafts.delete(key);
    }
    throw new UserError('deciding', `Draft #${id} is being decided by someone else; nothing was changed.`);
  };

  /**
   * After the claim of a decision that publishes (approve, merge): the draft as it is now, read under its lease,
   * must be the draft the decision checked. An edit (or a joining item) that landed between the decision's read
   * and its claim would otherwise be recorded on a draft whose published event does not have it. Edits check for
   * a claim under the same lease (edit), so one written after this read is refused. If the draft changed, the
   * claim is withdrawn and the decision refused: the editor decides on what they saw, so they look again rather
   * than publish an edit they have not read.
   */
  const unchangedSinceRead = async (id: number, read: StoredDraft, action: 'approve' | 'merge'): Promise<void> => {
    const now = await book.settled(id);
    if (now !== undefined && JSON.stringify(now) === JSON.stringify(read)) return;
    await deps.state.drafts.delete(decisionKey(id));
    const edit = (now?.history ?? [])
      .slice(read.history?.length ?? 0)
      .filter((h) => h.action === 'edit')
      .at(-1);
    throw new UserError(
      'changed',
      `Draft #${id} was ${edit ? `edited by ${edit.by} at ${edit.at}` : 'changed (another feed item joined it)'} while you were ${action === 'approve' ? 'approving' : 'merging'} it; nothing was published. Look at its card again and ${action} it as it is now.`,
      `/drafts show ${id}`,
    );
  };

  /**
   * Claims an approve or merge of draft `id`, checks that the draft is still the one read (`stored`), publishes
   * `event` and records the decision: the end both decisions share, under the event's lease.
   */
  const publishDecision = async (
    id: number,
    stored: StoredDraft,
    change: DraftChange & { action: 'approve' | 'merge' },
    event: PublishedEvent,
  ): Promise<Reply> => {
    await claim(id, change, event);
    await unchangedSinceRead(id, stored, change.action);
    await publish(deps.state, event, change.at);
    return card((await decide(id, change.action === 'approve' ? 'approved' : 'merged', change)) as StoredDraft);
  };

  return {
    book,
    card,
    async list(status = 'pending') {
      if (!DRAFT_STATUSES.includes(status)) throw new UserError('bad-status', `"${status}" is not a draft status.`);
      return draftList(await book.list(status), status, deps.catalog(), today());
    },
    async show(id) {
      const stored = await book.get(id);
      if (!stored)
        throw new UserError('no-draft', `There is no draft #${id}; /drafts lists the pending ones.`, '/drafts');
      return card(stored);
    },
    async approve(id, by) {
      const stored = await pendingDraft(id);
      const catalog = deps.catalog();
      const at = deps.clock().toISOString();
      const checked = checkDraftEvent(stored, catalog, at.slice(0, 10));
      if (!checked.ok) {
        throw new UserError(
          'not-ready',
          `Draft #${id} cannot be published as it is: ${problems(checked.errors)}. Edit it, or reject it; nothing was published.`,
          `/drafts edit ${id} ${checked.errors[0]?.field?.split('.')[0] ?? 'summary'}=…`,
        );
      }
      const { event } = checked;
      await deps.beforePublish?.();
      // Under the event's lease until published, as a merge is: two drafts of one event approved at once (two
      // instances) both found the id free, and the second was logged as a revision of the first.
      return underLease(deps.state, `event:${event.id}`, event.id, async () => {
        // Decided while this waited for the lease (a double press): said so, not "on record already".
        await pendingDraft(id);
        // The log as well as the catalog: the catalog is refreshed every second or so, per instance, and a draft
        // approved a moment ago with the same id must not be replaced by this one (a revision of it).
        if (catalog.byId.has(event.id) || (await revisionEntry(deps.state, event.id, 1)) !== undefined) {
          // Logged, and not answered: taken out of data/ (liveCatalog), so there is nothing to merge into either.
          if (!catalog.byId.has(event.id) && (await takenOutOfData(deps.state, event.id))) {
            throw new UserError(
              'taken-out',
              `The id ${event.id} belonged to an event taken out of the record (data/ no longer has it): give the draft another id; nothing was published.`,
              `/drafts edit ${id} id=…`,
            );
          }
          throw new UserError(
            'on-record',
            `An event with the id ${event.id} is on record already: merge the draft into it, or edit the id; nothing was published.`,
            `/drafts merge ${id} event:${event.id}`,
          );
        }
        return publishDecision(id, stored, { action: 'approve', by, at, event: event.id }, event);
      });
    },
    async merge(id, eventId, by) {
      const stored = await pendingDraft(id);
      const catalog = deps.catalog();
      const target = catalog.byId.get(eventId.trim());
      if (!target) {
        throw new UserError(
          'no-event',
          `There is no event ${eventId.trim().slice(0, 80)} on record; give the id /event shows; nothing was changed.`,
          '/timeline',
        );
      }
      await deps.beforePublish?.();
      // The revision is built from the event's latest logged revision, holding the event's lease until it is
      // published: the catalog is refreshed every second or so, per instance, and two merges into one event
      // built from it (one after the other, or at once on two instances) each published the event with their
      // own sources only, the second dropping the first's.
      return underLease(deps.state, `event:${target.id}`, target.id, async () => {
        await pendingDraft(id); // decided while this waited for the lease (a double press): said so
        const record = (await latestLogged(deps.state, target.id)) ?? recordOf(target);
        const cited = new Set(record.sources.map((s) => s.url));
        const added = stored.draft.sources.filter((s) => !cited.has(s.url));
        if (added.length === 0) {
          throw new UserError(
            'nothing-to-merge',
            `${target.id} cites every source of draft #${id} already; reject the draft as a duplicate instead.`,
            `/drafts reject ${id} reason:"already on record as ${target.id}"`,
          );
        }
        const merged = { ...record, sources: [...record.sources, ...added] };
        const checked = checkEventRecord(merged, catalog, `draft #${id}`);
        if (!checked.ok) {
          throw new UserError('not-ready', `The merged event would not pass the checks: ${problems(checked.errors)}.`);
        }
        const at = deps.clock().toISOString();
        return publishDecision(id, stored, { action: 'merge', by, at, event: target.id }, checked.event);
      });
    },
    async reject(id, reason, by) {
      await pendingDraft(id);
      if (reason.trim() === '') throw new UserError('missing-option', 'Give a reason for rejecting the draft.');
      const at = deps.clock().toISOString();
      const change: DraftChange = { action: 'reject', by, at, reason: reason.trim() };
      await claim(id, change);
      return card((await decide(id, 'rejected', change)) as StoredDraft);
    },
    async edit(id, changes, by) {
      const stored = await pendingDraft(id);
      const catalog = deps.catalog();
      const day = today();
      let edits: ReturnType<typeof parseEdits>;
      try {
        edits = parseEdits(changes, catalog, (stored.edits?.date as string | undefined) ?? stored.draft.date);
      } catch (error) {
        if (error instanceof EditRefused) throw new UserError('bad-edit', `Not saved: ${error.message}.`);
        throw error;
      }
      const changed = changedEdits(edits, stored, catalog, day);
      const fields = Object.keys(changed) as DraftChange['fields'] & string[];
      if (fields.length === 0)
        throw new UserError('no-change', `Nothing to change: draft #${id} has those values already.`);
      const next: StoredDraft = { ...stored, edits: { ...stored.edits, ...changed } };
      // The schema's word on the edited fields: a problem that was not there before the edit refuses it.
      const before = new Set(errorsOf(stored, catalog, day).map(errorKey));
      const introduced = errorsOf(next, catalog, day).filter((e) => !before.has(errorKey(e)));
      if (introduced.length > 0)
        throw new UserError('bad-edit', `Not saved: ${problems(introduced)}. Draft #${id} is as it was.`);
      const at = deps.clock().toISOString();
      const written = await book.update(id, async (d) => {
        if (d.status !== 'pending') return undefined;
        // A decision under way (approve or merge checked the draft as it was) is not changed under it: the edit
        // would be recorded on a draft whose published event does not have it. Asked under the draft's lease, so
        // an approve that claims after this read reads the draft again (unchangedSinceRead) only once it is
        // written, and sees the edit.
        const held = await liveClaim(deps.state, id, deps.clock().getTime());
        if (held) {
          throw new UserError(
            'deciding',
            `Draft #${id} is being decided by ${held.by} (${held.action}, at ${held.at}); the edit was not saved.`,
            `/drafts show ${id}`,
          );
        }
        return {
          ...d,
          edits: { ...d.edits, ...changed },
          history: [...(d.history ?? []), { action: 'edit' as const, by, at, fields }],
          updatedAt: at,
        };
      });
      if (!written) throw new UserError('decided', `Draft #${id} was decided meanwhile; the edit was not saved.`);
      return card(written);
    },
    async editLines(id) {
      return editLines(await pendingDraft(id), deps.catalog(), today());
    },
    async mergeTarget(id) {
      return (await pendingDraft(id)).match?.event;
    },
  };
}

function errorsOf(stored: StoredDraft, catalog: Catalog, day: string): DataError[] {
  const checked = checkDraftEvent(stored, catalog, day);
  return checked.ok ? [] : checked.errors;
}

const errorKey = (e: DataError) => `${e.field ?? ''}\n${e.reason}`;

/** "level: "emperor" is not one of …; summary: is required". */
function problems(errors: readonly DataError[]): string {
  const shown = errors.slice(0, 5).map((e) => (e.field ? `${e.field}: ${e.reason}` : e.reason));
  return `${shown.join('; ')}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''}`;
}

const percent = (n: number) => `${Math.round(n * 100)}%`;

/** A draft's card: the event it proposes (with the detector's confidence per field), its sources, what was decided. */
export function draftCard(stored: StoredDraft, catalog: Catalog, today: string): Reply {
  const event = eventFromDraft(stored, catalog, today);
  const edited = new Set(Object.keys(stored.edits ?? {}));
  const sure = (field: DraftField, edit: string) =>
    edited.has(edit) ? ' (edited)' : ` (${percent(stored.draft.confidence[field] ?? 0)})`;
  const text = (value: unknown) => (value === undefined || value === '' ? '—' : String(value));
  const list = (value: unknown) => (Array.isArray(value) && value.length > 0 ? value.join(', ') : '—');
  const participants = ((event.participants as Participant[] | undefined) ?? [])
    .map((p) => {
      const name = p.person ? (catalog.people.get(p.person)?.name ?? p.person) : (p.name ?? '');
      return `${name}${p.title ? `, ${p.title}` : ''} (${p.side})`;
    })
    .join('; ');
  const fields: Field[] = [
    { label: 'Date', value: `${text(event.date)}${sure('date', 'date')}` },
    { label: 'Kind', value: `${event.kind ? label(event.kind as 'call') : '—'}${sure('kind', 'kind')}` },
    { label: 'Format', value: `${event.format ? label(event.format as 'phone') : '—'}${sure('format', 'format')}` },
    { label: 'Level', value: `${event.level ? label(event.level as 'minister') : '—'}${sure('level', 'level')}` },
    { label: 'Participants', value: `${participants || '—'}${sure('participants', 'participants')}` },
    { label: 'Mechanisms', value: `${list(event.mechanisms)}${sure('mechanisms', 'mechanisms')}` },
    { label: 'Topics', value: `${list(event.topics)}${sure('topics', 'topics')}` },
    { label: 'Event id', value: text(event.id) },
  ];
  const blocks: Block[] = [
    { type: 'fields', fields },
    { type: 'text', text: `Summary: ${text(event.summary)}` },
  ];
  if (stored.match) {
    blocks.push({
      type: 'text',
      text: `On record already as ${stored.match.event}: merging adds ${plural(stored.match.sources.length, 'source')} to it.`,
    });
  }
  if (stored.reasons.length > 0)
    blocks.push({ type: 'list', heading: 'Why it reads as a contact', items: stored.reasons.slice(0, 5) });
  const d = stored.decision;
  if (stored.status !== 'pending' && d) {
    const what =
      stored.status === 'approved'
        ? `Approved by ${d.by} at ${d.at}: published as ${d.event}.`
        : stored.status === 'merged'
          ? `Merged by ${d.by} at ${d.at} into ${d.event}.`
          : `Rejected by ${d.by} at ${d.at}: ${d.reason ?? ''}`;
    blocks.push({ type: 'text', text: what });
  } else {
    const checked = checkDraftEvent(stored, catalog, today);
    if (!checked.ok) {
      blocks.push({
        type: 'list',
        heading: 'To fix before it can be approved',
        items: checked.errors.slice(0, 5).map((e) => (e.field ? `${e.field}: ${e.reason}` : e.reason)),
      });
    }
  }
  const edits = (stored.history ?? []).filter((h) => h.action === 'edit');
  const from = [...new Set(stored.items.map((i) => i.feed))].join(', ');
  const headline = `Draft #${stored.id} (${stored.status}): ${event.kind ? label(event.kind as 'call') : 'contact'}${event.date ? `, ${event.date}` : ''}`;
  return {
    tone: 'answer',
    title: headline,
    blocks,
    sources: stored.draft.sources.map((s) => ({
      title: s.title,
      publisher: s.publisher,
      url: s.url,
      ...(s.date ? { date: s.date } : {}),
      ...(s.readout ? { readout: s.readout } : {}),
    })),
    footer: `Draft #${stored.id} · from ${from || 'a feed'} · ${plural(stored.items.length, 'item')}${edits.length > 0 ? ` · edited by ${[...new Set(edits.map((e) => e.by))].join(', ')}` : ''}`,
    fallbackText: `${headline}${participants ? ` — ${participants}` : ''}`,
    ...(stored.status === 'pending'
      ? {
          actions: [
            { label: 'Approve', line: `/drafts approve ${stored.id}`, mode: 'replace' as const },
            { label: 'Edit', line: `/drafts edit ${stored.id}`, mode: 'form' as const },
            { label: 'Merge', line: `/drafts merge ${stored.id}`, mode: 'form' as const },
            { label: 'Reject', line: `/drafts reject ${stored.id}`, mode: 'form' as const },
          ],
        }
      : {}),
  };
}

/** The list of drafts with one status: one line each. */
function draftList(drafts: readonly StoredDraft[], status: string, catalog: Catalog, today: string): Reply {
  const lines = drafts.map((d) => {
    const e = eventFromDraft(d, catalog, today);
    const who = ((e.participants as Participant[] | undefined) ?? [])
      .map((p) => (p.person ? (catalog.people.get(p.person)?.name ?? p.person) : (p.name ?? '')))
      .join(', ');
    const parts = [
      e.date,
      e.kind ? label(e.kind as 'call') : undefined,
      e.level ? label(e.level as 'minister') : undefined,
      who,
    ]
      .filter((x) => x !== undefined && x !== '')
      .join(' · ');
    return `#${d.id} ${parts}${d.match ? ` (on record as ${d.match.event})` : ''} — ${d.items[0]?.title ?? ''}`;
  });
  const title = `Drafts ${status}: ${drafts.length}`;
  return {
    tone: 'answer',
    title,
    blocks: lines.length > 0 ? [{ type: 'list', items: lines }] : [{ type: 'text', text: `No ${status} drafts.` }],
    sources: [],
    footer: '/drafts show N for a draft’s card',
    fallbackText: lines.length > 0 ? `${title}. ${lines.join(' ')}` : `No ${status} drafts.`,
  };
}
