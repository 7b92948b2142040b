// /timeline: the events matching a filter, newest first (or oldest first), a page at a time.
import { pageActions } from '../src/core/actions.js';
import { formatLine } from '../src/core/args.js';
import { defineCommand } from '../src/core/command.js';
import { formatDate } from '../src/core/dates.js';
import { UserError } from '../src/core/errors.js';
import { asOf, FILTER, FILTER_OPTIONS, filterFrom, rangeStart } from '../src/core/filterOptions.js';
import {
  asOfFooter,
  citeEvents,
  coverageNote,
  describeFilter,
  eventLine,
  fullRecordPointer,
} from '../src/core/present.js';
import { timeline } from '../src/core/queries/timeline.js';
import { plural } from '../src/core/text.js';

/** Events per page: short enough for one Slack message or Discord embed. */
export const PAGE_SIZE = 10;

const timelineCommand = defineCommand({
  name: 'timeline',
  description: 'A chronological list of events matching your filters, a page at a time',
  options: [
    { ...FILTER.topic, rest: true },
    { name: 'since', description: 'Only events on or after this date (YYYY-MM-DD)', type: 'date' },
    { name: 'page', description: 'Page number, from 1', type: 'integer', min: 1, max: 10_000 },
    {
      name: 'order',
      description: 'newest (default) or oldest first',
      type: 'string',
      choices: [
        { value: 'newest', aliases: ['new', 'desc'] },
        { value: 'oldest', aliases: ['old', 'asc', 'chronological'] },
      ],
    },
    ...FILTER_OPTIONS.filter((o) => o.name !== 'topic'),
  ],
  examples: [
    '/timeline level:minister',
    '/timeline taiwan since:2023-01-01',
    '/timeline mechanism:MMCA order:oldest',
    '/timeline kind:request-refused',
    '/timeline page:2',
  ],
  visibility: 'private',
  permission: 'anyone',
  run({ catalog, options, now, publicUrl }) {
    const filter = filterFrom(catalog, options);
    const when = asOf(options, now);
    const from = rangeStart(options, when.asOf, '/timeline');
    const page = (options.page as number | undefined) ?? 1;
    const order = (options.order as 'newest' | 'oldest' | undefined) ?? 'newest';
    const result = timeline(catalog, filter, { from, to: when.asOf, page, pageSize: PAGE_SIZE, order });
    if (result.total > 0 && page > result.pages) {
      throw new UserError(
        'bad-value',
        `page: there ${result.pages === 1 ? 'is 1 page' : `are ${result.pages} pages`}; page ${page} is past the end.`,
        formatLine(timelineCommand, { ...options, page: result.pages }),
      );
    }
    const scope = describeFilter(filter);
    const range = `${from === '0000-01-01' ? 'all dates' : `from ${formatDate(from)}`} to ${formatDate(when.asOf)}`;
    const title = `Timeline${scope.length > 0 ? ` · ${scope.join(' · ')}` : ''}`;
    const summary =
      result.total === 0
        ? `No events match, ${range}.`
        : `${plural(result.total, 'event')}, ${range}, ${order} first. Page ${result.page} of ${result.pages}.`;
    const next = result.page < result.pages ? `Next: add page:${result.page + 1}` : undefined;
    const note = coverageNote(catalog, from, when.asOf);
    return {
      tone: 'answer',
      title,
      blocks: [
        { type: 'text', text: summary },
        ...(note ? [{ type: 'text' as const, text: note }] : []),
        ...(result.events.length > 0
          ? [{ type: 'list' as const, items: result.events.map((e) => eventLine(catalog, e)) }]
          : []),
        ...(next
          ? [{ type: 'text' as const, text: `${next}. One event in full: ${fullRecordPointer(undefined, publicUrl)}` }]
          : [{ type: 'text' as const, text: `One event in full: ${fullRecordPointer(undefined, publicUrl)}` }]),
      ],
      ...citeEvents(result.events, publicUrl),
      footer: asOfFooter(catalog, when.asOf),
      fallbackText: summary,
      actions: pageActions(timelineCommand, options, result.page, result.pages),
    };
  },
});

export default timelineCommand;
