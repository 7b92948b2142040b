// Builds a Catalog from data files: parses the YAML, validates every record against the schema, checks
// references across files, and indexes the result (src/core/catalog.ts).
import { CORE_SCHEMA, type EventType, load, type State, YAMLException } from 'js-yaml';
import { z } from 'zod';
import { type BuildResult, type Catalog, type DataFile, indexCatalog } from './catalog.js';
import { copyOnlyWarnings, levelWarnings, likelyDuplicates, titleErrors, undatedWarnings } from './consistency.js';
import { dayRange } from './dates.js';
import type { DataError } from './errors.js';
import {
  type Coverage,
  CoverageSchema,
  EventFileSchema,
  type EventRecord,
  type Mechanism,
  MechanismsFileSchema,
  PeopleFileSchema,
  type Person,
  type Topic,
  TopicsFileSchema,
} from './schema.js';
import { isReservedExample, sourceClass } from './sourceQuality.js';

/** The data files every catalog needs besides events/YYYY.yaml. */
export const REQUIRED_FILES = ['people.yaml', 'mechanisms.yaml', 'topics.yaml', 'coverage.yaml'] as const;

/** The optional file of sources the feed watcher polls; not part of the record (src/core/feeds.ts checks it). */
export const FEEDS_FILE = 'feeds.yaml';

/**
 * Parses and validates every file, checks references across them, and builds the indices.
 * Files may be produced lazily (each is parsed, then let go), so peak memory stays near one file's.
 */
export function buildCatalog(files: Iterable<DataFile>): BuildResult {
  const errors: DataError[] = [];
  let events: (EventRecord & { file: string })[] = [];
  const ingested = new Set<string>();
  let people: Person[] = [];
  let mechanisms: Mechanism[] = [];
  let topics: Topic[] = [];
  let coverage: Coverage | undefined;

  const seen = new Set<string>();
  // Files that could not be read and ids of records already reported as invalid: references to
  // them are not reported again, so one mistake gives one error, not one per use.
  const damaged = new Set<string>();
  const invalidEvents: { file: string; record: unknown }[] = [];
  for (const file of files) {
    seen.add(file.path);
    if (file.role === 'ingest') ingested.add(file.path);
    const yearMatch = file.role === 'ingest' ? null : /^events\/(\d{4})\.yaml$/.exec(file.path);
    if (yearMatch || file.role === 'ingest') {
      const invalid: unknown[] = [];
      const parsed = parseFile(file, EventFileSchema, errors, damaged, invalid);
      for (const record of invalid) invalidEvents.push({ file: file.path, record });
      for (const event of parsed) {
        if (yearMatch && event.date.slice(0, 4) !== yearMatch[1]) {
          errors.push({
            file: file.path,
            id: event.id,
            field: 'date',
            reason: `${event.date} is not in ${yearMatch[1]}; move the event to events/${event.date.slice(0, 4)}.yaml`,
          });
        }
        events.push({ ...event, file: file.path });
      }
    } else if (file.path === 'people.yaml') people = parseFile(file, PeopleFileSchema, errors, damaged);
    else if (file.path === 'mechanisms.yaml') mechanisms = parseFile(file, MechanismsFileSchema, errors, damaged);
    else if (file.path === 'topics.yaml') topics = parseFile(file, TopicsFileSchema, errors, damaged);
    else if (file.path === 'coverage.yaml')
      coverage = parseFile(file, z.array(CoverageSchema), errors, damaged, undefined, true)[0];
    else if (file.path === FEEDS_FILE)
      continue; // the watcher's sources, not the record: checked by checkFeeds
    else
      errors.push({
        file: file.path,
        reason:
          'unexpected file; data/ holds events/YYYY.yaml, people.yaml, mechanisms.yaml, topics.yaml and coverage.yaml',
      });
  }

  for (const name of REQUIRED_FILES) {
    if (!seen.has(name)) {
      errors.unshift({ file: name, reason: 'file is missing' });
      damaged.add(categoryOf(name));
    }
  }
  const peopleById = uniqueById(people, 'people.yaml', errors);
  const mechanismsById = uniqueById(mechanisms, 'mechanisms.yaml', errors);
  const topicsById = uniqueById(topics, 'topics.yaml', errors);
  const eventsById = new Map<string, EventRecord & { file: string }>();
  let replaced = false;
  for (const event of events) {
    const earlier = eventsById.get(event.id);
    if (earlier && !(ingested.has(event.file) && !ingested.has(earlier.file))) {
      errors.push({ file: event.file, id: event.id, field: 'id', reason: `duplicate id (also in ${earlier.file})` });
    } else {
      replaced ||= earlier !== undefined;
      eventsById.set(event.id, event);
    }
  }
  // An ingested revision takes the place of the data event with its id.
  if (replaced) events = events.filter((event) => eventsById.get(event.id) === event);

  const known = { people: peopleById, mechanisms: mechanismsById, topics: topicsById, damaged };
  for (const event of events) checkEvent(event, known, errors);
  for (const { file, record } of invalidEvents) checkReferences(record, file, known, errors);
  for (const mechanism of mechanisms) checkMechanism(mechanism, eventsById, damaged, errors);

  if (errors.length > 0) return { ok: false, errors };
  const catalog = indexCatalog(events, peopleById, mechanismsById, topicsById, coverage as Coverage);
  const titles = titleErrors(catalog);
  if (titles.length > 0) return { ok: false, errors: titles };
  return {
    ok: true,
    catalog,
    warnings: [
      ...likelyDuplicates(catalog),
      ...levelWarnings(catalog),
      ...copyOnlyWarnings(catalog),
      ...undatedWarnings(catalog),
    ],
  };
}

/**
 * Checks one event record, as written by a person or a program (a draft an editor approves), with the same
 * schema and the same checks as a data file's event: field values, the id's date, readout marks, people,
 * mechanisms and topics known to `catalog`, and titles against the people's positions on the day. `file`
 * names where the record comes from in the errors ("draft #3").
 */
export function checkEventRecord(
  record: unknown,
  catalog: Pick<Catalog, 'people' | 'mechanisms' | 'topics' | 'coverage'>,
  file: string,
): { ok: true; event: EventRecord } | { ok: false; errors: DataError[] } {
  const errors: DataError[] = [];
  const parsed = EventFileSchema.safeParse([record], { error: plainMessage });
  const raw = record && typeof record === 'object' ? (record as { id?: unknown }).id : undefined;
  const id = typeof raw === 'string' ? raw : undefined;
  const known = {
    people: catalog.people,
    mechanisms: catalog.mechanisms,
    topics: catalog.topics,
    damaged: new Set<string>(),
  };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const field = [...issue.path.slice(1), ...(unknownKeys.length > 0 ? [unknownKeys.join(', ')] : [])].join('.');
      errors.push({
        file,
        ...(id ? { id } : {}),
        ...(field === '' ? {} : { field }),
        reason: unknownKeys.length > 0 ? 'unknown field; check its spelling against docs/DATA.md' : issue.message,
      });
    }
    checkReferences(record, file, known, errors);
    return { ok: false, errors };
  }
  const event = parsed.data[0] as EventRecord;
  checkEvent({ ...event, file }, known, errors);
  if (errors.length === 0) {
    const alone = indexCatalog(
      [{ ...event, file }],
      catalog.people,
      catalog.mechanisms,
      catalog.topics,
      catalog.coverage,
    );
    errors.push(...titleErrors(alone));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, event };
}

/** A YAML alias (`*name`) in a data file: refused, so a few bytes can never expand into gigabytes. */
class AliasRefused extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
  ) {
    super('YAML aliases (*name) are not allowed in Hotline data; write the value out in full');
  }
}

/** The parts of js-yaml's parser state a listener reads. */
type YamlState = Pick<State, 'input' | 'position' | 'line' | 'lineStart' | 'result'>;

/** A js-yaml listener that stops at the first alias, naming its line: a node whose first token is `*`. */
function refuseAliases(): (event: EventType, state: YamlState) => void {
  return (event, state) => {
    if (event !== 'open') return;
    const { input } = state;
    let at = state.position;
    let line = state.line;
    let lineStart = state.lineStart;
    for (;;) {
      const c = input[at];
      if (c === ' ' || c === '\t' || c === '\r') at++;
      else if (c === '\n') {
        line++;
        lineStart = ++at;
      } else if (c === '#' && (at === 0 || /\s/.test(input[at - 1] ?? ''))) {
        while (at < input.length && input[at] !== '\n') at++;
      } else break;
    }
    if (input[at] === '*') throw new AliasRefused(line + 1, at - lineStart + 1);
  };
}

/**
 * Whether a parsed value has more than `limit` nodes: the backstop against any expansion the alias check
 * missed. It stops counting at the limit, so it costs at most `limit` steps.
 */
function exceedsNodes(value: unknown, limit: number): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (++count > limit) return true;
    if (node !== null && typeof node === 'object') for (const child of Object.values(node)) stack.push(child);
  }
  return false;
}

/**
 * Parses a data file's YAML (aliases refused) and validates it against `schema`, adding every problem to
 * `errors` named by file, record (its `idKey` field, else its number) and field. Returns the valid records.
 */
export function parseFile<T extends z.ZodType>(
  file: DataFile,
  schema: T,
  errors: DataError[],
  damaged: Set<string>,
  invalid?: unknown[],
  single = false,
  idKey = 'id',
): z.infer<T> {
  let value: unknown;
  try {
    // The core schema keeps unquoted dates as strings and refuses duplicate keys.
    value = load(file.text, { schema: CORE_SCHEMA, filename: file.path, listener: refuseAliases() }) ?? [];
  } catch (error) {
    if (error instanceof AliasRefused) {
      errors.push({ file: file.path, field: `line ${error.line}, column ${error.column}`, reason: error.message });
      damaged.add(categoryOf(file.path, file.role));
      return [] as z.infer<T>;
    }
    if (!(error instanceof YAMLException)) throw error;
    errors.push({
      file: file.path,
      field: `line ${error.mark.line + 1}, column ${error.mark.column + 1}`,
      reason: `not valid YAML: ${error.reason}`,
    });
    damaged.add(categoryOf(file.path, file.role));
    return [] as z.infer<T>;
  }
  // A YAML node takes at least two characters of text, so a file of n characters has fewer than n nodes.
  if (exceedsNodes(value, file.text.length + 10)) {
    errors.push({
      file: file.path,
      reason: 'expands to more values than its text holds; YAML aliases are not allowed',
    });
    damaged.add(categoryOf(file.path, file.role));
    return [] as z.infer<T>;
  }
  // A file of one record (coverage.yaml) is a mapping; it is checked as a list of one.
  if (single && value !== null && typeof value === 'object' && !Array.isArray(value)) value = [value];
  if (!Array.isArray(value) || (single && value.length !== 1)) {
    errors.push({
      file: file.path,
      reason: single
        ? 'must be one record of fields (name: value)'
        : 'must be a list of records, each starting with "- "',
    });
    damaged.add(categoryOf(file.path, file.role));
    return [] as z.infer<T>;
  }
  const result = schema.safeParse(value, { error: plainMessage });
  if (result.success) return result.data;
  const records = value;
  for (const issue of result.error.issues) {
    const [index, ...rest] = issue.path;
    const record = typeof index === 'number' ? records[index] : undefined;
    // An id that is not a string or number (a mapping, a list) names nothing: the record's number is shown.
    const raw = record && typeof record === 'object' && idKey in record ? record[idKey] : undefined;
    const id = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
    if (id !== undefined) damaged.add(`${categoryOf(file.path, file.role)}:${id}`);
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = [...rest, ...(unknownKeys.length > 0 ? [unknownKeys.join(', ')] : [])].join('.');
    errors.push({
      file: file.path,
      id: id ?? (typeof index === 'number' && !single ? `record ${index + 1}` : undefined),
      field: field === '' ? undefined : field,
      reason: unknownKeys.length > 0 ? 'unknown field; check its spelling against docs/DATA.md' : issue.message,
    });
  }
  // Keep the records that are valid on their own so later checks can still run over them; the
  // invalid ones still have their references checked, so one run reports every error.
  return records.flatMap((record) => {
    const one = schema.safeParse([record]);
    if (!one.success) invalid?.push(record);
    return one.success ? (one.data as unknown[]) : [];
  }) as z.infer<T>;
}

/** Plain words for zod's generic messages; the schema's own messages take precedence. */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required';
    return `must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping of fields' : `a ${issue.expected}`}`;
  }
  return undefined;
}

function uniqueById<T extends { id: string }>(
  records: readonly T[],
  file: string,
  errors: DataError[],
): Map<string, T> {
  const map = new Map<string, T>();
  for (const record of records) {
    if (map.has(record.id)) errors.push({ file, id: record.id, field: 'id', reason: 'duplicate id' });
    else map.set(record.id, record);
  }
  return map;
}

/** "event", "people", "mechanisms" or "topics": what a data file holds. */
function categoryOf(path: string, role?: DataFile['role']): string {
  return role === 'ingest' || path.startsWith('events/') ? 'event' : path.replace(/\.ya?ml$/, '');
}

/** Whether a reference to `id` of a category should be reported (not when its record is already in error). */
function reportable(damaged: ReadonlySet<string>, category: string, id: string): boolean {
  return !damaged.has(category) && !damaged.has(`${category}:${id}`);
}

interface Known {
  people: ReadonlyMap<string, Person>;
  mechanisms: ReadonlyMap<string, Mechanism>;
  topics: ReadonlyMap<string, Topic>;
  damaged: ReadonlySet<string>;
}

function checkEvent(event: EventRecord & { file: string }, known: Known, errors: DataError[]): void {
  const at = (field: string, reason: string) => errors.push({ file: event.file, id: event.id, field, reason });
  const expectedPrefix = event.date.length === 7 ? `${event.date}-00` : event.date;
  if (!event.id.startsWith(`${expectedPrefix}-`)) {
    at('id', `must start with the event date ${expectedPrefix} (day 00 when only the month is known)`);
  }
  if (event.date.length === 7 && event.uncertain?.date === undefined) {
    at('date', 'gives only the month; give the day, or say under uncertain.date why no source gives it');
  }
  event.sources.forEach((source, i) => {
    if (source.readout && sourceClass(source) !== 'official' && !isReservedExample(source.url)) {
      at(
        `sources.${i}.readout`,
        `marks a ${source.readout} official readout, but ${new URL(source.url).hostname} is not a government's own site; remove the mark (a copy names the original in publisher), or cite the official page`,
      );
    }
  });
  if (event.dateBeijing !== undefined && event.dateBeijing === event.date) {
    at('dateBeijing', 'is the same as date; give it only when the Beijing date differs');
  }
  if (event.endDate !== undefined && dayRange(event.endDate).end < dayRange(event.date).start) {
    at('endDate', `${event.endDate} is before the date ${event.date}`);
  }
  checkReferences(event, event.file, known, errors);
}

/**
 * Checks that the people, mechanisms and topics a record names exist. Takes the record loosely,
 * so records that failed the schema for another reason are still checked in the same run.
 */
function checkReferences(record: unknown, file: string, known: Known, errors: DataError[]): void {
  if (!record || typeof record !== 'object') return;
  const r = record as { id?: unknown; participants?: unknown; mechanisms?: unknown; topics?: unknown };
  const id = typeof r.id === 'string' ? r.id : undefined;
  const at = (field: string, reason: string) => errors.push({ file, ...(id ? { id } : {}), field, reason });
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  list(r.participants).forEach((p, i) => {
    const person = p && typeof p === 'object' ? (p as { person?: unknown }).person : undefined;
    if (typeof person === 'string' && !known.people.has(person) && reportable(known.damaged, 'people', person)) {
      at(`participants.${i}.person`, `unknown person "${person}"; add it to people.yaml or use "name"`);
    }
  });
  list(r.mechanisms).forEach((m, i) => {
    if (typeof m === 'string' && !known.mechanisms.has(m) && reportable(known.damaged, 'mechanisms', m)) {
      at(`mechanisms.${i}`, `unknown mechanism "${m}"; see mechanisms.yaml`);
    }
  });
  list(r.topics).forEach((t, i) => {
    if (typeof t === 'string' && !known.topics.has(t) && reportable(known.damaged, 'topics', t)) {
      at(`topics.${i}`, `unknown topic "${t}"; see topics.yaml`);
    }
  });
}

function checkMechanism(
  mechanism: Mechanism,
  events: ReadonlyMap<string, EventRecord>,
  damaged: ReadonlySet<string>,
  errors: DataError[],
): void {
  let previous = '';
  mechanism.history.forEach((change, i) => {
    const at = (field: string, reason: string) =>
      errors.push({ file: 'mechanisms.yaml', id: mechanism.id, field: `history.${i}.${field}`, reason });
    if (change.event !== undefined && !events.has(change.event) && reportable(damaged, 'event', change.event)) {
      at('event', `unknown event "${change.event}"`);
    }
    const start = dayRange(change.date).start;
    if (start < previous) at('date', `${change.date} is earlier than the entry before it; keep history oldest first`);
    previous = start;
  });
}
