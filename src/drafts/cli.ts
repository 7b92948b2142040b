// `hotline drafts …` (issue 15): the review of drafts without a chat platform, over the same desk the bots use.
// Loaded only by that subcommand.
import { dump } from 'js-yaml';
import { renderText } from '../console/render.js';
import type { Catalog } from '../core/catalog.js';
import type { DraftDesk } from '../core/drafts.js';
import { UserError } from '../core/errors.js';
import { loggedView } from '../events/live.js';
import { latestLogged, type PublishedEvent } from '../events/log.js';
import type { State } from '../state/index.js';
import { draftNumber, type StoredDraft } from './book.js';
import { draftDesk } from './desk.js';

/** One `hotline drafts` step: what was asked, with the command line's values. */
export interface DraftsRequest {
  action: 'list' | 'show' | 'approve' | 'reject' | 'merge' | 'edit' | 'export';
  id?: string;
  /** merge: the event id; edit: the field=value assignments. */
  args?: string[];
  status?: string;
  reason?: string;
  by: string;
}

/** What to print and the exit code: 0 done, 2 not done as asked (the message says why; nothing changed). */
export interface DraftsOutcome {
  stdout: string;
  stderr: string;
  code: 0 | 2;
}

/** Runs one step against the state, answering from data/ (`base`) plus the event log. */
export async function runDrafts(
  state: State,
  base: Catalog,
  request: DraftsRequest,
  clock: () => Date,
  /** Run by approve and merge once checked, before publishing (DeskDeps.beforePublish). */
  beforePublish?: () => Promise<void>,
): Promise<DraftsOutcome> {
  const catalog = await loggedView(state, base);
  const desk = draftDesk({ state, catalog: () => catalog, clock, ...(beforePublish ? { beforePublish } : {}) });
  try {
    if (request.action === 'export')
      return { stdout: await exportApproved(state, await desk.book.list()), stderr: '', code: 0 };
    const reply = await step(desk, request);
    return { stdout: `${renderText(reply)}\n`, stderr: '', code: 0 };
  } catch (error) {
    if (error instanceof UserError) {
      return {
        stdout: '',
        stderr: `hotline: ${error.message}${error.example ? `\nTry: ${cliExample(error.example)}` : ''}\n`,
        code: 2,
      };
    }
    throw error;
  }
}

function step(desk: DraftDesk, request: DraftsRequest) {
  if (request.action === 'list') {
    const status = request.status ?? 'pending';
    if (!['pending', 'approved', 'merged', 'rejected'].includes(status)) {
      throw new UserError(
        'bad-status',
        `"${status}" is not a draft status; give pending, approved, merged or rejected.`,
      );
    }
    return desk.list(status as 'pending');
  }
  const id = draftNumber(request.id ?? '');
  if (id === undefined) {
    throw new UserError(
      'bad-draft',
      `"${(request.id ?? '').slice(0, 40)}" is not a draft number; give it as hotline drafts list shows it, e.g. 3.`,
    );
  }
  const args = request.args ?? [];
  switch (request.action) {
    case 'show':
      return desk.show(id);
    case 'approve':
      return desk.approve(id, request.by);
    case 'reject':
      if (!request.reason?.trim())
        throw new UserError(
          'missing-option',
          'Give a reason with --reason: why this draft is not an event to publish.',
        );
      return desk.reject(id, request.reason, request.by);
    case 'merge':
      if (!args[0])
        throw new UserError(
          'missing-option',
          'Give the id of the event on record to merge into.',
          `hotline drafts merge ${id} 2025-09-09-hegseth-dong-video-call`,
        );
      return desk.merge(id, args[0], request.by);
    default:
      if (args.length === 0)
        throw new UserError(
          'missing-option',
          'Give the fields to change as field=value.',
          `hotline drafts edit ${id} level=minister`,
        );
      return desk.edit(id, args.join('\n'), request.by);
  }
}

/** A chat example ("/drafts edit 3 level=…") as the command line writes it. */
function cliExample(example: string): string {
  return example
    .replace(/^\/drafts\b/, 'hotline drafts')
    .replace(/ event:(\S+)/, ' $1')
    .replace(/ reason:/, ' --reason ');
}

/**
 * The events published by approving or merging drafts, each as its latest revision in the log, as YAML in the
 * data/events/YYYY.yaml format, grouped by year, for maintainers to commit to data/ (a merged event replaces
 * the one of the same id there).
 */
export async function exportApproved(state: State, drafts: readonly StoredDraft[]): Promise<string> {
  const decided = drafts.filter((d) => (d.status === 'approved' || d.status === 'merged') && d.decision?.event);
  if (decided.length === 0) return '# No approved or merged drafts to export.\n';
  const byYear = new Map<string, { event: PublishedEvent; drafts: StoredDraft[] }[]>();
  const seen = new Map<string, { event: PublishedEvent; drafts: StoredDraft[] }>();
  for (const draft of decided) {
    const event = await latestLogged(state, draft.decision?.event as string);
    if (!event) continue;
    const known = seen.get(event.id);
    if (known) {
      known.drafts.push(draft);
      continue;
    }
    const entry = { event, drafts: [draft] };
    seen.set(event.id, entry);
    const year = event.date.slice(0, 4);
    byYear.set(year, [...(byYear.get(year) ?? []), entry]);
  }
  const out = [
    '# Events from the review of drafts (hotline drafts export), in the format of data/events/YYYY.yaml.',
    '# Add each to the file of its year; a merged one replaces the event with the same id there.',
  ];
  for (const year of [...byYear.keys()].sort()) {
    out.push('', `# events/${year}.yaml`);
    const entries = (byYear.get(year) ?? []).sort((a, b) =>
      a.event.date < b.event.date ? -1 : a.event.date > b.event.date ? 1 : 0,
    );
    for (const { event, drafts: from } of entries) {
      out.push(`# ${from.map((d) => `draft #${d.id} ${d.status} by ${d.decision?.by}`).join('; ')}`);
      out.push(dump([event], { lineWidth: -1, quotingType: '"', noRefs: true }).trimEnd());
    }
  }
  return `${out.join('\n')}\n`;
}
