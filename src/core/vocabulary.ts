// Hotline's vocabulary: the values each field of the data may take, and what makes a date real. Plain
// constants, so answering a question never loads the schema library (zod) that validates the data.

/** Levels of contact, highest first. */
export const LEVELS = [
  'leaders',
  'minister',
  'chief-of-defense',
  'theater-commander',
  'senior-official',
  'working-level',
] as const;
export type Level = (typeof LEVELS)[number];

/** Kinds of event. The first group are contacts; the rest record what happened around contacts. */
export const CONTACT_KINDS = [
  'call',
  'video-call',
  'meeting',
  'talks',
  'visit',
  'exercise',
  'port-call',
  'agreement',
] as const;
export const KINDS = [
  ...CONTACT_KINDS,
  'request-refused',
  'cancellation',
  'suspension',
  'resumption',
  'statement',
  'personnel',
  'incident',
  'other',
] as const;
export type Kind = (typeof KINDS)[number];

/** Whether the event took place. */
export const STATUSES = ['held', 'scheduled', 'proposed', 'refused', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

/** How the parties met. Omitted when sources do not say. */
export const FORMATS = ['in-person', 'video', 'phone'] as const;
export type Format = (typeof FORMATS)[number];

/**
 * Tracks other than the militaries' and the leaders': such events are recorded and listed, but they
 * are not counted as military-to-military contacts.
 */
export const TRACKS = ['diplomatic', 'congressional'] as const;
export type Track = (typeof TRACKS)[number];

/** The two sides. */
export const SIDES = ['US', 'PRC'] as const;
export type Side = (typeof SIDES)[number];

/** States a dialogue mechanism moves through; see docs/DATA.md for their meaning. */
export const MECHANISM_STATUSES = ['established', 'resumed', 'agreed', 'suspended', 'cancelled', 'dormant'] as const;
export type MechanismStatus = (typeof MECHANISM_STATUSES)[number];

/** Event fields that may be marked uncertain. */
export const UNCERTAIN_FIELDS = [
  'date',
  'endDate',
  'kind',
  'status',
  'format',
  'location',
  'level',
  'mechanisms',
  'participants',
  'topics',
  'summary',
  'emphasis',
] as const;

/** YYYY, YYYY-MM or YYYY-MM-DD. */
export const LOOSE_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
/** YYYY-MM-DD or YYYY-MM. */
export const EVENT_DATE = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;
/** YYYY-MM-DD. */
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether a date's day (if it has one) exists in its month: 2024-02-29 does, 2023-02-29 does not. */
export function isRealDate(value: string): boolean {
  if (value.length < 10) return true;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day >= 1 && day <= days;
}

/** A real day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  return DAY.test(value) && isRealDate(value);
}

/** A real date written YYYY, YYYY-MM or YYYY-MM-DD. */
export function isLooseDate(value: string): boolean {
  return LOOSE_DATE.test(value) && isRealDate(value);
}
