// Atom export: one entry per event, and one more per correction where the event log has revisions; newest first.
import { Feed } from 'feed';
import { type Catalog, type CatalogEvent, catalogEvent } from '../core/catalog.js';
import { formatSpan } from '../core/dates.js';
import { eventFields, headline, rankedSources } from '../core/present.js';
import { bestSource, clean, eventPage, participantLabels } from './fields.js';
import type { ExportEvent } from './revisions.js';

/**
 * Entry ids are tag URIs (RFC 4151) that name the event and revision and nothing else, so they never change
 * when Hotline moves to another address. The date is fixed: the year the scheme was chosen.
 */
const TAG = 'tag:hotline,2026:';

/** An entry's id: the event's for its first revision (or an unknown one), the revision's after a correction. */
export function atomEntryId(id: string, revision?: number): string {
  return `${TAG}event:${id}${revision !== undefined && revision > 1 ? `:revision:${revision}` : ''}`;
}

/** Text for an element of type "html": everything outside the data is escaped, so it shows as text. */
function html(text: string): string {
  return clean(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Entry {
  event: CatalogEvent;
  revision?: number;
  updated: string;
}

/** The entries of one exported event: each revision the log holds, or the record alone without the log. */
function entriesOf(item: ExportEvent): Entry[] {
  const recorded = `${item.event.recordedAt}T00:00:00Z`;
  if (item.revisions.length === 0) return [{ event: item.event, updated: recorded }];
  return item.revisions.map((r, i) => ({
    // The record exported is the catalog's own; earlier revisions are as the log published them.
    event: i === item.revisions.length - 1 ? item.event : catalogEvent(r.record, item.event.file),
    revision: r.number,
    updated: r.publishedAt ?? recorded,
  }));
}

/** Newest first: by when the entry was published, then by the event's date, then id and revision. */
function newestFirst(a: Entry, b: Entry): number {
  const keys: [string | number, string | number][] = [
    [b.updated, a.updated],
    [b.event.start, a.event.start],
    [b.event.id, a.event.id],
    [b.revision ?? 0, a.revision ?? 0],
  ];
  for (const [x, y] of keys) if (x !== y) return x < y ? -1 : 1;
  return 0;
}

/** The entry's body: the summary, the facts as /event lists them, and every source as a link. */
function content(catalog: Catalog, event: CatalogEvent): string {
  // /event's fields, with each person's Chinese name beside their name.
  const who = participantLabels(catalog, event).join('; ') || 'not named in the sources';
  const facts = eventFields(catalog, event, true).map(
    (f) => `<li>${html(f.label)}: ${html(f.label === 'Who' ? who : f.value)}</li>`,
  );
  const sources = rankedSources(event).map(
    (s) =>
      `<li>${s.readout ? `${s.readout} readout: ` : ''}<a href="${html(s.url)}">${html(s.title)}</a> — ${html(s.publisher)}</li>`,
  );
  return `<p>${html(event.summary)}</p><ul>${facts.join('')}</ul><p>Sources:</p><ul>${sources.join('')}</ul>`;
}

/** What the feed is called and what it is built from; `generated` dates an empty feed. */
export interface AtomOptions {
  /** The selection in words, for the feed title ("minister level · Taiwan"). */
  scope: readonly string[];
  /** The filter words, canonical, for a feed id that differs per selection. */
  filter: string;
  generated: string;
  /** The configured public base URL: links go to event pages there instead of to each event's best source. */
  publicUrl?: string;
  /** Where this feed itself is served, for its rel="self" link; omitted when not known (stdout). */
  selfUrl?: string;
}

/** The export as an Atom 1.0 feed. */
export function toAtom(catalog: Catalog, events: readonly ExportEvent[], options: AtomOptions): string {
  const entries = events.flatMap(entriesOf).sort(newestFirst);
  const feed = new Feed({
    id: `${TAG}export${options.filter ? `?${encodeURIComponent(options.filter)}` : ''}`,
    title: `Hotline: US–China military contacts${options.scope.length > 0 ? ` · ${options.scope.join(' · ')}` : ''}`,
    // The newest entry's time, not the clock: the same record gives the same feed.
    updated: new Date(entries[0]?.updated ?? options.generated),
    generator: 'Hotline',
    author: { name: 'Hotline' },
    ...(options.publicUrl ? { link: options.publicUrl } : {}),
    ...(options.selfUrl ? { feedLinks: { atom: options.selfUrl } } : {}),
  });
  for (const { event, revision, updated } of entries) {
    const when = formatSpan(event.date, event.endDate);
    const corrected = revision !== undefined && revision > 1 ? `Corrected (revision ${revision}): ` : '';
    feed.addItem({
      id: atomEntryId(event.id, revision),
      title: html(`${corrected}${when} · ${headline(catalog, event)}`),
      link: eventPage(options.publicUrl, event.id) ?? bestSource(event).url,
      date: new Date(updated),
      content: content(catalog, event),
      // Terms are the schema's own values and slugs: the library leaves "<" unescaped in attributes.
      category: [event.kind, event.level, ...event.topics].map((term) => ({ term })),
    });
  }
  return `${feed.atom1()}\n`;
}
