// What counts as a contact: a held event of a contact kind (a call, a meeting …), not a refusal or plan.
import type { CatalogEvent } from './catalog.js';
import type { Filter } from './filter.js';
import { CONTACT_KINDS, type Kind } from './vocabulary.js';

const CONTACTS = new Set<Kind>(CONTACT_KINDS);

/** A military-to-military (or leaders') contact that took place: held, of a contact kind, on no other track. */
export function isContact(event: CatalogEvent): boolean {
  return event.status === 'held' && CONTACTS.has(event.kind) && event.track === undefined;
}

/**
 * Whether an event counts for "last contact": a contact that took place, or, when a kind is asked
 * for, any event of that kind that has happened (held, refused or cancelled; never only planned).
 */
export function counts(event: CatalogEvent, filter: Filter): boolean {
  if (filter.kinds) return event.status !== 'scheduled' && event.status !== 'proposed';
  return isContact(event);
}
