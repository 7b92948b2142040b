// Errors with stable codes: UserError is for a person to read; DataError describes a bad data file.

/** An error meant for the person who asked: what was wrong and how to say it right. */
export class UserError extends Error {
  /** A stable identifier, e.g. "unknown-option", for tests and adapters. */
  readonly code: string;
  /** A correct way to ask, shown under the message, e.g. "/lastcontact level:minister". */
  readonly example: string | undefined;

  constructor(code: string, message: string, example?: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.example = example;
  }
}

/**
 * The state store (subscriptions, schedules, the event log) did not answer in time or refused. Commands
 * that need it answer so; commands that read only the catalog are never affected.
 */
export class StoreUnavailable extends Error {
  constructor(
    /** What failed, for the log (the store's kind and operation; never a password). */
    readonly detail: string,
  ) {
    super(`the state store is not answering (${detail})`);
    this.name = 'StoreUnavailable';
  }
}

/** What a person is told when the state store is down. */
export const STORE_UNAVAILABLE_ANSWER =
  'The state store is not answering; try again in a minute. Commands that only read the record (/lastcontact, /timeline, /channels, /event) still work.';

/** One problem in a data file: where it is and why it is wrong. */
export interface DataError {
  /** The file, relative to the data directory, e.g. "events/2024.yaml". */
  file: string;
  /** The id of the record, when the record has one. */
  id?: string;
  /** The path to the field inside the record, e.g. "participants.0.side". */
  field?: string;
  /** What is wrong, in words. */
  reason: string;
}

/** "events/2024.yaml: 2024-04-16-x: participants.0.side: must be US or PRC". */
export function formatDataError(error: DataError): string {
  return [error.file, error.id, error.field, error.reason]
    .filter((part) => part !== undefined && part !== '')
    .join(': ');
}

/** What a person sees when answering failed for a reason of ours (a bug, or the platform refusing the reply). */
export const INTERNAL_ERROR = 'Something went wrong on our side while answering; it has been logged.';
