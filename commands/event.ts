// /event: one event in full, with both sides' stated emphasis and readouts side by side.

import { type Catalog, lastPosOnOrBefore } from '../src/core/catalog.js';
import { eventCitation, sourceCitations } from '../src/core/citation.js';
import { defineCommand } from '../src/core/command.js';
import { dayRange, formatDate, shiftDays } from '../src/core/dates.js';
import { UserError } from '../src/core/errors.js';
import {
  asOfFooter,
  channelLine,
  eventFields,
  eventUrl,
  headline,
  sourcesOf,
  uncertaintyText,
  whenText,
} from '../src/core/present.js';
import { mechanismState } from '../src/core/queries/channels.js';
import type { Block } from '../src/core/reply.js';
import { closest } from '../src/core/text.js';
import { isLooseDate } from '../src/core/vocabulary.js';

/** At most this many ids are compared with an unknown one for "did you mean" (edit distance is costly). */
const SUGGESTION_POOL = 500;

/**
 * The ids an unknown one is compared with: every id of a small record; in a large one (edit distances to 100,000
 * ids take seconds, and even scanning them all tens of milliseconds), the ids of the month the id names, found by
 * binary search on the start days, or the newest ones for an id without a date.
 */
function candidateIds(catalog: Catalog, id: string): string[] {
  const ids = (from: number, to: number) =>
    Array.from({ length: Math.max(0, to - from) }, (_, i) => catalog.id(from + i)).slice(-SUGGESTION_POOL);
  if (catalog.count <= SUGGESTION_POOL) return ids(0, catalog.count);
  const month = /^\d{4}-\d{2}/.exec(id)?.[0];
  if (!month || !isLooseDate(month)) return ids(catalog.count - SUGGESTION_POOL, catalog.count);
  const { start, end } = dayRange(month);
  const from = lastPosOnOrBefore(catalog, shiftDays(start, -1)) + 1;
  const to = lastPosOnOrBefore(catalog, end) + 1;
  return ids(Math.max(from, to - SUGGESTION_POOL), to);
}

export default defineCommand({
  name: 'event',
  description: 'One event in full: who, when, where, what each side said, and every source',
  options: [
    {
      name: 'id',
      description: 'The event id, e.g. 2024-04-16-austin-dong-video-call',
      type: 'string',
      required: true,
      rest: true,
      completion: 'event',
    },
  ],
  examples: ['/event 2024-04-16-austin-dong-video-call', '/event 2022-08-05-china-countermeasures-pelosi-visit'],
  visibility: 'channel',
  permission: 'anyone',
  run({ catalog, options, now, publicUrl }) {
    const id = String(options.id).trim().toLowerCase();
    const event = catalog.byId.get(id);
    if (!event) {
      const ids = candidateIds(catalog, id);
      const sameDay = /^\d{4}-\d{2}-\d{2}/.test(id) ? ids.filter((i) => i.startsWith(id.slice(0, 10))) : [];
      const suggestions = [...new Set([...sameDay, ...closest(id, ids, 3)])].slice(0, 3);
      throw new UserError(
        'unknown-event',
        `No event has the id "${id}".${suggestions.length > 0 ? ` Did you mean ${suggestions.join(', ')}?` : ''} Find ids with /timeline or /search.`,
        `/event ${suggestions[0] ?? (catalog.count > 0 ? catalog.id(catalog.count - 1) : '')}`,
      );
    }
    const blocks: Block[] = [
      {
        type: 'text',
        text:
          event.start > now
            ? `${whenText(event)} — after ${formatDate(now)}, the day this answer is as of`
            : whenText(event),
      },
      { type: 'text', text: event.summary },
      { type: 'fields', fields: eventFields(catalog, event, true) },
    ];
    const emphasis = event.emphasis ?? {};
    const readouts = (side: 'US' | 'PRC') =>
      event.sources.filter((s) => s.readout === side).map((s) => `${s.publisher}: ${s.title}`);
    if (emphasis.US || emphasis.PRC || readouts('US').length > 0 || readouts('PRC').length > 0) {
      const column = (side: 'US' | 'PRC') =>
        [emphasis[side] ?? 'No stated emphasis on record.', ...readouts(side).map((r) => `Readout: ${r}`)].join('\n');
      blocks.push({
        type: 'columns',
        columns: [
          { label: 'US side', value: column('US') },
          { label: 'PRC side', value: column('PRC') },
        ],
      });
    }
    const uncertain = uncertaintyText(event);
    if (uncertain) blocks.push({ type: 'text', text: uncertain });
    if (event.notes) blocks.push({ type: 'text', text: `Note: ${event.notes}` });
    // A logged event may name a mechanism data/ does not know (yet): no heading over nothing.
    const channels = event.mechanisms.flatMap((m) => {
      const mechanism = catalog.mechanisms.get(m);
      return mechanism ? [channelLine(mechanismState(catalog, mechanism, now))] : [];
    });
    if (channels.length > 0) blocks.push({ type: 'list', heading: 'Channels now', items: channels });
    const page = eventUrl(publicUrl, event.id);
    // Ready to paste into a memo: the event as Hotline records it, then each source it rests on.
    blocks.push({
      type: 'list',
      heading: 'Cite as',
      items: [eventCitation(catalog, event, { accessed: now, url: page }), ...sourceCitations(event, now)],
    });
    return {
      tone: 'answer',
      title: headline(catalog, event),
      blocks,
      sources: sourcesOf([event]),
      footer: asOfFooter(
        catalog,
        now,
        `id ${event.id} · recorded ${formatDate(event.recordedAt)}${page ? ` · full record: ${page}` : ''}`,
      ),
      fallbackText: `${headline(catalog, event)}, ${whenText(event)}: ${event.summary}`,
    };
  },
});
