// /export: the events matching the /timeline filters as a file (CSV, JSON, ICS or Atom), sent to the asker alone.
import { formatLine } from '../src/core/args.js';
import type { CatalogEvent } from '../src/core/catalog.js';
import { type Command, type CommandContext, defineCommand, type Options } from '../src/core/command.js';
import { formatDate } from '../src/core/dates.js';
import { UserError } from '../src/core/errors.js';
import type { Reply } from '../src/core/reply.js';
import { formatCount, plural } from '../src/core/text.js';
import { EXPORT_FORMATS, type ExportFormat, exportEvents } from '../src/export/index.js';
import { type ExportEvent, withoutRevisions } from '../src/export/revisions.js';
import { EXPORT_FILTERS, selectEvents } from '../src/export/select.js';
import { queryOf } from '../src/web/paths.js';

/**
 * The most events one export made in the bot's process holds. Exports are made synchronously by their libraries
 * (about 0.1 ms an event), in the process that must acknowledge every Slack and Discord request within 3 s; the
 * file goes through chat, which caps uploads. A larger selection is refused with a way to narrow it or to export
 * it whole with `hotline export`, never cut short in silence. The web view's exports hold as many.
 */
export const CHAT_EXPORT_LIMIT = 1_000;

/** Each format as a file: what it is called, its media type, and where the web view serves it. */
export const EXPORT_FILES: Readonly<Record<ExportFormat, { label: string; mediaType: string; webPath: string }>> = {
  csv: { label: 'CSV (opens in a spreadsheet)', mediaType: 'text/csv', webPath: '/events.csv' },
  json: { label: 'JSON (the records as in the schema)', mediaType: 'application/json', webPath: '/events.json' },
  ics: { label: 'ICS (imports as a calendar)', mediaType: 'text/calendar', webPath: '/events.ics' },
  atom: { label: 'Atom (a feed)', mediaType: 'application/atom+xml', webPath: '/feed.atom' },
};

/** "hotline-events-level-minister-topic-taiwan.csv": the file's name, from its filter words. */
export function exportFileName(filter: string, format: ExportFormat): string {
  const whole = filter
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // At most 60 characters, cut between words, never inside one.
  const slug = whole.length > 60 ? whole.slice(0, Math.max(0, whole.lastIndexOf('-', 60))) : whole;
  return `hotline-events${slug ? `-${slug}` : ''}.${format}`;
}

/** The filter options alone (everything but the kind of file), as /timeline's filters. */
function filtersOf(options: Options): Options {
  const { file: _file, ...filters } = options;
  return filters;
}

/** Each event with its revisions from the event log (the web view's `logRevisions(state).withRevisions`). */
export type RevisionReader = (events: readonly CatalogEvent[]) => Promise<ExportEvent[]>;

/** What /export reads beyond a command's context: the event log's revisions, where a front end has the log. */
interface ExportContext extends CommandContext {
  withRevisions?: RevisionReader;
}

/**
 * The commands with /export reading each event's revisions through `withRevisions`, so its files carry the
 * revision column and ICS SEQUENCE that `hotline export` and the web view give (a calendar sees one sequence
 * wherever the file came from). It wraps the command's run as withPublicUrl does: the wrappers compose in any
 * order. Without it, /export exports as `hotline export --data-only` does.
 */
export function withExportRevisions(
  commands: readonly Command[],
  withRevisions: RevisionReader | undefined,
): readonly Command[] {
  if (!withRevisions) return commands;
  return commands.map((command) =>
    command.name === 'export'
      ? { ...command, run: (ctx) => command.run({ ...ctx, withRevisions } as ExportContext) }
      : command,
  );
}

const exportCommand = defineCommand({
  name: 'export',
  description: 'The events matching the /timeline filters as a file (CSV, JSON, ICS, Atom), sent to you alone',
  options: [
    {
      // Not "format": that is the filter for how a contact was held (format:video).
      name: 'file',
      description: 'The kind of file: csv (spreadsheet), json, ics (calendar) or atom (feed)',
      type: 'string',
      required: true,
      rest: true,
      choices: EXPORT_FORMATS.map((value) => ({ value })),
    },
    ...EXPORT_FILTERS.options,
  ],
  examples: ['/export csv level:minister', '/export ics taiwan since:2023-01-01', '/export atom mechanism:MMCA'],
  visibility: 'private',
  permission: 'anyone',
  // The answer is a file for the asker; sharing the message would share no file.
  shareable: false,
  async run(ctx): Promise<Reply> {
    const { catalog, options, now, publicUrl } = ctx;
    const { withRevisions } = ctx as ExportContext;
    const format = options.file as ExportFormat;
    const filters = filtersOf(options);
    let selection: ReturnType<typeof selectEvents>;
    try {
      selection = selectEvents(catalog, formatLine(EXPORT_FILTERS, filters).replace(/^\/export ?/, ''), now);
    } catch (error) {
      // The selection's examples are filter words after /export: put the kind of file back in front of them.
      if (!(error instanceof UserError) || !error.example?.startsWith('/export ')) throw error;
      throw new UserError(error.code, error.message, error.example.replace(/^\/export /, `/export ${format} `));
    }
    const words = selection.filter ? ` ${selection.filter}` : '';
    const page = publicUrl
      ? `${publicUrl.replace(/\/+$/, '')}${EXPORT_FILES[format].webPath}${queryOf(EXPORT_FILTERS, filters)}`
      : undefined;
    const count = selection.events.length;
    if (count > CHAT_EXPORT_LIMIT) {
      const since = `since:${selection.asOf.slice(0, 4)}-01-01`;
      const narrower = selection.filter.includes('since:')
        ? selection.filter.replace(/since:\S+/, since)
        : `${selection.filter} ${since}`.trim();
      throw new UserError(
        'too-many',
        `This selection holds ${formatCount(count)} events; an export in chat holds at most ${formatCount(CHAT_EXPORT_LIMIT)}. Narrow it with since:, before:, level:, topic: or another filter, or export it whole from the command line: hotline export --format ${format}${words}`,
        `/export ${format} ${narrower}`,
      );
    }
    const text = await exportEvents(format, {
      catalog,
      // Without the event log (withExportRevisions), the revisions are those of `hotline export --data-only`.
      events: withRevisions ? await withRevisions(selection.events) : withoutRevisions(selection.events),
      filter: selection.filter,
      scope: selection.scope,
      // No clock in a command: the export is dated by the day it was asked on.
      generated: `${now}T00:00:00.000Z`,
      ...(publicUrl ? { publicUrl } : {}),
    });
    const scope = selection.scope.length > 0 ? selection.scope.join(' · ') : 'every event on record';
    const described = `${plural(count, 'event')} (${scope}) as ${EXPORT_FILES[format].label}`;
    return {
      tone: 'answer',
      title: `Export · ${format.toUpperCase()} · ${plural(count, 'event')}`,
      blocks: [
        {
          type: 'text',
          text: `${described}: the file is sent to you alone.${count === 0 ? ' No event matches these filters; the file holds none.' : ''}`,
        },
        ...(page ? [{ type: 'text' as const, text: `The same selection, always current: ${page}` }] : []),
        { type: 'text', text: `The whole record, without a limit: hotline export --format ${format}${words}` },
      ],
      sources: [],
      footer: `As of ${formatDate(now)} · each event's sources are in the file`,
      fallbackText: `Export: ${described}.`,
      file: {
        name: exportFileName(selection.filter, format),
        mediaType: EXPORT_FILES[format].mediaType,
        text,
        alt: `Hotline export: ${described}`,
      },
    };
  },
});

export default exportCommand;
