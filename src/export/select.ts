// Which events an export holds: the /timeline filters, read by the one argument parser, over every page.
import timelineCommand from '../../commands/timeline.js';
import { formatLine, parseLine } from '../core/args.js';
import type { Catalog, CatalogEvent } from '../core/catalog.js';
import { type Command, defineCommand, type Options } from '../core/command.js';
import type { Day } from '../core/dates.js';
import type { UserError } from '../core/errors.js';
import { asOf, filterFrom, rangeStart } from '../core/filterOptions.js';
import { describeFilter } from '../core/present.js';
import { timeline } from '../core/queries/timeline.js';
import { visibleText } from '../core/text.js';

/**
 * The filter words an export takes: /timeline's own options (the same specs, so the same spellings and the
 * same errors), less `page`, since an export holds every page. Only its name, options and examples are used,
 * by parseLine; it is not a chat command (yet), so it is in no COMMANDS list.
 */
export const EXPORT_FILTERS: Command = defineCommand({
  name: 'export',
  description: 'Events matching the /timeline filters, as a file',
  options: timelineCommand.options.filter((o) => o.name !== 'page'),
  examples: ['/export level:minister', '/export taiwan since:2023-01-01', '/export mechanism:MMCA order:oldest'],
  visibility: 'private',
  permission: 'anyone',
  run() {
    throw new Error('/export is read by selectEvents, not run as a command');
  },
});

/** The events an export holds, and the filter as a person would write it again. */
export interface Selection {
  events: CatalogEvent[];
  /** The parsed filter options. */
  options: Options;
  /** The filter words in canonical form ("level:minister topic:taiwan"; "" for all), for feed ids. */
  filter: string;
  /** The selection in words, for titles: ["minister level", "Taiwan"]. */
  scope: string[];
  /** The last day the selection looks at (today, or the day before `before:`). */
  asOf: Day;
}

/**
 * The events matching `line` (filter words as typed after /timeline), newest first unless `order:oldest`.
 * Bad words throw the UserError /timeline would give.
 */
export function selectEvents(catalog: Catalog, line: string, now: Day): Selection {
  // Invisible marks are not part of a question, as for every command (dispatch.ts).
  const options = parseLine(EXPORT_FILTERS, visibleText(line));
  const filter = filterFrom(catalog, options);
  const when = asOf(options, now);
  const from = rangeStart(options, when.asOf, '/export');
  const order = (options.order as 'newest' | 'oldest' | undefined) ?? 'newest';
  const { events } = timeline(catalog, filter, {
    from,
    to: when.asOf,
    page: 1,
    pageSize: Number.MAX_SAFE_INTEGER,
    order,
  });
  const filterWords = formatLine(EXPORT_FILTERS, options).replace(/^\/export ?/, '');
  return { events, options, filter: filterWords, scope: describeFilter(filter), asOf: when.asOf };
}

/**
 * The words of a command line as the shell passed them: a value the shell unquoted (`person:"Dong Jun"`
 * arrives as `person:Dong Jun`) is quoted again, so it stays one value.
 */
export function lineOf(words: readonly string[]): string {
  return words
    .map((word) => {
      const named = /^(-?[A-Za-z][A-Za-z0-9_-]*:)(.*\s.*)$/s.exec(word);
      if (!named) return word;
      const value = named[2] as string;
      return value.includes('"') ? word : `${named[1]}"${value}"`;
    })
    .join(' ');
}

/**
 * A bad filter as the command line says it: the parser's message, and its example as a `hotline export`
 * command (examples name /export or /timeline, or are bare option words).
 */
export function usageMessage(error: UserError, format: string): string {
  const words = error.example?.replace(/^\/(export|timeline)\b ?/, '');
  return words === undefined || words.startsWith('/')
    ? error.message
    : `${error.message}\nFor example: hotline export --format ${format}${words ? ` ${words}` : ''}`;
}
