// Discord application commands built from commands/, for bulk overwrite, and a check against Discord's rules.
import type { Command, OptionSpec } from '../../core/command.js';

/** Application command type CHAT_INPUT: a slash command. */
export const CHAT_INPUT = 1;

/** Application command option types Hotline uses: STRING and INTEGER. */
export const OPTION_TYPE = { string: 3, integer: 4 } as const;

/** Manage Channels (1 << 4): who may run a command that changes a channel's setup. */
export const MANAGE_CHANNELS = String(1 << 4);

/** Interaction context GUILD (0): commands are offered in servers only, not in DMs with the bot. */
export const GUILD_CONTEXT = 0;

/** Application integration type GUILD_INSTALL (0): Hotline is installed to servers, not to users. */
export const GUILD_INSTALL = 0;

/** One allowed value of an option. */
export interface ApplicationCommandOptionChoice {
  name: string;
  value: string | number;
}

/** One typed option of a slash command. */
export interface ApplicationCommandOption {
  type: (typeof OPTION_TYPE)[keyof typeof OPTION_TYPE];
  name: string;
  description: string;
  required: boolean;
  choices?: ApplicationCommandOptionChoice[];
  autocomplete?: boolean;
  min_value?: number;
  max_value?: number;
}

/** A slash command as Discord's bulk overwrite takes it (PUT /applications/{app}[/guilds/{guild}]/commands). */
export interface ApplicationCommand {
  type: typeof CHAT_INPUT;
  name: string;
  description: string;
  options: ApplicationCommandOption[];
  /** A permission bit set as a decimal string, or null for everyone. */
  default_member_permissions: string | null;
  /** Where the command can be used; only for global commands. */
  contexts?: number[];
  /** Where the app can be installed for the command; only for global commands. */
  integration_types?: number[];
}

/** How an option's value must be written, added to its description when the description does not say. */
const FORMAT_HINT: Partial<Record<OptionSpec['type'], { says: RegExp; hint: string }>> = {
  date: { says: /YYYY/, hint: ' (YYYY-MM-DD)' },
  period: { says: /\d+[dwmy]\b/, hint: ' (e.g. 30d, 12w, 6m, 1y)' },
};

/**
 * The payload for Discord's bulk overwrite, one entry per command, in the order given. Global
 * commands (the default) are limited to servers; guild commands take no contexts.
 */
export function registrationPayload(
  commands: readonly Command[],
  options: { scope?: 'global' | 'guild' } = {},
): ApplicationCommand[] {
  return commands.map((command) => ({
    type: CHAT_INPUT,
    name: command.name,
    description: command.description,
    options: command.options.map(toOption),
    default_member_permissions: command.permission === 'channel-managers' ? MANAGE_CHANNELS : null,
    ...(options.scope === 'guild' ? {} : { contexts: [GUILD_CONTEXT], integration_types: [GUILD_INSTALL] }),
  }));
}

function toOption(spec: OptionSpec): ApplicationCommandOption {
  const type = spec.type === 'integer' ? OPTION_TYPE.integer : OPTION_TYPE.string;
  const format = FORMAT_HINT[spec.type];
  const description =
    format && !format.says.test(spec.description) && spec.description.length + format.hint.length <= 100
      ? `${spec.description}${format.hint}`
      : spec.description;
  const option: ApplicationCommandOption = { type, name: spec.name, description, required: spec.required === true };
  if (spec.choices && spec.choices.length > 0) {
    option.choices = spec.choices.map((c) => ({
      name: c.label ?? c.value,
      value: type === OPTION_TYPE.integer ? Number(c.value) : c.value,
    }));
  } else if (spec.completion) {
    option.autocomplete = true;
  }
  if (type === OPTION_TYPE.integer) {
    if (spec.min !== undefined) option.min_value = spec.min;
    if (spec.max !== undefined) option.max_value = spec.max;
  }
  return option;
}

// Discord's naming rule for slash commands and options is wider (it also allows ' and Devanagari and
// Thai marks); this subset is what commands/ may use anyway.
const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

/**
 * A command's size as Discord counts it: names, descriptions and choice names and values. Discord's
 * documentation now allows 8,000; 4,000 was its earlier limit, and a payload within it passes both.
 */
export const MAX_COMMAND_CHARS = 4000;

/** Every way the payload breaks Discord's rules, one line each; empty when Discord would accept it. */
export function validatePayload(payload: readonly ApplicationCommand[]): string[] {
  const problems: string[] = [];
  if (payload.length > 100) problems.push(`${payload.length} commands; Discord allows at most 100`);
  const seen = new Set<string>();
  for (const command of payload) {
    const at = `/${command.name}`;
    if (seen.has(command.name)) problems.push(`${at}: the name is used twice`);
    seen.add(command.name);
    if (command.type !== CHAT_INPUT) problems.push(`${at}: type must be ${CHAT_INPUT} (CHAT_INPUT)`);
    problems.push(...checkName(at, command.name), ...checkDescription(at, command.description));
    if (command.default_member_permissions !== null && !/^\d+$/.test(command.default_member_permissions)) {
      problems.push(`${at}: default_member_permissions must be a decimal bit set as a string, or null`);
    }
    if (command.options.length > 25) problems.push(`${at}: ${command.options.length} options; at most 25`);
    const names = new Set<string>();
    let optionalSeen = false;
    let size = command.name.length + command.description.length;
    for (const option of command.options) {
      const where = `${at} option "${option.name}"`;
      problems.push(...checkName(where, option.name), ...checkDescription(where, option.description));
      if (names.has(option.name)) problems.push(`${where}: the name is used twice`);
      names.add(option.name);
      if (option.required && optionalSeen) problems.push(`${where}: required options must come before optional ones`);
      if (!option.required) optionalSeen = true;
      size += option.name.length + option.description.length;
      const choices = option.choices ?? [];
      if (choices.length > 25) problems.push(`${where}: ${choices.length} choices; at most 25`);
      if (option.autocomplete && choices.length > 0) problems.push(`${where}: autocomplete cannot go with choices`);
      for (const choice of choices) {
        const value = String(choice.value);
        size += choice.name.length + value.length;
        if (choice.name.length < 1 || choice.name.length > 100) {
          problems.push(`${where}: choice "${choice.name}" must have a name of 1–100 characters`);
        }
        const fits =
          option.type === OPTION_TYPE.integer
            ? Number.isInteger(choice.value)
            : typeof choice.value === 'string' && value.length <= 100;
        if (!fits) {
          problems.push(`${where}: choice "${choice.name}" has a value that does not fit the option`);
        }
      }
      if ((option.min_value !== undefined || option.max_value !== undefined) && option.type !== OPTION_TYPE.integer) {
        problems.push(`${where}: min_value and max_value are only for numbers`);
      }
      if (option.min_value !== undefined && option.max_value !== undefined && option.min_value > option.max_value) {
        problems.push(`${where}: min_value is above max_value`);
      }
    }
    if (size > MAX_COMMAND_CHARS) problems.push(`${at}: ${size} characters in all; at most ${MAX_COMMAND_CHARS}`);
  }
  return problems;
}

function checkName(where: string, name: string): string[] {
  if (!NAME.test(name)) return [`${where}: name must be 1–32 letters, digits, "-" or "_"`];
  if (name !== name.toLowerCase()) return [`${where}: name must be lowercase`];
  return [];
}

function checkDescription(where: string, description: string): string[] {
  return description.length < 1 || description.length > 100 ? [`${where}: description must be 1–100 characters`] : [];
}
