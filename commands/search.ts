// /search: full-text search over event summaries, people (all names, Chinese too), mechanisms and topics.
import { pageActions } from '../src/core/actions.js';
import { formatLine } from '../src/core/args.js';
import { defineCommand } from '../src/core/command.js';
import { dayRange, formatDate, shiftDays } from '../src/core/dates.js';
import { UserError } from '../src/core/errors.js';
import { asOfFooter, citeEvents, eventLine } from '../src/core/present.js';
import { type SearchMatch, search } from '../src/core/queries/search.js';
import { plural } from '../src/core/text.js';

/** Hits shown per page. */
export const SEARCH_LIMIT = 10;

/** The deepest page: past the hundredth result, a narrower question serves better. */
const MAX_PAGES = 10;

const MATCH_NOTES: Record<SearchMatch, string> = {
  date: ' (the events dated then, oldest first)',
  'no-such-date': '',
  'all-words': '',
  'close-spelling': ' (nothing had these exact words; these are close spellings)',
  'some-words': ' (nothing had every word; these have some of them)',
};

const searchCommand = defineCommand({
  name: 'search',
  description: 'Search events, people (English or Chinese names), mechanisms and topics',
  options: [
    {
      name: 'query',
      description: 'Words to look for (e.g. hotline, 董军, 国防部), or a date (2024-04-16, April 2024)',
      type: 'string',
      required: true,
      rest: true,
      freeText: true,
    },
    { name: 'page', description: 'Page of results, from 1', type: 'integer', min: 1, max: MAX_PAGES },
  ],
  examples: ['/search hotline', '/search 董军', '/search Shangri-La', '/search 2024-04', '/search talks page:2'],
  visibility: 'private',
  permission: 'anyone',
  run({ catalog, options, now }) {
    const query = String(options.query);
    const page = (options.page as number | undefined) ?? 1;
    // Events after today are left out, as everywhere else (they matter when `now` is in the past). One hit
    // past the page says whether there is a next one.
    const result = search(catalog, query, page * SEARCH_LIMIT + 1, (h) => h.type !== 'event' || h.event.start <= now);
    const { match } = result;
    const paged = match !== 'date';
    const hits = paged
      ? result.hits.slice((page - 1) * SEARCH_LIMIT, page * SEARCH_LIMIT)
      : result.hits.slice(0, SEARCH_LIMIT);
    const beyond = paged && result.hits.length > page * SEARCH_LIMIT;
    const hasNext = beyond && page < MAX_PAGES;
    if (paged && page > 1 && hits.length === 0 && result.hits.length > 0) {
      const last = Math.ceil(result.hits.length / SEARCH_LIMIT);
      throw new UserError(
        'bad-value',
        `page: "${query}" has ${plural(result.hits.length, 'match', 'matches')}, ${last === 1 ? 'one page' : `${last} pages`}; page ${page} is past the end.`,
        formatLine(searchCommand, { ...options, page: last === 1 ? undefined : last }),
      );
    }
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
            : page > 1 || hasNext
              ? `Matches ${(page - 1) * SEARCH_LIMIT + 1}–${(page - 1) * SEARCH_LIMIT + hits.length} for "${query}", best first${MATCH_NOTES[match]}.`
              : `${plural(hits.length, 'best match', 'best matches')} for "${query}"${MATCH_NOTES[match]}.`;
    return {
      tone: 'answer',
      title: `Search · ${query}`,
      blocks: [
        { type: 'text', text: summary },
        ...(items.length > 0 ? [{ type: 'list' as const, items: more ? [...items, more] : items }] : []),
        ...(beyond && !hasNext
          ? [
              {
                type: 'text' as const,
                text: `There are more matches past these ${page * SEARCH_LIMIT}: add a word to narrow the search.`,
              },
            ]
          : []),
      ],
      ...citeEvents(hits.flatMap((h) => (h.type === 'event' ? [h.event] : []))),
      footer: asOfFooter(catalog, now),
      fallbackText: summary,
      actions: paged ? pageActions(searchCommand, options, page, hasNext ? page + 1 : page) : [],
    };
  },
});

export default searchCommand;
