// A draft as an event (issue 15): the pre-filled fields with an editor's edits over them, checked by the one
// schema and the data's own checks (checkEventRecord). Pure: no state, no clock.
import { checkEventRecord } from '../core/build.js';
import type { Catalog } from '../core/catalog.js';
import type { Draft, DraftParticipant } from '../core/detect/index.js';
import type { DataError } from '../core/errors.js';
import { titleOn } from '../core/people.js';
import { label } from '../core/present.js';
import type { EventRecord, Participant } from '../core/schema.js';
import type { Side } from '../core/vocabulary.js';

/** The fields an editor may set, in the order the Edit form lists them. */
export const EDITABLE_FIELDS = [
  'id',
  'date',
  'endDate',
  'kind',
  'status',
  'format',
  'level',
  'location',
  'participants',
  'mechanisms',
  'topics',
  'summary',
  'notes',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** An editor's values, over the draft's: text, lists of ids, or participants. An empty text removes the field. */
export type DraftEdits = Partial<Record<EditableField, string | string[] | Participant[]>>;

/** What the conversion reads of a stored draft. */
export interface DraftSource {
  id: number;
  draft: Draft;
  edits?: DraftEdits;
}

/** The event a draft proposes, not yet checked: `recordedAt` is the day it would be published. */
export function eventFromDraft(stored: DraftSource, catalog: Catalog, recordedAt: string): Record<string, unknown> {
  const { draft } = stored;
  const edits = stored.edits ?? {};
  const date = (edits.date as string | undefined) ?? draft.date;
  const participants = (edits.participants as Participant[] | undefined) ?? draft.participants.map(participantOf);
  const kind = (edits.kind as string | undefined) ?? draft.kind;
  const format = 'format' in edits ? (edits.format as string) : draft.format;
  const level = (edits.level as string | undefined) ?? draft.level;
  const record: Record<string, unknown> = {
    id: edits.id ?? defaultId(date, kind, participants, catalog),
    date,
    ...(edits.endDate ? { endDate: edits.endDate } : {}),
    kind,
    status: edits.status ?? 'held',
    ...(format ? { format } : {}),
    ...(edits.location ? { location: edits.location } : {}),
    level,
    mechanisms: edits.mechanisms ?? draft.mechanisms,
    participants,
    topics: edits.topics ?? draft.topics,
    summary: edits.summary ?? defaultSummary(kind, format, participants, catalog, date),
    sources: draft.sources.map((s) => ({ ...s })),
    ...(edits.notes ? { notes: edits.notes } : {}),
    recordedAt,
  };
  // Absent values are left out, so the schema says "is required" rather than "must be a string".
  for (const [key, value] of Object.entries(record)) if (value === undefined || value === '') delete record[key];
  return record;
}

/** The draft's event checked as data/ checks an event: the event, or every problem (file "draft #N"). */
export function checkDraftEvent(
  stored: DraftSource,
  catalog: Catalog,
  recordedAt: string,
): { ok: true; event: EventRecord } | { ok: false; errors: DataError[] } {
  return checkEventRecord(eventFromDraft(stored, catalog, recordedAt), catalog, `draft #${stored.id}`);
}

function participantOf(p: DraftParticipant): Participant {
  return {
    ...(p.person ? { person: p.person } : {}),
    ...(p.name ? { name: p.name } : {}),
    ...(p.title ? { title: p.title } : {}),
    side: p.side,
  };
}

/** "2026-06-02-hegseth-dong-call": the date, the participants' family names (US first) and the kind. */
export function defaultId(
  date: string | undefined,
  kind: string | undefined,
  participants: readonly Participant[],
  catalog: Catalog,
): string | undefined {
  if (!date) return undefined;
  const day = date.length === 7 ? `${date}-00` : date;
  const names = [...participants]
    .sort((a, b) => (a.side === b.side ? 0 : a.side === 'US' ? -1 : 1))
    .map((p) => familyName(p, catalog))
    .filter((n) => n !== '')
    .slice(0, 3);
  const words = [...names, kind ?? 'contact'].join('-');
  return `${day}-${words}`;
}

/** A participant's family name as an id word: the last word of a US name, the first of a Chinese one. */
function familyName(p: Participant, catalog: Catalog): string {
  const name = p.person ? (catalog.people.get(p.person)?.name ?? p.person) : (p.name ?? '');
  const parts = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .split(/[\s-]+/)
    .filter(Boolean);
  return (p.side === 'PRC' ? parts[0] : parts.at(-1)) ?? '';
}

/**
 * "Pete Hegseth (Secretary of Defense) and Dong Jun (Minister of National Defense) held a call by phone.": a
 * neutral sentence made only of the draft's fields, for an editor to replace with the project's summary.
 */
export function defaultSummary(
  kind: string | undefined,
  format: string | undefined,
  participants: readonly Participant[],
  catalog: Catalog,
  date: string | undefined,
): string | undefined {
  if (!kind || participants.length === 0) return undefined;
  const who = participants.map((p) => {
    const name = p.person ? (catalog.people.get(p.person)?.name ?? p.person) : (p.name ?? '');
    const title = date && date.length === 10 ? titleOn(catalog, p, date) : p.title;
    return title ? `${name} (${title})` : name;
  });
  const joined = who.length <= 2 ? who.join(' and ') : `${who.slice(0, -1).join(', ')} and ${who.at(-1)}`;
  const how = format ? ` (${label(format as 'phone')})` : '';
  return `${joined} held a ${label(kind as 'call')}${how}.`;
}

/** Refused edits: the field and the reason, as the schema or the parser gives them. */
export class EditRefused extends Error {
  constructor(readonly errors: readonly { field: string; reason: string }[]) {
    super(errors.map((e) => `${e.field}: ${e.reason}`).join('; '));
  }
}

const LIST_FIELDS: ReadonlySet<EditableField> = new Set(['mechanisms', 'topics']);

/**
 * Reads "field=value" assignments (one per line, or several on a line before each known `field=`) into edits.
 * Lists are comma-separated; participants are "person-id" or "Name:US" / "Name:PRC", comma-separated, with the
 * title taken from people.yaml for the day. Throws EditRefused naming an unknown field or a missing "=".
 */
export function parseEdits(text: string, catalog: Catalog, day: string | undefined): DraftEdits {
  const starts = new RegExp(`\\s+(?=(?:${EDITABLE_FIELDS.join('|')})=)`, 'i');
  const assignments = text
    .split(/\r?\n/)
    .flatMap((line) => line.split(starts))
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const edits: DraftEdits = {};
  const problems: { field: string; reason: string }[] = [];
  if (assignments.length === 0)
    problems.push({ field: 'changes', reason: 'write at least one field=value, e.g. level=minister' });
  for (const assignment of assignments) {
    const at = assignment.indexOf('=');
    const name = (at < 0 ? assignment : assignment.slice(0, at)).trim();
    const field = EDITABLE_FIELDS.find((f) => f.toLowerCase() === name.toLowerCase());
    if (at < 0 || !field) {
      problems.push({
        field: name.slice(0, 40),
        reason:
          at < 0
            ? 'write it as field=value'
            : `is not a field a draft can set; set one of ${EDITABLE_FIELDS.join(', ')}`,
      });
      continue;
    }
    const value = assignment.slice(at + 1).trim();
    if (field === 'participants') {
      const parsed = parseParticipants(value, catalog, (edits.date as string | undefined) ?? day);
      if (typeof parsed === 'string') problems.push({ field, reason: parsed });
      else edits.participants = parsed;
    } else if (LIST_FIELDS.has(field)) {
      edits[field] =
        value === ''
          ? []
          : value
              .split(',')
              .map((v) => v.trim())
              .filter(Boolean);
    } else edits[field] = value;
  }
  if (problems.length > 0) throw new EditRefused(problems);
  return edits;
}

function parseParticipants(value: string, catalog: Catalog, day: string | undefined): Participant[] | string {
  const out: Participant[] = [];
  for (const item of value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)) {
    const named = /^(.*):\s*(US|PRC)$/i.exec(item);
    if (named?.[1] && named[2]) {
      const side = named[2].toUpperCase() as Side;
      const person = catalog.people.get(named[1].trim());
      out.push(person ? { person: person.id, side } : { name: named[1].trim(), side });
      continue;
    }
    const person = catalog.people.get(item);
    if (!person)
      return `"${item}" is not a person id in people.yaml; write a known id (dong-jun) or "Name:US" / "Name:PRC"`;
    const title =
      day && day.length === 10 ? titleOn(catalog, { person: person.id, side: person.side }, day) : undefined;
    out.push({ person: person.id, ...(title ? { title } : {}), side: person.side });
  }
  return out.length > 0 ? out : 'name at least one participant';
}

/** The draft's current values as "field=value" lines, as the Edit form shows them (and parseEdits reads them). */
export function editLines(stored: DraftSource, catalog: Catalog, recordedAt: string): string {
  const record = eventFromDraft(stored, catalog, recordedAt);
  return EDITABLE_FIELDS.filter((f) => record[f] !== undefined)
    .map((f) => {
      const value = record[f];
      if (f === 'participants') {
        return `${f}=${(value as Participant[]).map((p) => p.person ?? `${p.name}:${p.side}`).join(',')}`;
      }
      return `${f}=${Array.isArray(value) ? value.join(',') : String(value)}`;
    })
    .join('\n');
}

/** Only the edits that change a value the draft has now (the form sends every line back). */
export function changedEdits(edits: DraftEdits, stored: DraftSource, catalog: Catalog, recordedAt: string): DraftEdits {
  const current = eventFromDraft(stored, catalog, recordedAt);
  const out: DraftEdits = {};
  for (const [field, value] of Object.entries(edits) as [EditableField, DraftEdits[EditableField]][]) {
    const now = current[field];
    const same =
      field === 'participants'
        ? JSON.stringify((now as Participant[] | undefined)?.map((p) => p.person ?? p.name)) ===
          JSON.stringify((value as Participant[]).map((p) => p.person ?? p.name))
        : JSON.stringify(now ?? '') === JSON.stringify(value ?? '') ||
          (Array.isArray(value) && value.length === 0 && now === undefined);
    if (!same) out[field] = value as never;
  }
  return out;
}
