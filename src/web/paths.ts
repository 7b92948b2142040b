// Between command lines and web addresses: "/timeline level:minister page:2" is /timeline?level=minister&page=2,
// "/event <id>" is /events/<id>; a query string is read back into options by the commands' own parser.
import { coerceOptions, parseLine } from '../core/args.js';
import type { Command, Options, OptionValue } from '../core/command.js';
import { MAX_LINE, splitLine } from '../core/dispatch.js';
import { UserError } from '../core/errors.js';
import { formatCount, visibleText } from '../core/text.js';

/** The commands that have a page of their own, answered with the query string as their options. */
export const PAGE_COMMANDS = ['timeline', 'channels'] as const;

/** The path of an event's page. */
export function eventPath(id: string): string {
  return `/events/${encodeURIComponent(id)}`;
}

/** The path of a person's page. */
export function personPath(id: string): string {
  return `/people/${encodeURIComponent(id)}`;
}

function valueText(value: OptionValue): string {
  return typeof value === 'object' ? `${value.amount}${value.unit}` : String(value);
}

/** Options as a query string, in the order the command declares them ("" for none; else starting with "?"). */
export function queryOf(command: Command, options: Options): string {
  const params = new URLSearchParams();
  for (const spec of command.options) {
    const value = options[spec.name];
    if (value !== undefined) params.set(spec.name, valueText(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/**
 * The page that answers a command line, or undefined when no page does (/lastcontact, /search, a line with a
 * placeholder such as "/event <id>", or one the parser refuses).
 */
export function pathOfLine(line: string, commands: readonly Command[]): string | undefined {
  const { name, rest } = splitLine(line);
  if (name === 'event') return /^\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/.test(rest.trim()) ? eventPath(rest.trim()) : undefined;
  const command = commands.find((c) => c.name === name);
  if (!command || !(PAGE_COMMANDS as readonly string[]).includes(name)) return undefined;
  try {
    return `/${name}${queryOf(command, parseLine(command, rest))}`;
  } catch {
    return undefined;
  }
}

/**
 * A query string read as the command's options, by the same parser and with the same errors as a typed line
 * (an unknown name, a bad value). A name given twice is refused rather than one of its values guessed; an empty
 * value is no value (a form's empty box).
 */
export function optionsOfQuery(command: Command, params: URLSearchParams): Options {
  const raw: Record<string, string> = {};
  let length = 0;
  for (const [name, value] of params) {
    // An empty box of a form is sent as "name=": no filter, as if it were left out.
    if (visibleText(value).trim() === '') continue;
    if (name in raw) {
      throw new UserError(
        'bad-value',
        `${name} is given more than once; give it once, with several values separated by commas where it takes several.`,
        command.examples[0],
      );
    }
    // Invisible marks are not part of a question, as for every command (dispatch.ts).
    raw[name] = visibleText(value);
    length += [...raw[name]].length;
  }
  if (length > MAX_LINE) {
    throw new UserError(
      'bad-value',
      `The filters are ${formatCount(length)} characters long; Hotline answers questions of up to ${MAX_LINE} characters.`,
      command.examples[0],
    );
  }
  return coerceOptions(command, raw);
}
