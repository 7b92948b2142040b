// /drafts: the editors' review of drafts proposed from feeds (issue 15): list, show, approve, merge, reject, edit.
import { type CommandContext, defineCommand } from '../src/core/command.js';
import type { DRAFT_STATUSES, DraftDesk } from '../src/core/drafts.js';
import { UserError } from '../src/core/errors.js';

/** The most characters of a reason or an edit (Discord's text input allows 4,000). */
export const MAX_REASON = 500;
export const MAX_CHANGES = 3000;

/** The desk, or why there is none: no state here, or the asker is not an editor (the adapter decides). */
function deskOf(ctx: CommandContext): DraftDesk {
  if (!ctx.drafts) {
    throw new UserError(
      'no-drafts',
      'Drafts are reviewed by editors: in the editors’ channel, by those on the editors’ list, or with `hotline drafts` on the command line.',
    );
  }
  return ctx.drafts;
}

/** The draft number given ("3", "#3", "d3"), or a UserError saying how to give one. */
function draftId(ctx: CommandContext): number {
  const text = String(ctx.options.draft ?? '').trim();
  const match = /^(?:#|d)?(\d{1,6})$/i.exec(text);
  const n = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UserError(
      'bad-draft',
      text === ''
        ? 'Say which draft: its number, as /drafts lists it.'
        : `"${text.slice(0, 40)}" is not a draft number; write it as /drafts lists it, e.g. 3.`,
      '/drafts show 3',
    );
  }
  return n;
}

/** The option's text, or a UserError naming it. */
function required(ctx: CommandContext, name: string, what: string, example: string): string {
  const value = ctx.options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UserError('missing-option', `Give ${what}.`, example);
  return value.trim();
}

export default defineCommand({
  name: 'drafts',
  description: 'Editors: review drafts of events from feeds (list, show, approve, merge, reject, edit)',
  options: [
    {
      name: 'action',
      description: 'list (default), show, approve, merge, reject or edit',
      type: 'string',
      rest: true,
      choices: [
        { value: 'list', aliases: ['ls', 'pending'] },
        { value: 'show', aliases: ['card'] },
        { value: 'approve', aliases: ['publish'] },
        { value: 'merge' },
        { value: 'reject' },
        { value: 'edit', aliases: ['set'] },
      ],
    },
    { name: 'draft', description: 'The draft’s number, as /drafts lists it', type: 'string', rest: true },
    {
      name: 'changes',
      description: 'For edit: field=value, e.g. level=minister summary=…',
      type: 'string',
      rest: true,
    },
    { name: 'reason', description: 'For reject: why the draft is not an event', type: 'string' },
    { name: 'event', description: 'For merge: the id of the event on record', type: 'string', completion: 'event' },
    {
      name: 'status',
      description: 'For list: pending (default), approved, merged or rejected',
      type: 'string',
      // Written out, not imported: `hotline ask` loads every command file, and this one should cost no more.
      choices: (['pending', 'approved', 'merged', 'rejected'] satisfies (typeof DRAFT_STATUSES)[number][]).map(
        (value) => ({ value }),
      ),
    },
  ],
  examples: ['/drafts', '/drafts show 3', '/drafts approve 3', '/drafts reject 3 reason:"not a military contact"'],
  visibility: 'private',
  permission: 'editors',
  shareable: false,
  async run(ctx) {
    const desk = deskOf(ctx);
    const action = (ctx.options.action as string | undefined) ?? 'list';
    // The console has no user: whoever runs it is the editor, as with `hotline drafts`.
    const by = ctx.user ?? 'console';
    switch (action) {
      case 'list':
        return desk.list(ctx.options.status as (typeof DRAFT_STATUSES)[number] | undefined);
      case 'show':
        return desk.show(draftId(ctx));
      case 'approve':
        return desk.approve(draftId(ctx), by);
      case 'merge': {
        const event = ((ctx.options.event ?? ctx.options.changes) as string | undefined)?.trim();
        if (!event)
          throw new UserError(
            'missing-option',
            'Give the id of the event on record to merge into.',
            '/drafts merge 3 event:2025-09-09-hegseth-dong-video-call',
          );
        return desk.merge(draftId(ctx), event, by);
      }
      case 'reject': {
        const reason = required(
          ctx,
          'reason',
          'a reason: why this draft is not an event to publish',
          '/drafts reject 3 reason:"a diplomats\' meeting"',
        );
        if (reason.length > MAX_REASON)
          throw new UserError('too-long', `The reason is ${reason.length} characters; keep it to ${MAX_REASON}.`);
        return desk.reject(draftId(ctx), reason, by);
      }
      default: {
        const changes = required(
          ctx,
          'changes',
          'the fields to change as field=value',
          '/drafts edit 3 level=minister',
        );
        if (changes.length > MAX_CHANGES)
          throw new UserError('too-long', `The changes are ${changes.length} characters; keep them to ${MAX_CHANGES}.`);
        return desk.edit(draftId(ctx), changes, by);
      }
    }
  },
  async form(ctx) {
    const desk = deskOf(ctx);
    const id = draftId(ctx);
    switch (ctx.options.action) {
      case 'reject':
        return {
          title: `Reject draft #${id}`,
          submit: 'Reject',
          fields: [
            { name: 'reason', label: 'Why is this not an event to publish?', multiline: true, maxLength: MAX_REASON },
          ],
        };
      case 'merge': {
        const suggested = await desk.mergeTarget(id);
        return {
          title: `Merge draft #${id}`,
          submit: 'Merge',
          fields: [
            {
              name: 'event',
              label: 'Id of the event on record',
              maxLength: 100,
              ...(suggested ? { value: suggested } : {}),
            },
          ],
        };
      }
      case 'edit':
        return {
          title: `Edit draft #${id}`,
          submit: 'Save',
          fields: [
            {
              name: 'changes',
              label: 'Fields, one field=value a line',
              value: await desk.editLines(id),
              multiline: true,
              maxLength: MAX_CHANGES,
            },
          ],
        };
      default:
        throw new UserError(
          'no-form',
          `/drafts ${String(ctx.options.action ?? 'list')} asks nothing more; run it as it is.`,
        );
    }
  },
});
