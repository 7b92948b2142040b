// /search: full-text search over event summaries, people (all names, Chinese too), mechanisms and topics.
import { defineCommand } from '../src/core/command.js';
import { asOfFooter, eventLine, sourcesOf } from '../src/core/present.js';
import { search } from '../src/core/queries/search.js';
import { plural } from '../src/core/text.js';

/** Hits shown per search. */
export const SEARCH_LIMIT = 10;

export default defineCommand({
  name: 'search',
  description: 'Search events, people (English or Chinese names), mechanisms and topics',
  options: [
    {
      name: 'query',
      description: 'Words to look for, e.g. hotline or 董军',
      type: 'string',
      required: true,
      rest: true,
    },
  ],
  examples: ['/search hotline', '/search 董军', '/search Shangri-La'],
  visibility: 'private',
  permission: 'anyone',
  run({ catalog, options, now }) {
    const query = String(options.query);
    const hits = search(catalog, query, SEARCH_LIMIT);
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
        : `${plural(hits.length, 'best match', 'best matches')} for "${query}".`;
    return {
      tone: 'answer',
      title: `Search · ${query}`,
      blocks: [{ type: 'text', text: summary }, ...(items.length > 0 ? [{ type: 'list' as const, items }] : [])],
      sources: sourcesOf(hits.flatMap((h) => (h.type === 'event' ? [h.event] : []))),
      footer: asOfFooter(now),
      fallbackText: summary,
    };
  },
});
