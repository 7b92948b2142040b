// The event log: publish(event) gives each new event or corrected revision the next sequence number in state.
import { createHash } from 'node:crypto';
import type { Catalog, CatalogEvent } from '../core/catalog.js';
import type { EventRecord } from '../core/schema.js';
import type { JsonValue, State } from '../state/index.js';
import { underLease } from '../state/lease.js';

/*
 * Keys in the `events` namespace:
 *   seq:<n>            LogEntry, written once by setIfAbsent: whoever writes it owns sequence number n.
 *   rev:<id>:<r>       RevisionClaim { hash, seq? }, written once by setIfAbsent: whoever writes it owns revision r.
 *   event:<id>         Latest { id, revision, seq, hash }: where to start looking for the latest revision (a hint).
 *   head               { seq }: where to start looking for the next free sequence number (a hint).
 *   data:<id>          { hash }: the content data/ had when it last published the id (see publishCatalog).
 *   data               { fingerprint }: the catalog's fingerprint when data/ was last published whole.
 * No backend-specific counter is needed: both numbers are claimed with setIfAbsent and a retry on the
 * next number, so concurrent publishers (processes or instances) never share a number and never leave
 * a gap in seq. The hints can lag under races; every read probes forward from them.
 * A revision is claimed (rev:<id>:<r>, content hash only) before its seq, so two publishers of the same
 * content (two instances starting up) log it once: the second waits for the first's seq and reports
 * 'unchanged'. If the first crashed in between, the second completes the revision after CLAIM_WAIT_MS,
 * so it is logged, not lost: it first looks in the log past the claim's `from` for an entry the first
 * wrote before it stopped (a crash between the seq claim and its record), so the revision is never
 * logged twice.
 */

/** A published event: the record as validated by the one schema, without the catalog's derived fields. */
export type PublishedEvent = EventRecord;

/** One entry of the event log. */
export interface LogEntry {
  /** The position in the log, from 1, with no gaps. */
  seq: number;
  /** The event id. */
  id: string;
  /** 1 for the first publication of the id, then one more per corrected revision. */
  revision: number;
  /** The content hash of `event`. */
  hash: string;
  /** When it was published (ISO timestamp). */
  recordedAt: string;
  /** The event as published. */
  event: PublishedEvent;
}

/** What `publish` did. */
export interface PublishResult {
  /** The sequence number of the entry (for 'unchanged', that of the revision already logged). */
  seq: number;
  /** The revision now latest for the id. */
  revision: number;
  /** 'new' first publication, 'revised' changed content of a known id, 'unchanged' same content as the latest. */
  status: 'new' | 'revised' | 'unchanged';
}

interface RevisionClaim {
  hash: string;
  seq?: number;
  /** The log's head when the revision was claimed: its entry, if written, is past this seq. */
  from?: number;
}

interface Latest {
  id: string;
  revision: number;
  seq: number;
  hash: string;
}

const seqKey = (n: number) => `seq:${String(n).padStart(12, '0')}`;
const revKey = (id: string, revision: number) => `rev:${id}:${revision}`;
const asJson = (value: unknown) => value as JsonValue;

/** JSON with object keys sorted at every level, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return canonical(value, undefined);
}

/** canonicalJson, leaving out the top-level keys in `skip`. Strings are built without intermediate arrays. */
function canonical(value: unknown, skip: ReadonlySet<string> | undefined): string {
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + canonical(value[i], undefined);
    return `${text}]`;
  }
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    let text = '{';
    for (const key of Object.keys(object).sort()) {
      const field = object[key];
      if (field === undefined || skip?.has(key)) continue;
      text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonical(field, undefined)}`;
    }
    return `${text}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The content hash of an event (sha256 of its canonical JSON). */
export function contentHash(event: PublishedEvent): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

/** What the catalog adds to a record (start, end, precision, pos, file): left out of its content. */
const DERIVED: ReadonlySet<string> = new Set(['start', 'end', 'precision', 'pos', 'file']);

/** Each catalog event's content hash, once made (a catalog keeps its events, so they are compared often). */
const catalogHashes = new WeakMap<CatalogEvent, string>();

/** The content hash of a catalog event's record: contentHash(recordOf(event)), without copying the event. */
export function catalogHash(event: CatalogEvent): string {
  let hash = catalogHashes.get(event);
  if (hash === undefined) {
    hash = createHash('sha256').update(canonical(event, DERIVED)).digest('hex');
    catalogHashes.set(event, hash);
  }
  return hash;
}

/** The record of a catalog event, without what the catalog derives (start, end, precision, pos, file). */
export function recordOf(event: CatalogEvent): PublishedEvent {
  const { start: _start, end: _end, precision: _precision, pos: _pos, file: _file, ...record } = event;
  return JSON.parse(JSON.stringify(record)) as PublishedEvent;
}

/** The latest claimed revision of `id` (probing forward from the `event:<id>` hint), or undefined. */
async function latestRevision(
  state: State,
  id: string,
): Promise<{ revision: number; claim: RevisionClaim } | undefined> {
  const hint = (await state.events.get(`event:${id}`)) as Latest | undefined;
  let revision = hint?.revision ?? 0;
  let claim: RevisionClaim | undefined = hint ? { hash: hint.hash, seq: hint.seq } : undefined;
  for (;;) {
    const next = (await state.events.get(revKey(id, revision + 1))) as RevisionClaim | undefined;
    if (!next) break;
    revision += 1;
    claim = next;
  }
  return claim ? { revision, claim } : undefined;
}

/**
 * How long a publisher waits for another to log a revision it claimed with the same content, before
 * completing it: twice the state's default operation bound, so a publisher that is merely slow (a slow
 * store) is not taken for a dead one.
 */
const CLAIM_WAIT_MS = 10_000;

/** The seq of a claimed revision once its publisher has logged it, or undefined if it does not within CLAIM_WAIT_MS. */
async function awaitSeq(state: State, id: string, revision: number): Promise<number | undefined> {
  for (let waited = 0; waited < CLAIM_WAIT_MS; waited += 25) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const claim = (await state.events.get(revKey(id, revision))) as RevisionClaim | undefined;
    if (claim?.seq !== undefined) return claim.seq;
  }
  return undefined;
}

/** Claims the next free sequence number for `entry` and returns it. */
async function appendEntry(state: State, entry: Omit<LogEntry, 'seq'>): Promise<number> {
  const head = (await state.events.get('head')) as { seq: number } | undefined;
  let seq = (head?.seq ?? 0) + 1;
  while (!(await state.setIfAbsent('events', seqKey(seq), asJson({ seq, ...entry })))) seq += 1;
  await raiseHead(state, seq);
  return seq;
}

/**
 * Publishes one event: the one way an event enters the log. Content equal to the id's latest revision
 * is 'unchanged' (no new entry); otherwise it becomes the next revision with the next sequence number.
 */
export async function publish(state: State, event: PublishedEvent, recordedAt: string): Promise<PublishResult> {
  const hash = contentHash(event);
  const { id } = event;
  for (;;) {
    const latest = await latestRevision(state, id);
    let revision: number;
    if (latest && latest.claim.hash === hash) {
      const seq = latest.claim.seq ?? (await awaitSeq(state, id, latest.revision));
      if (seq !== undefined) return { seq, revision: latest.revision, status: 'unchanged' };
      // Claimed by a publisher that stopped: if it logged the entry before stopping, record that one.
      const logged = await findEntry(state, id, latest.revision, latest.claim.from ?? 0);
      if (logged !== undefined) {
        await recordSeq(state, id, latest.revision, hash, logged);
        return { seq: logged, revision: latest.revision, status: 'unchanged' };
      }
      revision = latest.revision; // it stopped before logging it: complete it
    } else {
      revision = (latest?.revision ?? 0) + 1;
      const from = ((await state.events.get('head')) as { seq: number } | undefined)?.seq ?? 0;
      if (!(await state.setIfAbsent('events', revKey(id, revision), asJson({ hash, from })))) continue; // lost a race
    }
    // Revisions enter the log in their order: a revision claimed while the one before it is still being logged
    // waits for it (else a concurrent publisher could log revision 3 before 2, and following the log would end on
    // revision 2). A publisher that stopped holds it up for CLAIM_WAIT_MS at most.
    if (revision > 1) {
      const before = (await state.events.get(revKey(id, revision - 1))) as RevisionClaim | undefined;
      if (before !== undefined && before.seq === undefined) await awaitSeq(state, id, revision - 1);
    }
    const seq = await appendEntry(state, { id, revision, hash, recordedAt, event });
    await recordSeq(state, id, revision, hash, seq);
    return { seq, revision, status: revision === 1 ? 'new' : 'revised' };
  }
}

/** Records where a revision was logged: in its claim, and in the id's latest-revision hint. */
async function recordSeq(state: State, id: string, revision: number, hash: string, seq: number): Promise<void> {
  await state.events.set(revKey(id, revision), { hash, seq });
  const hint = (await state.events.get(`event:${id}`)) as Latest | undefined;
  if ((hint?.revision ?? 0) <= revision) await state.events.set(`event:${id}`, { id, revision, seq, hash });
}

/** The seq of the log entry of (id, revision) after `afterSeq`, if one was written. */
async function findEntry(state: State, id: string, revision: number, afterSeq: number): Promise<number | undefined> {
  for (let seq = afterSeq; ; ) {
    const entries = await readLog(state, seq, 500);
    if (entries.length === 0) return undefined;
    const found = entries.find((e) => e.id === id && e.revision === revision);
    if (found) return found.seq;
    seq = (entries.at(-1) as LogEntry).seq;
  }
}

/**
 * Whether a revision of `id` with content `hash` is in the log (its publisher may have stopped after logging it,
 * before recording where): how a decision left half-way is told from one that published nothing.
 */
export async function isLogged(state: State, id: string, hash: string): Promise<boolean> {
  return (await loggedAs(state, id, hash)) !== undefined;
}

/** The revision of `id` with content `hash` in the log, as `publish` reports content already logged, or undefined. */
async function loggedAs(state: State, id: string, hash: string): Promise<PublishResult | undefined> {
  for (let revision = 1; ; revision += 1) {
    const claim = (await state.events.get(revKey(id, revision))) as RevisionClaim | undefined;
    if (!claim) return undefined;
    if (claim.hash !== hash) continue;
    const seq = claim.seq ?? (await findEntry(state, id, revision, claim.from ?? 0));
    if (seq !== undefined) return { seq, revision, status: 'unchanged' };
  }
}

/** The log entry with sequence number `seq`, if there is one. */
export async function logEntry(state: State, seq: number): Promise<LogEntry | undefined> {
  return (await state.events.get(seqKey(seq))) as LogEntry | undefined;
}

/** The log entries with sequence numbers `seqs`, in their order (undefined where there is none), in one round trip. */
export async function logEntries(state: State, seqs: readonly number[]): Promise<(LogEntry | undefined)[]> {
  return (await state.events.getMany(seqs.map(seqKey))) as (LogEntry | undefined)[];
}

/** The log entry of revision `revision` of event `id`, once logged (found in the log if its publisher stopped before recording it). */
export async function revisionEntry(state: State, id: string, revision: number): Promise<LogEntry | undefined> {
  const claim = (await state.events.get(revKey(id, revision))) as RevisionClaim | undefined;
  if (!claim) return undefined;
  // A claim without its seq: being logged now, or logged by a publisher that stopped before recording where.
  const seq = claim.seq ?? (await findEntry(state, id, revision, claim.from ?? 0));
  return seq === undefined ? undefined : logEntry(state, seq);
}

/** The entry of event `id`'s latest logged revision (one claimed but not yet logged is passed over), or undefined. */
export async function latestEntry(state: State, id: string): Promise<LogEntry | undefined> {
  for (let revision = (await latestRevision(state, id))?.revision ?? 0; revision > 0; revision -= 1) {
    const entry = await revisionEntry(state, id, revision);
    if (entry) return entry;
  }
  return undefined;
}

/** The latest logged revision of event `id` (one claimed but not yet logged is passed over), or undefined. */
export async function latestLogged(state: State, id: string): Promise<PublishedEvent | undefined> {
  return (await latestEntry(state, id))?.event;
}

/** Up to `limit` log entries after `afterSeq`, in sequence order. */
export async function readLog(state: State, afterSeq = 0, limit = 100): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  // A round trip per READ_CHUNK entries; a first one of 16, as most reads find only the last few entries.
  for (let seq = afterSeq + 1, chunk = 16; entries.length < limit; chunk = READ_CHUNK) {
    const keys = Array.from({ length: Math.min(chunk, limit - entries.length) }, (_, i) => seqKey(seq + i));
    const read = (await state.events.getMany(keys)) as (LogEntry | undefined)[];
    for (const entry of read) {
      if (!entry) return entries;
      entries.push(entry);
    }
    seq += keys.length;
  }
  return entries;
}

/** Log entries read per round trip. */
const READ_CHUNK = 500;

/** The highest sequence number in the log (0 when empty). */
export async function lastSeq(state: State): Promise<number> {
  const head = (await state.events.get('head')) as { seq: number } | undefined;
  let seq = head?.seq ?? 0;
  while (await state.events.get(seqKey(seq + 1))) seq += 1;
  return seq;
}

/** How many events of a batch were new, revised and unchanged. */
export interface PublishCounts {
  new: number;
  revised: number;
  unchanged: number;
}

/** How many times publishNew tries a batch again after another publisher wrote first, before going event by event. */
const BATCH_TRIES = 3;

/**
 * Publishes events whose ids may be new, many in one write: the first publication of every id the log has not
 * seen is logged at once, its revision claims and log entries written together by setAllIfAbsent (all or
 * nothing, so no claim is left without its entry and no entry without its claim). If another publisher wrote a
 * claim or took a sequence number first, the batch is read again and retried; what is left after BATCH_TRIES,
 * and every id the log already knows, goes through `publish` one by one, under the event's lease. The same
 * outcomes as `publish` for each event in order (the ids must differ), at a store write per 500 new events instead
 * of a dozen operations each: a first start on an empty store. `hashes`, when given, are the events' content
 * hashes. An id in `unlessLogged` whose content is in the log by its turn under the lease is unchanged, whatever
 * was logged after it: data/'s event published meanwhile by another publisher of data/ (`hotline ingest` into an
 * empty store, another instance's first start), which a correction may already have followed.
 */
export async function publishNew(
  state: State,
  events: readonly PublishedEvent[],
  recordedAt: string,
  hashes: readonly string[] = events.map(contentHash),
  unlessLogged: ReadonlySet<string> = new Set(),
): Promise<PublishResult[]> {
  const results: (PublishResult | undefined)[] = events.map(() => undefined);
  for (let tries = 0; tries < BATCH_TRIES; tries++) {
    const waiting = events.flatMap((event, i) =>
      results[i] === undefined ? [{ event, i, hash: hashes[i] as string }] : [],
    );
    // New ids: neither a latest-revision hint nor a claim of revision 1.
    const known = await state.events.getMany(
      waiting.flatMap(({ event }) => [`event:${event.id}`, revKey(event.id, 1)]),
    );
    const fresh = waiting.filter((_, k) => known[2 * k] === undefined && known[2 * k + 1] === undefined);
    if (fresh.length === 0) break;
    const first = (await lastSeq(state)) + 1;
    const writes = fresh.flatMap(({ event, hash }, k): [string, JsonValue][] => {
      const seq = first + k;
      const entry: LogEntry = { seq, id: event.id, revision: 1, hash, recordedAt, event };
      return [
        [revKey(event.id, 1), asJson({ hash, seq } satisfies RevisionClaim)],
        [seqKey(seq), asJson(entry)],
      ];
    });
    if (!(await state.setAllIfAbsent('events', writes))) continue; // another publisher wrote first: read again
    for (const [k, { i }] of fresh.entries()) results[i] = { seq: first + k, revision: 1, status: 'new' };
    // The hints, which may lag: the latest revision of each id, and the log's head.
    await state.events.setMany(
      fresh.map(({ event, hash }, k) => [
        `event:${event.id}`,
        asJson({ id: event.id, revision: 1, seq: first + k, hash } satisfies Latest),
      ]),
    );
    await raiseHead(state, first + fresh.length - 1);
  }
  // Ids the log knows: revisions, each under the event's lease, as a drafts merge publishes one (a merge between
  // reading the event and logging its revision would otherwise log what it read over data/'s change).
  for (const [i, event] of events.entries()) {
    results[i] ??= await underLease(
      state,
      `event:${event.id}`,
      event.id,
      async () =>
        (unlessLogged.has(event.id) ? await loggedAs(state, event.id, hashes[i] as string) : undefined) ??
        publish(state, event, recordedAt),
    );
  }
  return results as PublishResult[];
}

/** Moves the `head` hint up to `seq` (never down). */
async function raiseHead(state: State, seq: number): Promise<void> {
  const now = (await state.events.get('head')) as { seq: number } | undefined;
  if ((now?.seq ?? 0) < seq) await state.events.set('head', { seq });
}

/** `data:<id>` keys read per round trip when publishCatalog compares data/ with what it last published. */
const COMPARE_CHUNK = 500;

/**
 * Publishes the catalog's events at start-up: ids not seen before are new; an event whose content in
 * data/ changed since data/ last published it becomes a revision; the rest are unchanged. An event
 * corrected later through `hotline ingest` keeps its correction until data/ itself changes that event,
 * so restarting with older data/ never reverts it.
 * A catalog with the fingerprint data/ was last published whole with is unchanged as a whole: nothing is
 * read or made per event (at 100,000 events, the bot's start). Otherwise each event's hash is compared with
 * the one data/ last published, 500 a round trip, and the fingerprint is recorded once all are published (and
 * still data/'s when read again).
 * `everyEvent` compares event by event whatever the fingerprint: for a store known to have lost entries.
 */
export async function publishCatalog(
  state: State,
  catalog: Catalog,
  recordedAt: string,
  { everyEvent = false }: { everyEvent?: boolean } = {},
): Promise<PublishCounts> {
  const { fingerprint } = catalog;
  if (fingerprint !== undefined && !everyEvent) {
    const last = (await state.events.get('data')) as { fingerprint?: string } | undefined;
    if (last?.fingerprint === fingerprint) return { new: 0, revised: 0, unchanged: catalog.count };
  }
  const counts: PublishCounts = { new: 0, revised: 0, unchanged: 0 };
  const hashes: string[] = []; // by position, for the check below
  for (let from = 0; from < catalog.count; from += COMPARE_CHUNK) {
    const events: CatalogEvent[] = [];
    for (let pos = from; pos < Math.min(catalog.count, from + COMPARE_CHUNK); pos++) events.push(catalog.event(pos));
    const lasts = await publishedHashes(
      state,
      events.map((event) => event.id),
    );
    // An id data/ never recorded publishing that the log nevertheless has: a start stopped between logging and
    // recording (or an ingest of the id before data/ had it). If the log holds data/'s content, data/ published it:
    // recorded as such, not published again over a correction made since.
    const unrecorded = events.filter((_, i) => lasts[i] === undefined);
    const claimed = await state.events.getMany(unrecorded.map((event) => revKey(event.id, 1)));
    const inLog = new Set(unrecorded.filter((_, k) => claimed[k] !== undefined).map((event) => event.id));
    const changed: PublishedEvent[] = [];
    const changedHashes: string[] = [];
    const published: [string, JsonValue][] = []; // data:<id> once published
    for (const [i, event] of events.entries()) {
      const hash = catalogHash(event);
      hashes.push(hash);
      if (lasts[i] === hash) {
        counts.unchanged += 1;
        continue;
      }
      published.push([`data:${event.id}`, { hash }]);
      if (inLog.has(event.id) && (await isLogged(state, event.id, hash))) {
        counts.unchanged += 1;
        continue;
      }
      changed.push(recordOf(event));
      changedHashes.push(hash);
    }
    // An id data/ had not recorded may be published by another publisher of data/ (and corrected) before its turn.
    const unlessLogged = new Set(unrecorded.map((event) => event.id));
    for (const { status } of await publishNew(state, changed, recordedAt, changedHashes, unlessLogged)) {
      counts[status] += 1;
    }
    await state.events.setMany(published);
  }
  // The fingerprint is recorded only if every event's hash is still this data/'s: another instance starting with
  // other data/ at the same moment (a rolling deploy) may have written its own meanwhile, and this fingerprint
  // would then hide the difference at every later start.
  if (fingerprint !== undefined) {
    const lasts = await publishedHashes(
      state,
      Array.from({ length: catalog.count }, (_, pos) => catalog.id(pos)),
    );
    if (lasts.every((last, pos) => last === hashes[pos])) await state.events.set('data', { fingerprint });
  }
  return counts;
}

/** The hash data/ last published for each of `ids` (`data:<id>`), COMPARE_CHUNK a round trip (none for no ids). */
export async function publishedHashes(state: State, ids: readonly string[]): Promise<(string | undefined)[]> {
  const hashes: (string | undefined)[] = [];
  for (let from = 0; from < ids.length; from += COMPARE_CHUNK) {
    const keys = ids.slice(from, from + COMPARE_CHUNK).map((id) => `data:${id}`);
    for (const last of (await state.events.getMany(keys)) as ({ hash: string } | undefined)[]) hashes.push(last?.hash);
  }
  return hashes;
}
