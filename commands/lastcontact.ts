// /lastcontact: the most recent contact matching a filter, how long ago, the one before, channel state.

import { fullRecordAction } from '../src/core/actions.js';
import { defineCommand } from '../src/core/command.js';
import { formatDate } from '../src/core/dates.js';
import { isEmptyFilter, single } from '../src/core/filter.js';
import { asOf, FILTER, FILTER_OPTIONS, filterFrom } from '../src/core/filterOptions.js';
import {
  agoText,
  asOfFooter,
  channelLine,
  citeEvent,
  coverageNote,
  describeFilter,
  eventFields,
  fullRecordPointer,
  headline,
  label,
  levelPhrase,
  uncertaintyText,
  whenText,
} from '../src/core/present.js';
import { lastContact } from '../src/core/queries/lastContact.js';
import type { Block } from '../src/core/reply.js';
import { plural } from '../src/core/text.js';

export default defineCommand({
  name: 'lastcontact',
  description: 'The most recent US–China military contact matching your filters, with sources',
  options: [{ ...FILTER.topic, rest: true }, ...FILTER_OPTIONS.filter((o) => o.name !== 'topic')],
  examples: [
    '/lastcontact level:minister',
    '/lastcontact person:"Dong Jun"',
    '/lastcontact level:chief-of-defense before:2023-01-01',
    '/lastcontact taiwan level:leaders',
    '/lastcontact kind:request-refused',
  ],
  visibility: 'channel',
  permission: 'anyone',
  run({ catalog, options, now, publicUrl }) {
    const filter = filterFrom(catalog, options);
    const when = asOf(options, now);
    // With kind: the title names what is asked for ("Last request refused"), not a contact.
    const kind = single(filter.kinds);
    const scope = describeFilter(kind ? { ...filter, kinds: undefined } : filter);
    const noun = kind ? (kind === 'other' ? 'other event' : label(kind)) : filter.kinds ? 'event' : 'contact';
    const title = `Last ${noun}${scope.length > 0 ? ` · ${scope.join(' · ')}` : ''}`;
    const found = lastContact(catalog, filter, when.asOf, when.reference);
    const footer = asOfFooter(
      catalog,
      when.before ? `${when.asOf}` : now,
      `${plural(catalog.count, 'event')} on record`,
    );
    if (!found) {
      // The filters applied are named, and the answer without them is one command away.
      const text = `No ${isEmptyFilter(filter) ? noun : `${noun} matching ${describeFilter(filter).join(' · ')}`} is on record${
        when.before ? ` before ${formatDate(when.before)}` : ''
      }.${isEmptyFilter(filter) ? '' : ` Without the filters: /lastcontact${when.before ? ` before:${when.before}` : ''}`}`;
      const note = coverageNote(catalog, '0000-01-01', when.asOf);
      return {
        tone: 'answer',
        title,
        blocks: [
          { type: 'text', text },
          ...(note ? [{ type: 'text' as const, text: note }] : []),
          { type: 'text', text: 'Loosen a filter, or browse with /timeline.' },
        ],
        sources: [],
        footer,
        fallbackText: text,
      };
    }
    const { event, previous, gap, channels } = found;
    const underWay = event.end >= when.reference && event.start < when.reference && !when.before;
    const blocks: Block[] = [
      {
        type: 'text',
        text: `${whenText(event)} — ${underWay ? `under way, began ${agoText(found.ago)}` : agoText(found.ago, when.before)}`,
      },
      { type: 'text', text: event.summary },
      { type: 'fields', fields: eventFields(catalog, event) },
    ];
    const uncertain = uncertaintyText(event);
    if (uncertain) blocks.push({ type: 'text', text: uncertain });
    // The gap from this contact to the day asked about is only as good as the record over that gap.
    const note = coverageNote(catalog, event.start, when.asOf);
    if (note) blocks.push({ type: 'text', text: note });
    blocks.push(
      channels.length > 0
        ? {
            type: 'list',
            heading: `Channel ${when.before ? `as of ${formatDate(when.asOf)}` : 'now'}`,
            items: channels.map(channelLine),
          }
        : {
            type: 'text',
            text: filter.kinds
              ? 'No dialogue channel is on record for this event.'
              : `No dialogue channel is on record for ${levelPhrase(event.level)} contacts.`,
          },
    );
    // The previous contact is at the same level and matches the same filters: say which, and how to drop them.
    const also = describeFilter({ ...filter, levels: undefined, kinds: kind ? undefined : filter.kinds });
    const matching = also.length > 0 ? ` matching ${also.join(' · ')}` : '';
    blocks.push({
      type: 'text',
      text: previous
        ? `Previous ${levelPhrase(event.level)} ${noun}${matching}: ${whenText(previous)} — ${headline(catalog, previous)}, ${agoText(
            gap ?? { min: 0, max: 0 },
          ).replace(' ago', ' earlier')}. /event ${previous.id}`
        : `No earlier ${levelPhrase(event.level)} ${noun}${matching} is on record.`,
    });
    if (also.length > 0) {
      blocks.push({
        type: 'text',
        text: `The ${levelPhrase(event.level)} ${noun} before it, without the other filters: /lastcontact level:${event.level} before:${event.start}`,
      });
    }
    blocks.push({ type: 'text', text: `Full record: ${fullRecordPointer(event.id, publicUrl)}` });
    return {
      tone: 'answer',
      title,
      blocks,
      ...citeEvent(event, publicUrl),
      footer,
      fallbackText: `${headline(catalog, event)} on ${whenText(event)}, ${agoText(found.ago, when.before)}.`,
      actions: [fullRecordAction(event.id)],
    };
  },
});
