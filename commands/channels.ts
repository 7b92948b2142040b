// /channels: the status board of every dialogue mechanism as of a date, or one mechanism's history.
import type { Catalog } from '../src/core/catalog.js';
import { defineCommand } from '../src/core/command.js';
import { dayRange, earlier, formatDate, formatSpan } from '../src/core/dates.js';
import { resolveMechanism } from '../src/core/filter.js';
import { FILTER } from '../src/core/filterOptions.js';
import { asOfFooter, capSources, channelLine, coverageNote, sourcesOf, stateText } from '../src/core/present.js';
import { channelBoard, mechanismState } from '../src/core/queries/channels.js';
import type { Block, SourceRef } from '../src/core/reply.js';
import type { MechanismChange } from '../src/core/schema.js';

export default defineCommand({
  name: 'channels',
  description: 'Which dialogue channels are open, suspended or cancelled, as of today or any date',
  options: [
    { ...FILTER.mechanism, description: 'Show one mechanism and its full history, e.g. MMCA', rest: true },
    { name: 'date', description: 'The board as of this date (YYYY-MM-DD); default today', type: 'date' },
  ],
  examples: ['/channels', '/channels date:2022-09-01', '/channels MMCA'],
  visibility: 'channel',
  permission: 'anyone',
  run({ catalog, options, now }) {
    const day = typeof options.date === 'string' ? dayRange(options.date).end : now;
    const asOf = earlier(day, now);
    const future =
      day > now
        ? [{ type: 'text' as const, text: `${formatDate(day)} is after today; this is the board as of today.` }]
        : [];
    const on = asOf === now ? 'Now' : `On ${formatDate(asOf)}`;
    if (typeof options.mechanism === 'string') {
      const mechanism = resolveMechanism(catalog, options.mechanism);
      const state = mechanismState(catalog, mechanism, asOf);
      const history = mechanism.history.filter((c) => dayRange(c.date).start <= asOf);
      const _events = history
        .flatMap((c) => (c.event ? [catalog.byId.get(c.event)] : []))
        .filter((e) => e !== undefined);
      const sources = changeSources(catalog, history);
      const blocks: Block[] = [
        { type: 'text', text: mechanism.description },
        ...future,
        { type: 'text', text: `${on}: ${stateText(state)}` },
        ...(state.lastEvent
          ? [
              {
                type: 'text' as const,
                text: `Last contact through it: ${formatSpan(state.lastEvent.date, state.lastEvent.endDate)} (/event ${state.lastEvent.id})`,
              },
            ]
          : []),
        {
          type: 'list',
          heading: 'History',
          items: history.map(
            (c) =>
              `${formatDate(c.date)} · ${c.status} · ${c.note}${c.uncertain ? ` (uncertain: ${c.uncertain})` : ''}${c.event ? ` · /event ${c.event}` : ''}`,
          ),
        },
      ];
      return {
        tone: 'answer',
        title: mechanism.name,
        blocks,
        sources,
        footer: asOfFooter(catalog, asOf),
        fallbackText: `${mechanism.shortName ?? mechanism.name}: ${stateText(state)}`,
      };
    }
    const board = channelBoard(catalog, asOf);
    const open = board.filter((s) => s.state === 'open').length;
    const summary = `${open} of ${board.length} channels open as of ${formatDate(asOf)}.`;
    // One screen: every channel that is open, agreed, suspended or cancelled in full; the dormant ones
    // on one line, each with the month it went quiet (in full: /channels <name>).
    const dormant = board.filter((s) => s.state === 'dormant');
    const quiet = dormant.map((s) => {
      const since = s.silentSince ?? (s.since ? dayRange(s.since.date).start : undefined);
      return `${s.mechanism.shortName ?? s.mechanism.name}${since ? ` (since ${formatDate(since.slice(0, 7))})` : ''}`;
    });
    const note = coverageNote(catalog, undefined, asOf);
    return {
      tone: 'answer',
      title: `Dialogue channels · ${formatDate(asOf)}`,
      blocks: [
        ...future,
        { type: 'text', text: summary },
        ...(note ? [{ type: 'text' as const, text: note }] : []),
        { type: 'list', items: board.filter((s) => s.state !== 'dormant').map(channelLine) },
        ...(quiet.length > 0
          ? [{ type: 'text' as const, text: `Dormant (${quiet.length}): ${quiet.join(' · ')}` }]
          : []),
        { type: 'text', text: 'One channel in full: /channels <name>' },
      ],
      ...capSources(
        changeSources(
          catalog,
          board.flatMap((s) => [s.since, s.change].filter((c) => c !== undefined)),
        ),
        "each channel's are in its history, /channels <name>",
      ),
      footer: asOfFooter(catalog, asOf),
      fallbackText: summary,
    };
  },
});

/** The sources behind history entries: their own, and those of the events they point to. */
function changeSources(catalog: Catalog, changes: readonly MechanismChange[]): SourceRef[] {
  const events = changes.flatMap((c) => (c.event ? [catalog.byId.get(c.event)] : [])).filter((e) => e !== undefined);
  return uniqueByUrl([...changes.flatMap((c) => c.sources), ...sourcesOf(events)]);
}

function uniqueByUrl(sources: SourceRef[]): SourceRef[] {
  return sources.filter((s, i, all) => all.findIndex((t) => t.url === s.url) === i);
}
