// /unsubscribe: removes one of this channel's subscriptions, or all of them.
import { defineCommand } from '../src/core/command.js';
import { describeFilters } from '../src/core/subscription.js';
import { bookOf, chosen } from './subscribe.js';

export default defineCommand({
  name: 'unsubscribe',
  description: "Removes one of this channel's subscriptions (its number from /subscribe list), or all",
  options: [
    {
      name: 'id',
      description: 'The number shown by /subscribe list, or all',
      type: 'string',
      required: true,
      rest: true,
    },
  ],
  examples: ['/unsubscribe 1', '/unsubscribe all'],
  visibility: 'channel',
  permission: 'channel-managers',
  async run(ctx) {
    const book = bookOf(ctx);
    const subs = await chosen(book, String(ctx.options.id), 'remove');
    for (const sub of subs) await book.remove(sub.id);
    const text = `Removed ${subs.map((s) => `#${s.id} (${describeFilters(ctx.catalog, s)})`).join(', ')}. No further notices from ${subs.length === 1 ? 'it' : 'them'}; any not yet posted are dropped.`;
    return { tone: 'answer', title: 'Unsubscribed', blocks: [{ type: 'text', text }], sources: [], fallbackText: text };
  },
});
