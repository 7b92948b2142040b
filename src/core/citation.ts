// Ready-to-paste citations (Chicago style, notes-and-bibliography web pages) of an event and of its sources.
// The accessed day is passed in: the core never reads the clock.
import type { Catalog, CatalogEvent } from './catalog.js';
import { type Day, formatDate } from './dates.js';
import { headline, rankedSources, whenText } from './present.js';
import type { Source } from './schema.js';

/** What Hotline is called in a citation, as a website is named in Chicago style. */
export const HOTLINE_TITLE = 'Hotline: US–China Military-to-Military Contacts';

/**
 * The event as a Chicago-style web-page citation: who and what (the headline), when, Hotline, the event id
 * and the day it was recorded, the page's URL where there is one, and the day it was accessed:
 * “Video call: Lloyd Austin – Dong Jun, 16 April 2024.” Hotline: …. Event 2024-04-16-…, recorded 24 November
 * 2026. https://…/events/2024-04-16-…. Accessed 2 December 2026.
 */
export function eventCitation(
  catalog: Catalog,
  event: CatalogEvent,
  options: { accessed: Day; url?: string | undefined },
): string {
  return [
    `“${headline(catalog, event)}, ${whenText(event)}.”`,
    `${HOTLINE_TITLE}.`,
    `Event ${event.id}, recorded ${formatDate(event.recordedAt)}.`,
    ...(options.url ? [`${options.url}.`] : []),
    `Accessed ${formatDate(options.accessed)}.`,
  ].join(' ');
}

/**
 * One source as a Chicago-style web-page citation: publisher, “title”, date (when the record has it), URL,
 * accessed day. An official readout says whose: U.S. Department of Defense. “Readout …” (US readout). …
 */
export function sourceCitation(source: Source, accessed: Day): string {
  return [
    `${source.publisher}.`,
    `“${source.title}.”${source.readout ? ` (${source.readout} readout.)` : ''}`,
    ...(source.date ? [`${formatDate(source.date)}.`] : []),
    `${source.url}.`,
    `Accessed ${formatDate(accessed)}.`,
  ].join(' ');
}

/** Every source of an event cited, best first (official readouts first). */
export function sourceCitations(event: CatalogEvent, accessed: Day): string[] {
  return rankedSources(event).map((source) => sourceCitation(source, accessed));
}
