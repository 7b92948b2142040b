// What every export format says of an event, worded once: who (with Chinese names), channels, topics, readouts.
import type { Catalog, CatalogEvent } from '../core/catalog.js';
import { formatDate } from '../core/dates.js';
import { participantName, titleOn } from '../core/people.js';
import { eventUrl, mechanismName, rankedSources } from '../core/present.js';
import type { Side, Source } from '../core/schema.js';
import { visibleText } from '../core/text.js';

/** "Dong Jun 董军 (Minister of National Defense, PRC)": a participant with their Chinese name and title that day. */
export function participantLabels(catalog: Catalog, event: CatalogEvent): string[] {
  return event.participants.map((p) => {
    const chinese = p.person ? catalog.people.get(p.person)?.chineseName : undefined;
    const title = titleOn(catalog, p, event.start);
    const name = `${participantName(catalog, p)}${chinese ? ` ${chinese}` : ''}`;
    return `${name} (${title ? `${title}, ` : ''}${p.side})`;
  });
}

/** The channels an event belongs to, by name: "Military Maritime Consultative Agreement (MMCA)". */
export function mechanismLabels(catalog: Catalog, event: CatalogEvent): string[] {
  return event.mechanisms.map((id) => {
    const mechanism = catalog.mechanisms.get(id);
    return mechanism ? mechanismName(mechanism) : id;
  });
}

/** The topics of an event, by label. */
export function topicLabels(catalog: Catalog, event: CatalogEvent): string[] {
  return event.topics.map((id) => catalog.topics.get(id)?.label ?? id);
}

/** The official readout of one side, best first (rankedSources' order), if the record has one. */
export function readout(event: CatalogEvent, side: Side): Source | undefined {
  return rankedSources(event).find((s) => s.readout === side);
}

/** The one page to link an event to: its best source (an official readout first). */
export function bestSource(event: CatalogEvent): Source {
  return rankedSources(event)[0] as Source; // the schema requires at least one source
}

/**
 * Outside text as an export writes it: without invisible and bidi marks, as every renderer shows it
 * (the schema refuses them in data/; this holds for any record, e.g. one built in a test).
 */
export const clean = visibleText;

/** Every string inside a JSON value passed through `clean`. */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return clean(value) as T;
  if (Array.isArray(value)) return value.map(cleanDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanDeep(v)])) as T;
  }
  return value;
}

/**
 * The page of an event in the web view (`/events/<id>`, issue 16) under the configured public base URL, or
 * undefined without one: exports never guess where Hotline is served.
 */
export const eventPage = eventUrl;

/** "Title — Publisher (16 April 2024): https://…", one source as a line of plain text. */
export function sourceLine(source: Source): string {
  const side = source.readout ? `${source.readout} readout: ` : '';
  const date = source.date ? ` (${formatDate(source.date)})` : '';
  return `${side}${source.title} — ${source.publisher}${date}: ${source.url}`;
}
