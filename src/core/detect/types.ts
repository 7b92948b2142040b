// What candidate detection reads (a feed item) and what it proposes (a draft event with a confidence per field).
import type { Day } from '../dates.js';
import type { Format, Kind, Level, Side } from '../vocabulary.js';

/** One item from a feed, as the watcher hands it over. Nothing here is trusted: it is outside text. */
export interface FeedItem {
  title: string;
  summary?: string;
  /** The article's text, when it could be fetched; only its beginning is read. */
  text?: string;
  /** The day the item was published (the feed's date), the reference for "on Tuesday". */
  published?: Day;
  url: string;
  publisher?: string;
  language?: string;
  /** Whose official readouts the feed carries (feeds.yaml `side`). */
  side?: Side | 'none';
}

/** A participant as the record writes one: a known person by id, or a named party, with the side. */
export interface DraftParticipant {
  person?: string;
  name?: string;
  /** The person's title on the contact's date, from people.yaml. */
  title?: string;
  side: Side;
}

/** The item as a source of the draft, in the record's source shape. */
export interface DraftSource {
  title: string;
  publisher: string;
  date?: Day;
  url: string;
  /** Set when the item is a government's own readout (an official feed's item that reads as one). */
  readout?: Side;
  language?: string;
}

/** The fields a draft pre-fills, each with a confidence. */
export type DraftField = 'date' | 'kind' | 'format' | 'level' | 'participants' | 'mechanisms' | 'topics' | 'readout';

/** A proposed event, filled as far as the text allows. Absent fields were not found. */
export interface Draft {
  /** The contact's day (not the publication's, unless nothing better was found: see confidence.date). */
  date?: Day;
  kind?: Kind;
  format?: Format;
  level?: Level;
  participants: DraftParticipant[];
  mechanisms: string[];
  topics: string[];
  sources: DraftSource[];
  /** 0–1 per field: how sure the text makes each value (0 when the field is empty). */
  confidence: Record<DraftField, number>;
}

/** The verdict on one item, the draft when it is a contact, and the evidence in words. */
export interface Detection {
  verdict: 'contact' | 'not-contact';
  draft?: Draft;
  /** Why, in short phrases: what was found on each side, the contact words, what ruled it out. */
  reasons: string[];
}

/** An item about a contact the record already holds: add its sources to that event. */
export interface RecordMatch {
  suggestion: 'add-source';
  event: string;
  /** The draft's sources the event does not cite yet (empty when it cites them all). */
  sources: DraftSource[];
}
