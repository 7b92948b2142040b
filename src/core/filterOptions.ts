// The filter options shared by commands (level, person, side, mechanism, format, topic, kind, before).
import type { Catalog } from './catalog.js';
import type { Choice, OptionSpec, Options } from './command.js';
import { type Day, dayRange, formatDate, shiftDays } from './dates.js';
import { UserError } from './errors.js';
import { type Filter, type FilterInput, resolveFilter, resolveMechanism } from './filter.js';
import { resolvePerson } from './people.js';
import { FORMATS, type Format, KINDS, type Side } from './vocabulary.js';

/** Levels with the other words people use for them. */
export const LEVEL_CHOICES: readonly Choice[] = [
  { value: 'leaders', aliases: ['leader', 'president', 'presidents', 'head-of-state'] },
  { value: 'minister', aliases: ['ministers', 'defense-minister', 'secdef', 'defense-secretary'] },
  { value: 'chief-of-defense', aliases: ['chod', 'cjcs', 'chiefs', 'chief-of-staff', 'joint-staff'] },
  { value: 'theater-commander', aliases: ['theater', 'theatre-commander', 'commander'] },
  { value: 'senior-official', aliases: ['senior', 'official', 'officials'] },
  { value: 'working-level', aliases: ['working'] },
];

const option = (spec: OptionSpec): OptionSpec => spec;

/** One definition per filter option, shared by every command that filters events. */
export const FILTER = {
  level: option({
    name: 'level',
    description: 'Level of contact, e.g. minister',
    type: 'string',
    choices: LEVEL_CHOICES,
    anyOf: true,
  }),
  person: option({
    name: 'person',
    description: 'A person by name (English or Chinese) or title, e.g. "Dong Jun"',
    type: 'string',
    completion: 'person',
  }),
  side: option({
    name: 'side',
    description: 'Only events with an official readout from this side',
    type: 'string',
    choices: [
      { value: 'US', aliases: ['us', 'usa', 'american'] },
      { value: 'PRC', aliases: ['china', 'chinese', 'beijing'] },
    ],
  }),
  mechanism: option({
    name: 'mechanism',
    description: 'A dialogue mechanism, e.g. MMCA (several: MMCA,DPCT)',
    type: 'string',
    completion: 'mechanism',
    anyOf: true,
  }),
  format: option({
    name: 'format',
    description: 'How they met',
    type: 'string',
    choices: FORMATS.map((f) => ({ value: f })),
  }),
  topic: option({
    name: 'topic',
    description: 'A topic, e.g. taiwan (several: taiwan,nuclear)',
    type: 'string',
    completion: 'topic',
    anyOf: true,
  }),
  kind: option({
    name: 'kind',
    description: 'Kind of event, e.g. call or request-refused',
    type: 'string',
    choices: KINDS.map((k) => ({ value: k })),
    anyOf: true,
  }),
  before: option({
    name: 'before',
    description: 'Answer as of a past date: only events before it (YYYY-MM-DD)',
    type: 'date',
  }),
} as const;

/** The filter options in the order commands list them. */
export const FILTER_OPTIONS: readonly OptionSpec[] = Object.values(FILTER);

/** Resolves the filter options a command received. */
export function filterFrom(catalog: Catalog, options: Options): Filter {
  try {
    return resolveOptions(catalog, options);
  } catch (error) {
    // Bare words are read as a topic; when they are not one but are a level, kind, mechanism or
    // person, say which option was meant.
    const meant =
      error instanceof UserError && error.code === 'unknown-topic'
        ? otherMeaning(catalog, String(options.topic))
        : undefined;
    if (meant) {
      throw new UserError(
        'unknown-topic',
        `"${options.topic}" is not a topic, but it is a ${meant.what}: write ${meant.example}.`,
        meant.example,
      );
    }
    throw error;
  }
}

/** What a word that is not a topic could mean instead, as an option to write. */
export function otherMeaning(catalog: Catalog, word: string): { what: string; example: string } | undefined {
  const key = word.toLowerCase().replace(/[\s_]+/g, '-');
  const level = LEVEL_CHOICES.find((c) => c.value === key || c.aliases?.includes(key));
  if (level) return { what: 'level', example: `level:${level.value}` };
  if ((KINDS as readonly string[]).includes(key)) return { what: 'kind of event', example: `kind:${key}` };
  for (const [what, resolve, write] of [
    ['mechanism', () => resolveMechanism(catalog, word).id, (v: string) => `mechanism:${v}`],
    [
      'person',
      () => {
        const [match] = resolvePerson(catalog, word);
        const person = match ? catalog.people.get(match.personId) : undefined;
        if (!person || person.name !== match?.via) throw new Error('not a name');
        return person.name;
      },
      (v: string) => `person:"${v}"`,
    ],
  ] as const) {
    try {
      return { what, example: write(resolve()) };
    } catch {
      // not this either
    }
  }
  return undefined;
}

function resolveOptions(catalog: Catalog, options: Options): Filter {
  const input: FilterInput = {
    ...(options.level ? { level: options.level as string } : {}),
    ...(options.person ? { person: options.person as string } : {}),
    ...(options.side ? { side: options.side as Side } : {}),
    ...(options.mechanism ? { mechanism: options.mechanism as string } : {}),
    ...(options.format ? { format: options.format as Format } : {}),
    ...(options.topic ? { topic: options.topic as string } : {}),
    ...(options.kind ? { kind: options.kind as string } : {}),
  };
  return resolveFilter(catalog, input);
}

/** The last day an answer may look at, and the day "days ago" counts to, given `before:` and today. */
export function asOf(options: Options, now: Day): { asOf: Day; reference: Day; before?: Day } {
  if (typeof options.before !== 'string') return { asOf: now, reference: now };
  const before = dayRange(options.before).start;
  if (before > now) return { asOf: now, reference: now };
  return { asOf: shiftDays(before, -1), reference: before, before };
}

/**
 * The first day of a /timeline range (its `since:`, else the start of the record), or a UserError when it
 * comes after the range's end; `command` names the command in the example ("/timeline", "/export").
 */
export function rangeStart(options: Options, end: Day, command: string): Day {
  const from = typeof options.since === 'string' ? dayRange(options.since).start : '0000-01-01';
  if (from > end) {
    throw new UserError(
      'bad-value',
      `since: ${formatDate(from)} is after ${formatDate(end)}; the range must start before it ends.`,
      `${command} since:2024-01-01`,
    );
  }
  return from;
}
