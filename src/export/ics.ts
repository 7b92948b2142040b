// ICS export: one all-day calendar event per Hotline event, with a UID and SEQUENCE that let a subscribed
// calendar update an event in place when the record is corrected, instead of adding a second one.
import ical, { ICalEvent, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import type { Catalog } from '../core/catalog.js';
import { shiftDays } from '../core/dates.js';
import { headline, howText, label, rankedSources, whenText } from '../core/present.js';
import type { Status } from '../core/schema.js';
import { bestSource, clean, eventPage, mechanismLabels, participantLabels, sourceLine, topicLabels } from './fields.js';
import { foldLines } from './fold.js';
import { currentRevision, type ExportEvent } from './revisions.js';

/** An event's UID: its id, which never changes, under Hotline's name. */
export function icsUid(id: string): string {
  return `${id}@hotline`;
}

/** A contact that did not (or not yet) take place is shown as such by calendars. */
const STATUS: Record<Status, ICalEventStatus> = {
  held: ICalEventStatus.CONFIRMED,
  scheduled: ICalEventStatus.TENTATIVE,
  proposed: ICalEventStatus.TENTATIVE,
  refused: ICalEventStatus.CANCELLED,
  cancelled: ICalEventStatus.CANCELLED,
};

/**
 * The export as an iCalendar file (RFC 5545, CRLF line ends, long lines folded by octets). The library writes
 * each event's properties (escaping, dates); its calendar-wide fold encodes every character with a new
 * TextEncoder (~4 ms an event, 400 s for 100,000), so each event is written on its own and folded by
 * `foldLines` (fold.ts), which writes the same bytes. Events are not kept in the calendar object.
 */
export function toIcs(catalog: Catalog, events: readonly ExportEvent[], options: { publicUrl?: string } = {}): string {
  const calendar = ical({ name: 'Hotline: US–China military contacts', prodId: '//Hotline//Export//EN' });
  // The calendar without events: its head, then END:VCALENDAR (short lines: the library's fold costs nothing here).
  const empty = calendar.toString();
  const tail = 'END:VCALENDAR';
  const parts = [empty.slice(0, empty.length - tail.length)];
  for (const item of events) {
    const { event } = item;
    const revision = item.revisions.at(-1);
    // DTSTAMP is when this version of the record was published (or recorded), never the clock: an unchanged
    // event exports byte for byte the same, and a calendar sees nothing to update.
    const stamp = revision?.publishedAt ?? `${event.recordedAt}T00:00:00Z`;
    const description = [
      event.summary,
      '',
      `When: ${whenText(event)}`,
      `Who: ${participantLabels(catalog, event).join('; ') || 'not named in the sources'}`,
      `How: ${howText(event)}`,
      `Level: ${label(event.level)}`,
      ...(event.mechanisms.length > 0 ? [`Channel: ${mechanismLabels(catalog, event).join('; ')}`] : []),
      ...(event.topics.length > 0 ? [`Topics: ${topicLabels(catalog, event).join('; ')}`] : []),
      '',
      'Sources:',
      ...rankedSources(event).map(sourceLine),
      '',
      `Hotline event ${event.id}`,
    ].join('\n');
    const vevent = new ICalEvent(
      {
        id: icsUid(event.id),
        // SEQUENCE starts at 0 (RFC 5545) and the log's revisions at 1. Without the log, every event is 0.
        sequence: (currentRevision(item) ?? 1) - 1,
        stamp,
        allDay: true,
        start: event.start,
        // DTEND of an all-day event is the day after the last one (exclusive).
        end: shiftDays(event.end, 1),
        summary: clean(`${headline(catalog, event)}${event.precision === 'month' ? ' (day not reported)' : ''}`),
        description: clean(description),
        ...(event.location ? { location: clean(event.location) } : {}),
        url: eventPage(options.publicUrl, event.id) ?? bestSource(event).url,
        status: STATUS[event.status],
        // Other people's meetings: never shown as busy time in the subscriber's own calendar.
        transparency: ICalEventTransparency.TRANSPARENT,
        categories: [{ name: label(event.kind) }, { name: label(event.level) }],
      },
      calendar,
    );
    parts.push(foldLines(vevent.toString()));
  }
  // RFC 5545 ends every content line with CRLF, the last one too.
  parts.push(`${tail}\r\n`);
  return parts.join('');
}
