// The shape of a command: name, description, typed options, who sees the answer, and run(ctx) -> Reply.
import type { Catalog } from './catalog.js';
import type { Day, Period } from './dates.js';
import type { DraftDesk } from './drafts.js';
import type { Form, Reply } from './reply.js';
import type { ScheduleBook } from './schedule.js';
import type { SubscriptionBook } from './subscription.js';

/** Where a value can be completed from, as a person types it. */
export type CompletionSource = 'person' | 'mechanism' | 'topic' | 'event' | 'command';

/** An allowed value, with other spellings people use for it. */
export interface Choice {
  value: string;
  label?: string;
  aliases?: readonly string[];
}

/** The types an option value can have. "date" takes YYYY-MM-DD (or YYYY-MM, YYYY); "period" takes 30d, 12w, 6m, 1y. */
export type OptionType = 'string' | 'integer' | 'date' | 'period';

/** One typed option of a command. */
export interface OptionSpec {
  /** 1–32 lowercase letters, digits or hyphens (Discord's rule). */
  name: string;
  /** 1–100 characters. */
  description: string;
  type: OptionType;
  required?: boolean;
  /** The only values allowed (at most 25). */
  choices?: readonly Choice[];
  /** Where values come from, when they come from the data. */
  completion?: CompletionSource;
  /**
   * Bare words on a text line (not name:value) fill this option. With several such options, each
   * takes one word in the order declared and the last takes the rest ("/subscribe pause 2").
   */
  rest?: boolean;
  /**
   * The line is this option's text (search words), colons and all; only the command's other options, written
   * at the end, are read as options. Implied for a command whose one option is `rest`.
   */
  freeText?: boolean;
  /** Several values, comma-separated, any of which may match: "topic:taiwan,nuclear". */
  anyOf?: boolean;
  /** Bounds for integers. */
  min?: number;
  max?: number;
}

/** The value an option of each type parses to. */
export type OptionValue = string | number | Period;

/** Parsed options by name. */
export type Options = Readonly<Record<string, OptionValue | undefined>>;

/** Everything a command may use: neutral things only, no platform and no clock. */
export interface CommandContext {
  options: Options;
  catalog: Catalog;
  /** Today, as the caller sees it. */
  now: Day;
  /** The commands there are (for help). */
  commands: readonly Command[];
  user?: string;
  channel?: string;
  /** The subscriptions of the channel asked in, where the caller keeps state; undefined otherwise. */
  subscriptions?: SubscriptionBook;
  /** The digest schedules of the channel asked in, where the caller keeps state; undefined otherwise. */
  schedules?: ScheduleBook;
  /**
   * Why the bot could not post in the channel asked in (missing permissions), or undefined if it can; given
   * where the platform tells (Discord's app permissions). Commands that set up posting check it first.
   */
  cannotPost?: string;
  /** The web view's public base URL (PUBLIC_URL), where one is configured: answers link events to their pages. */
  publicUrl?: string;
  /** The drafts under review, where the caller keeps state and the asker is an editor; undefined otherwise. */
  drafts?: DraftDesk;
}

/** A command, defined once and used by every adapter. */
export interface Command {
  name: string;
  description: string;
  options: readonly OptionSpec[];
  /** Complete command lines that show how to use it, e.g. "/lastcontact level:minister". */
  examples: readonly string[];
  /** "private": only the asker sees the answer; "channel": posted for everyone. */
  visibility: 'private' | 'channel';
  /**
   * Who may run it: "anyone", or "channel-managers" for commands that change a channel's setup
   * (on Discord, Manage Channels through default_member_permissions; on Slack, see docs/DECISIONS.md), or
   * "editors" for the review of drafts (those who may post in the editors' channel, and the allow-list: each
   * adapter decides per request; see docs/DRAFTS.md).
   */
  permission: 'anyone' | 'channel-managers' | 'editors';
  /**
   * False for a command that never reads the record's events (help): one-shot `hotline ask` then skips
   * reading the event log. Default true.
   */
  readsEvents?: boolean;
  /**
   * True for a command that sets up posts in the channel later (digest schedules): the adapter then finds out
   * whether the bot can post there (CommandContext.cannotPost), which may cost a platform request.
   */
  postsLater?: boolean;
  /** False for a private answer not worth a "Share in channel" button (help). Default true. */
  shareable?: boolean;
  /**
   * The form a "form" button (core/actions.ts) opens before the line runs: `ctx.options` are the line's. A
   * question it cannot ask throws UserError, as run does.
   */
  form?(ctx: CommandContext): Form | Promise<Form>;
  /** Answers from the catalog synchronously, or from state (subscriptions) asynchronously. */
  run(ctx: CommandContext): Reply | Promise<Reply>;
}

/** Declares a command; checks its shape so a bad definition fails at load, naming the command. */
export function defineCommand(command: Command): Command {
  const problems: string[] = [];
  if (!/^[a-z0-9-]{1,32}$/.test(command.name)) problems.push('name must be 1–32 lowercase letters, digits or hyphens');
  if (command.description.length < 1 || command.description.length > 100)
    problems.push('description must be 1–100 characters');
  if (command.options.length > 25) problems.push('at most 25 options');
  if (command.examples.length === 0) problems.push('needs at least one example');
  const names = new Set<string>();
  for (const option of command.options) {
    if (!/^[a-z0-9-]{1,32}$/.test(option.name))
      problems.push(`option "${option.name}": name must be 1–32 lowercase letters, digits or hyphens`);
    if (names.has(option.name)) problems.push(`option "${option.name}" is declared twice`);
    names.add(option.name);
    if (option.description.length < 1 || option.description.length > 100)
      problems.push(`option "${option.name}": description must be 1–100 characters`);
    if (option.choices && option.choices.length > 25) problems.push(`option "${option.name}": at most 25 choices`);
  }
  const required = command.options.map((o) => o.required === true);
  if (required.indexOf(false) !== -1 && required.lastIndexOf(true) > required.indexOf(false)) {
    problems.push('required options must come before optional ones (Discord rule)');
  }
  if (problems.length > 0) throw new Error(`Command "/${command.name}" is badly defined: ${problems.join('; ')}`);
  return command;
}

/**
 * The commands, each answering with `publicUrl` in its context (links to the web view's pages), or the commands
 * themselves without one. A wrapper rather than a field every front end must pass: the adapters stay unchanged.
 */
export function withPublicUrl(commands: readonly Command[], publicUrl: string | undefined): readonly Command[] {
  if (!publicUrl) return commands;
  return commands.map((command) => ({ ...command, run: (ctx) => command.run({ ...ctx, publicUrl }) }));
}
