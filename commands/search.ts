// /search: full-text search over event summaries, people (all names, Chinese too), mechanisms and topics.
import { defineCommand } from '../src/core/command.js';
import { dayRange, formatDate, shiftDays } from '../src/core/dates.js';
import { asOfFooter, citeEvents, eventLine } from '../src/core/present.js';
import { type SearchMatch, search } from '../src/core/queries/search.js';
import { plural } from '../src/core/text.js';

/** Hits shown per search. */
export const SEARCH_LIMIT = 10;

const MATCH_NOTES: Record<SearchMatch, string> = {
  date: ' (the events dated then, oldest first)',
  'no-such-date': '',
  'all-words': '',
  'close-spelling': ' (nothing had these exact words; these are close spellings)',
  'some-words': ' (nothing had every word; these have some of them)',
};

export default defineCommand({
  name: 'search',
  description: 'Search events, people (English or Chinese names), mechanisms and topics',
  options: [
    {
      name: 'query',
      description: 'Words to look for (e.g. hotline, 董军, 国防部), or a date (2024-04-16, April 2024)',
      type: 'string',
      required: true,
      rest: true,
    },
  ],
  examples: ['/search hotline', '/search 董军', '/search Shangri-La', '/search 2024-04'],
  visibility: 'private',
  permission: 'anyone',
  run({ catalog, options, now }) {
    const query = String(options.query);
    // Events after today are left out, as everywhere else (they matter when `now` is in the past).
    const result = search(catalog, query, SEARCH_LIMIT, (h) => h.type !== 'event' || h.event.start <= now);
    const { hits, match } = result;
    const items = hits.map((h) => {
      switch (h.type) {
        case 'person':
          return `Person: ${h.person.name}${h.person.chineseName ? ` (${h.person.chineseName})` : ''}, ${h.person.side} — /lastcontact person:"${h.person.name}"`;
        case 'mechanism':
          return `Channel: ${h.mechanism.name} — /channels ${h.mechanism.id}`;
        case 'topic':
          return `Topic: ${h.topic.label} — /digest ${h.topic.id}`;
        default:
          return eventLine(catalog, h.event);
      }
    });
    const dated = match === 'date' ? result.dated : undefined;
    // "April 2024" for a whole month, "16 April 2024" for a day.
    const month = dated?.start.slice(0, 7);
    const when =
      dated && month && dated.start === `${month}-01` && dated.end === dayRange(month).end
        ? formatDate(month)
        : dated
          ? formatDate(dated.start)
          : '';
    const more =
      dated && dated.total > hits.length
        ? `…and ${dated.total - hits.length} more: /timeline since:${dated.start} before:${shiftDays(dated.end, 1)} order:oldest`
        : undefined;
    const summary =
      match === 'no-such-date'
        ? `"${query}" is written like a date, but there is no such day or month. Write a date as 2024-04-16 or 16 April 2024, a month as 2024-04 or April 2024.`
        : hits.length === 0
          ? dated
            ? `No event on record is dated ${when}.`
            : `Nothing matches "${query}". Try fewer or other words.`
          : dated
            ? `${plural(dated.total, 'event')} dated ${when}, oldest first.`
            : `${plural(hits.length, 'best match', 'best matches')} for "${query}"${MATCH_NOTES[match]}.`;
    return {
      tone: 'answer',
      title: `Search · ${query}`,
      blocks: [
        { type: 'text', text: summary },
        ...(items.length > 0 ? [{ type: 'list' as const, items: more ? [...items, more] : items }] : []),
      ],
      ...citeEvents(hits.flatMap((h) => (h.type === 'event' ? [h.event] : []))),
      footer: asOfFooter(catalog, now),
      fallbackText: summary,
    };
  },
});
