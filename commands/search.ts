// /search: full-text search over event summaries, people (all names, Chinese too), mechanisms and topics.
import { defineCommand } from '../src/core/command.js';
import { asOfFooter, citeEvents, eventLine } from '../src/core/present.js';
import { type SearchMatch, search } from '../src/core/queries/search.js';
import { plural } from '../src/core/text.js';

/** Hits shown per search. */
export const SEARCH_LIMIT = 10;

const MATCH_NOTES: Record<SearchMatch, string> = {
  date: ' (the events dated then, oldest first)',
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
    const { hits, match } = search(catalog, query, SEARCH_LIMIT, (h) => h.type !== 'event' || h.event.start <= now);
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
    const summary =
      hits.length === 0
        ? `Nothing matches "${query}". Try fewer or other words.`
        : `${plural(hits.length, 'best match', 'best matches')} for "${query}"${MATCH_NOTES[match]}.`;
    return {
      tone: 'answer',
      title: `Search · ${query}`,
      blocks: [{ type: 'text', text: summary }, ...(items.length > 0 ? [{ type: 'list' as const, items }] : [])],
      ...citeEvents(hits.flatMap((h) => (h.type === 'event' ? [h.event] : []))),
      footer: asOfFooter(catalog, now),
      fallbackText: summary,
    };
  },
});
