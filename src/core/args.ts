// The one argument parser: a text line (`level:minister person:"Dong Jun" taiwan`) or platform-typed
// values become the same typed options, or a UserError saying what was wrong and showing a right way.
import type { Command, OptionSpec, Options, OptionValue } from './command.js';
import type { Period } from './dates.js';
import { UserError } from './errors.js';
import { closest, joinOr } from './text.js';
import { isLooseDate } from './vocabulary.js';

/** One piece of a command line: `name:value`, `-name:value` or a bare word. */
export interface Token {
  name?: string;
  value: string;
  negated: boolean;
  raw: string;
}

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '”': '”', "'": "'", '‘': '’' };

/** Splits a line into tokens, honouring straight and curly quotes. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i] as string)) i++;
    if (i >= line.length) break;
    const begin = i;
    let negated = false;
    let name: string | undefined;
    const head = /^(-?)([A-Za-z][A-Za-z0-9_-]*):/.exec(line.slice(i));
    if (head) {
      negated = head[1] === '-';
      name = (head[2] as string).toLowerCase();
      i += head[0].length;
    }
    let value = '';
    const open = line[i] as string;
    const close = QUOTES[open];
    if (close !== undefined) {
      const end = line.indexOf(close, i + 1);
      if (end === -1) {
        throw new UserError('unclosed-quote', `A quote is not closed in: ${line.slice(begin)}`);
      }
      value = line.slice(i + 1, end);
      i = end + 1;
    } else {
      while (i < line.length && !/\s/.test(line[i] as string)) value += line[i++];
    }
    tokens.push({ ...(name !== undefined ? { name } : {}), value: value.trim(), negated, raw: line.slice(begin, i) });
  }
  return tokens;
}

/** Parses the text after the command name into typed options. */
export function parseLine(command: Command, text: string): Options {
  // A command that takes free text (search words, an id) reads the whole line as that text, so "https://…"
  // or "Xi:" in it are words, not options; only its other options, written at the end ("/search talks
  // page:2"), are taken off first.
  const only =
    command.options.find((o) => o.freeText) ??
    (command.options.length === 1 && command.options[0]?.rest ? command.options[0] : undefined);
  if (only && !text.trimStart().startsWith(`${only.name}:`)) {
    const others = command.options.filter((o) => o !== only).map((o) => o.name);
    const trailing: Record<string, string> = {};
    let words = text.trim();
    for (;;) {
      const last = /(?:^|\s)([a-z][a-z0-9-]*):(\S+)$/.exec(words);
      const name = last?.[1];
      if (!last || !name || !others.includes(name) || trailing[name] !== undefined) break;
      trailing[name] = last[2] as string;
      words = words.slice(0, last.index).trimEnd();
    }
    return coerceOptions(command, { ...(words === '' ? {} : { [only.name]: unquote(words) }), ...trailing });
  }
  const raw: Record<string, string> = {};
  const bare: string[] = [];
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.code, error.message, command.examples[0]);
    throw error;
  }
  for (const token of tokens) {
    if (token.name === undefined) {
      bare.push(token.value);
      continue;
    }
    // "-topic:x" fills the command's exclude-topic option, where it has one.
    const excluding = token.negated ? command.options.find((o) => o.name === `exclude-${token.name}`) : undefined;
    const spec = excluding ?? command.options.find((o) => o.name === token.name);
    if (!spec) throw unknownOption(command, token.name);
    if (token.negated && !excluding) {
      throw new UserError(
        'negated-option',
        `"${token.raw}": /${command.name} cannot exclude values; remove the leading "-".`,
        exampleFor(command, spec),
      );
    }
    if (raw[spec.name] !== undefined) {
      throw new UserError(
        'duplicate-option',
        `"${excluding ? `-${token.name}` : spec.name}" is given twice; give it once.`,
        exampleFor(command, spec),
      );
    }
    raw[spec.name] = token.value;
  }
  // Bare words fill the options marked `rest` in order: one word each, the last takes the remainder.
  const restOptions = command.options.filter((o) => o.rest && raw[o.name] === undefined);
  while (bare.length > 0 && restOptions.length > 1) {
    raw[(restOptions.shift() as OptionSpec).name] = bare.shift() as string;
  }
  if (bare.length > 0) {
    const rest = restOptions[0] ?? command.options.find((o) => o.rest);
    if (!rest) {
      const words = bare.join(' ');
      const names = command.options.map((o) => `${o.name}:`);
      throw new UserError(
        'unexpected-words',
        `/${command.name} does not take bare words ("${words}").${names.length > 0 ? ` Its options are ${joinOr(names)}.` : ' It takes no options.'}`,
        command.examples[0],
      );
    }
    if (raw[rest.name] !== undefined) {
      throw new UserError(
        'duplicate-option',
        `"${rest.name}" is given twice: as ${rest.name}:${raw[rest.name]} and as "${bare.join(' ')}".`,
        exampleFor(command, rest),
      );
    }
    raw[rest.name] = bare.join(' ');
  }
  return coerceOptions(command, raw);
}

/** Checks and converts raw values (text, or values a platform already typed) to the options' types. */
export function coerceOptions(command: Command, raw: Readonly<Record<string, string | number | undefined>>): Options {
  const options: Record<string, OptionValue> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const spec = command.options.find((o) => o.name === name);
    if (!spec) throw unknownOption(command, name);
    options[name] = coerce(command, spec, value);
  }
  const missing = command.options.filter((o) => o.required && options[o.name] === undefined);
  if (missing.length > 0) {
    const first = missing[0] as OptionSpec;
    throw new UserError(
      'missing-option',
      `/${command.name} needs ${first.description.charAt(0).toLowerCase()}${first.description.slice(1)}.`,
      exampleFor(command, first),
    );
  }
  return options;
}

function coerce(command: Command, spec: OptionSpec, value: string | number): OptionValue {
  const text = String(value).trim();
  // "taiwan,nuclear": each value checked on its own, kept as one comma-separated value.
  if (spec.anyOf && text.includes(',')) {
    const parts = text.split(',').map((part) => part.trim());
    if (parts.some((part) => part === '')) {
      throw new UserError(
        'bad-value',
        `${spec.name}: "${text}" has an empty value between commas; write the values with one comma between each.`,
        exampleFor(command, spec),
      );
    }
    return [...new Set(parts.map((part) => String(coerce(command, { ...spec, anyOf: false }, part))))].join(',');
  }
  const bad = (what: string) =>
    new UserError('bad-value', `${spec.name}: "${text}" ${what}`, exampleFor(command, spec));
  if (text === '') throw bad('is empty; give a value after the colon.');
  if (spec.choices) {
    const key = choiceKey(text);
    const choice = spec.choices.find((c) => choiceKey(c.value) === key || c.aliases?.some((a) => choiceKey(a) === key));
    if (choice) return choice.value;
    const near = closest(
      text,
      spec.choices.map((c) => c.value),
    );
    throw bad(
      `is not one of ${joinOr(spec.choices.map((c) => c.value))}.${near.length > 0 ? ` Did you mean ${near[0]}?` : ''}`,
    );
  }
  switch (spec.type) {
    case 'integer': {
      if (!/^-?\d+$/.test(text)) throw bad('is not a whole number.');
      const n = Number(text);
      if (spec.min !== undefined && n < spec.min) throw bad(`is below ${spec.min}.`);
      if (spec.max !== undefined && n > spec.max) throw bad(`is above ${spec.max}.`);
      return n;
    }
    case 'date': {
      if (!isLooseDate(text)) {
        throw bad('is not a date. Write dates as YYYY-MM-DD (or YYYY-MM, YYYY).');
      }
      return text;
    }
    case 'period':
      return parsePeriod(text) ?? throwError(bad('is not a period. Write a number and a unit: 30d, 12w, 6m or 1y.'));
    default:
      return text;
  }
}

/** Writes options back as a command line a person can paste: the inverse of parseLine. */
export function formatLine(command: Command, options: Options): string {
  const parts = [`/${command.name}`];
  // Bare words fill the rest options in order, so one is written bare only while every earlier one is.
  let bare = true;
  for (const spec of command.options) {
    const value = options[spec.name];
    if (spec.rest && value === undefined) bare = false;
    if (value === undefined) continue;
    const text = typeof value === 'object' ? `${value.amount}${value.unit}` : String(value);
    const asBare = spec.rest === true && bare;
    const quoted = needsQuotes(text, asBare) ? quote(text) : text;
    parts.push(asBare ? quoted : `${spec.name}:${quoted}`);
  }
  return parts.join(' ');
}

/** Whether a value must be quoted to be read back as itself: spaces, a leading quote, or (bare) a name: prefix. */
function needsQuotes(text: string, bare: boolean): boolean {
  return /\s/.test(text) || QUOTES[text[0] ?? ''] !== undefined || (bare && /^-?[A-Za-z][A-Za-z0-9_-]*:/.test(text));
}

/** The value in the first pair of quotes whose closing quote it does not contain (else without its " marks). */
function quote(text: string): string {
  for (const [open, close] of [
    ['"', '"'],
    ["'", "'"],
    ['“', '”'],
    ['‘', '’'],
  ] as const) {
    if (!text.includes(close)) return `${open}${text}${close}`;
  }
  return `"${text.replace(/"/g, '')}"`;
}

/** "30d", "12 weeks", "6m", "1y" -> a Period; undefined when it is not one. */
export function parsePeriod(text: string): Period | undefined {
  const m = /^(\d{1,4})\s*(d|days?|w|weeks?|m|months?|y|years?)$/i.exec(text.trim());
  if (!m) return undefined;
  const amount = Number(m[1]);
  if (amount < 1) return undefined;
  const unit = (m[2] as string)[0]?.toLowerCase() as Period['unit'];
  const days = amount * { d: 1, w: 7, m: 31, y: 366 }[unit];
  return days > 366 * 100 ? undefined : { amount, unit };
}

/** A correct example using the option: one of the command's own examples if one uses it. */
export function exampleFor(command: Command, spec: OptionSpec): string {
  const own = command.examples.find((e) => e.includes(`${spec.name}:`) || (spec.rest && e.split(' ').length > 1));
  if (own) return own;
  const sample =
    spec.choices?.[0]?.value ??
    { date: '2024-01-01', period: '90d', integer: String(spec.min ?? 2), string: 'taiwan' }[spec.type];
  return `/${command.name} ${spec.name}:${sample}`;
}

function unknownOption(command: Command, name: string): UserError {
  const names = command.options.map((o) => o.name);
  const near = closest(name, names, 1);
  return new UserError(
    'unknown-option',
    `/${command.name} has no option "${name}".${near.length > 0 ? ` Did you mean ${near[0]}:?` : ''}${
      names.length > 0 ? ` Its options are ${joinOr(names.map((n) => `${n}:`))}.` : ' It takes no options.'
    }`,
    command.examples[0],
  );
}

/** The text inside one pair of surrounding quotes, or the text itself. */
function unquote(text: string): string {
  const close = QUOTES[text[0] ?? ''];
  return close !== undefined && text.length > 1 && text.endsWith(close) ? text.slice(1, -1) : text;
}

function choiceKey(value: string): string {
  return value.toLowerCase().replace(/[\s_]+/g, '-');
}

function throwError(error: Error): never {
  throw error;
}
