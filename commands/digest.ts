// /digest: the contacts on a topic in a window, grouped by level and kind, with the trend and channel states.
import type { CatalogEvent } from '../src/core/catalog.js';
import { defineCommand } from '../src/core/command.js';
import { type Day, dayRange, daysBetween, formatDate, type Period, periodStart } from '../src/core/dates.js';
import { UserError } from '../src/core/errors.js';
import { single } from '../src/core/filter.js';
import { asOf, FILTER, FILTER_OPTIONS, filterFrom } from '../src/core/filterOptions.js';
import {
  asOfFooter,
  channelLine,
  citeEvents,
  countKind,
  coverageNote,
  describeFilter,
  eventLine,
  fullRecordPointer,
  levelHeading,
} from '../src/core/present.js';
import { contactsByMonth } from '../src/core/queries/contactsByMonth.js';
import { digest } from '../src/core/queries/digest.js';
import type { Block } from '../src/core/reply.js';
import { plural } from '../src/core/text.js';

const DEFAULT_PERIOD: Period = { amount: 30, unit: 'd' };

/** Events listed per level; a digest names the newest and points to /timeline for the rest. */
export const LIST_PER_LEVEL = 5;

export default defineCommand({
  name: 'digest',
  description: 'A digest of contacts in a window (default: the last 30 days), with trend and channel states',
  options: [
    { ...FILTER.topic, rest: true },
    { name: 'since', description: 'Start of the window (YYYY-MM-DD); the window ends today', type: 'date' },
    {
      name: 'period',
      description: 'Length of the window ending today: 30d, 12w, 6m, 1y (default 30d)',
      type: 'period',
    },
    ...FILTER_OPTIONS.filter((o) => o.name !== 'topic'),
  ],
  examples: [
    '/digest taiwan',
    '/digest since:2024-01-01',
    '/digest south-china-sea period:1y',
    '/digest period:6m level:minister before:2024-01-01',
  ],
  visibility: 'channel',
  permission: 'anyone',
  run({ catalog, options, now, publicUrl }) {
    if (options.since !== undefined && options.period !== undefined) {
      throw new UserError(
        'conflicting-options',
        'Give since: or period:, not both.',
        '/digest taiwan since:2024-01-01',
      );
    }
    const filter = filterFrom(catalog, options);
    const when = asOf(options, now);
    const to = when.asOf;
    let from: Day;
    if (typeof options.since === 'string') {
      from = dayRange(options.since).start;
      if (from > to) {
        throw new UserError(
          'bad-value',
          `since: ${formatDate(options.since)} is after ${formatDate(to)}; the window must start before it ends.`,
          '/digest taiwan since:2024-01-01',
        );
      }
    } else {
      from = periodStart(to, (options.period as Period | undefined) ?? DEFAULT_PERIOD);
    }
    const d = digest(catalog, filter, from, to);
    const scope = describeFilter(filter);
    const title = `Digest${scope.length > 0 ? ` · ${scope.join(' · ')}` : ''} · ${formatDate(from)} – ${formatDate(to)}`;
    const days = plural(daysBetween(from, to) + 1, 'day');
    const kind = single(filter.kinds);
    const counted = (n: number) =>
      kind ? countKind(n, kind) : filter.kinds ? plural(n, 'event') : `${plural(n, 'contact')} held`;
    const trend =
      d.contacts === d.previousContacts
        ? `the same as in the ${days} before (${d.previousContacts})`
        : `${d.contacts > d.previousContacts ? 'up' : 'down'} from ${d.previousContacts} in the ${days} before`;
    const all = filter.kinds
      ? ''
      : `; ${plural(d.total, 'event')} in all, counting refusals, cancellations and other records`;
    const summary = `${counted(d.contacts)} in these ${days}, ${trend}${all}.`;
    const blocks: Block[] = [{ type: 'text', text: summary }];
    // An empty or thin window past the review day (or before the complete period) may be the record's gap.
    const note = coverageNote(catalog, from, to);
    if (note) blocks.push({ type: 'text', text: note });
    if (d.groups.length === 0) {
      blocks.push({
        type: 'text',
        text: note
          ? 'Nothing on record in this window. Widen it with period:1y or since:YYYY-MM-DD.'
          : 'Nothing on record in this window: the record covers it, so no contact matching was reported. Widen it with period:1y or since:YYYY-MM-DD.',
      });
    }
    const listed: CatalogEvent[] = [];
    for (const group of d.groups) {
      // The newest few per level; the rest are a /timeline away, so a busy window stays one message.
      const events = group.kinds.flatMap((k) => k.events).sort((a, b) => b.pos - a.pos);
      const shown = events.slice(0, LIST_PER_LEVEL);
      listed.push(...shown);
      const more = events.length - shown.length;
      blocks.push({
        type: 'list',
        heading: `${levelHeading(group.level)} · ${group.kinds
          .map(
            (k) =>
              `${countKind(k.events.length, k.kind)}${k.qualifier ? ` (${k.qualifier}, not counted as held)` : ''}`,
          )
          .join(', ')}`,
        items: [
          ...shown.map((e) => eventLine(catalog, e)),
          ...(more > 0
            ? [
                `…and ${more} more: /timeline level:${group.level} since:${from}${options.before ? ` before:${options.before}` : ''}`,
              ]
            : []),
        ],
      });
    }
    if (d.channels.length > 0) {
      blocks.push({ type: 'list', heading: `Channels as of ${formatDate(to)}`, items: d.channels.map(channelLine) });
    }
    // With a public URL, where each listed event's page is, as /timeline says it (without one, the ids say it).
    if (publicUrl && listed.length > 0) {
      blocks.push({ type: 'text', text: `One event in full: ${fullRecordPointer(undefined, publicUrl)}` });
    }
    return {
      tone: 'answer',
      title,
      blocks,
      ...citeEvents(listed, publicUrl),
      footer: asOfFooter(catalog, to, `previous window ${formatDate(d.previousFrom)} – ${formatDate(d.previousTo)}`),
      fallbackText: summary,
      // Contacts per month by level over the 12 months to the window's end, the window's marked.
      chart: contactsByMonth(catalog, filter, { to, window: { from, to } }),
    };
  },
});
