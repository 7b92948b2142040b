// The notice a subscription posts for a new event, or for a corrected one. Pure.
import { fullRecordAction, runAction } from './actions.js';
import type { Catalog, CatalogEvent } from './catalog.js';
import { formatSpan } from './dates.js';
import { citeEvent, eventFields, fieldWords, fullRecordPointer, headline, uncertaintyText } from './present.js';
import type { Action, Block, Reply } from './reply.js';
import type { Subscription } from './subscription.js';

/** What the notice is: the first of this event in the channel, or a correction of an earlier one. */
export type NoticeKind = { kind: 'new' } | { kind: 'corrected'; changed: readonly string[] };

/** Subscriptions that get their own Pause and Unsubscribe buttons on a notice (with Full record, five buttons). */
const MAX_SUBSCRIPTION_BUTTONS = 2;

/** "Pause #3" and "Unsubscribe #3": the channel's managers stop a subscription from the notice it sent. */
function subscriptionActions(sub: Pick<Subscription, 'id'>): Action[] {
  return [
    runAction(`Pause #${sub.id}`, `/subscribe pause ${sub.id}`),
    runAction(`Unsubscribe #${sub.id}`, `/unsubscribe ${sub.id}`),
  ];
}

/** The top-level fields whose content differs between two revisions of an event, in words. */
export function changedFields(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (name) => name !== 'recordedAt' && JSON.stringify(a[name]) !== JSON.stringify(b[name]),
  );
  return names.map(fieldWords);
}

/**
 * The notice posted into a subscribed channel: one per event (or correction) and channel, naming every
 * subscription of the channel that matched it. With `publicUrl` (PUBLIC_URL), it says where the event's page
 * is, as /lastcontact does ("Full record: /event <id> or <url>"), and its citations point there.
 */
export function noticeReply(
  catalog: Catalog,
  event: CatalogEvent,
  subs: readonly Pick<Subscription, 'id' | 'kind'>[],
  notice: NoticeKind,
  { publicUrl }: { publicUrl?: string | undefined } = {},
): Reply {
  const head = headline(catalog, event);
  const title =
    notice.kind === 'corrected'
      ? `Corrected: ${head}`
      : subs.length > 0 && subs.every((s) => s.kind === 'channels')
        ? `Dialogue channel change: ${head}`
        : `New: ${head}`;
  const numbers = subs.map((s) => `#${s.id}`);
  const which =
    numbers.length === 1
      ? `Subscription ${numbers[0]}`
      : `Subscriptions ${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
  const uncertain = uncertaintyText(event);
  const blocks: Block[] = [
    ...(notice.kind === 'corrected'
      ? [
          {
            type: 'text' as const,
            text: `This corrects the notice posted earlier for this event.${notice.changed.length > 0 ? ` What changed: ${notice.changed.join(', ')}.` : ''}`,
          },
        ]
      : []),
    { type: 'text', text: formatSpan(event.date, event.endDate) },
    { type: 'fields', fields: eventFields(catalog, event, event.status !== 'held') },
    { type: 'text', text: event.summary },
    ...(uncertain ? [{ type: 'text' as const, text: uncertain }] : []),
    // Without a public URL the footer's "/event <id>" says it already.
    ...(publicUrl ? [{ type: 'text' as const, text: `Full record: ${fullRecordPointer(event.id, publicUrl)}` }] : []),
  ];
  return {
    tone: 'answer',
    title,
    blocks,
    ...citeEvent(event, publicUrl),
    footer: `${which} · /event ${event.id} · /subscribe list`,
    fallbackText: `${title} (${formatSpan(event.date, event.endDate)})`,
    actions: [fullRecordAction(event.id), ...subs.slice(0, MAX_SUBSCRIPTION_BUTTONS).flatMap(subscriptionActions)],
  };
}
