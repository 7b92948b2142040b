// Builds the Slack app manifest from the command definitions: one slash command each, plus /hotline.
import type { Command, OptionSpec } from '../../core/command.js';

/** Slack's manifest limits (from Slack's manifest reference, as typed in @slack/web-api). */
export const MANIFEST_LIMITS = {
  appName: 35,
  appDescription: 140,
  botDisplayName: 80,
  /** Including the leading slash. */
  commandName: 32,
  commandDescription: 2000,
  usageHint: 1000,
  slashCommands: 50,
} as const;

/** The one slash command that reaches every other: `/hotline lastcontact level:minister`. */
export const ENTRY_POINT = 'hotline';

/**
 * The bot scopes Hotline needs: answer slash commands, post (notices, and DMs about paused subscriptions), read
 * whether a user is an admin (SLACK_ADMINS_ONLY), upload digests' charts (files.uploadV2), and send /export's file
 * to the asker in a direct message.
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'users:read',
  'files:write',
  // Whether Hotline is a member of a channel, before a digest schedule is made there (conversations.info), and
  // who is a member of the editors' channel, at each press on a draft's card (conversations.members).
  'channels:read',
  'groups:read',
  // A direct message with the asker (conversations.open), where /export uploads the file only they see.
  'im:write',
] as const;

/** How the app is reached: Socket Mode, or HTTP at a public https URL (Bolt's is …/slack/events). */
export interface SlackManifestOptions {
  socketMode: boolean;
  /** The full https URL Slack posts slash commands to; required unless socketMode. */
  requestUrl?: string;
  /** The app's name in Slack (1–35 characters); default "Hotline". */
  appName?: string;
  /** Declare only /hotline (every command as /hotline <name>), for workspaces that want one command name. */
  singleCommand?: boolean;
}

/** One entry of features.slash_commands. */
export interface SlackSlashCommand {
  command: string;
  description: string;
  usage_hint?: string;
  should_escape: boolean;
  url?: string;
}

/** The manifest Slack's "Create an app → From a manifest" page accepts (JSON or YAML). */
export interface SlackManifest {
  _metadata: { major_version: number; minor_version: number };
  display_information: { name: string; description: string };
  features: {
    /** The Home tab shows the status board and the latest contacts (refreshed when the record changes). */
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: SlackSlashCommand[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    /** Opening the Home tab is the one event Hotline listens for. */
    event_subscriptions: { request_url?: string; bot_events: string[] };
    /** Buttons under answers (Share in channel, Next page, Full record, Pause). */
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

const DESCRIPTION =
  'Who in the US and Chinese militaries talked to whom, when, and through which channel, with sources.';

/**
 * Slack's own built-in commands: a manifest may not declare them, so Hotline's command of the same
 * name is reached as /hotline <name> (for now only /search).
 */
export const RESERVED: ReadonlySet<string> = new Set([
  'active',
  'apps',
  'archive',
  'away',
  'call',
  'collapse',
  'dm',
  'expand',
  'feed',
  'invite',
  'leave',
  'msg',
  'mute',
  'open',
  'remind',
  'remove',
  'rename',
  'search',
  'shortcuts',
  'shrug',
  'star',
  'status',
  'topic',
  'who',
]);

/** The Slack app manifest for these commands; throws, naming every problem, if Slack would refuse it. */
export function slackManifest(commands: readonly Command[], options: SlackManifestOptions): SlackManifest {
  const problems: string[] = [];
  const appName = (options.appName ?? 'Hotline').trim();
  if (appName.length < 1 || appName.length > MANIFEST_LIMITS.appName) {
    problems.push(`the app name must be 1–${MANIFEST_LIMITS.appName} characters`);
  }
  let url: string | undefined;
  if (options.socketMode && options.requestUrl) problems.push('give Socket Mode or a request URL, not both');
  if (!options.socketMode) {
    url = options.requestUrl?.trim();
    if (!url) problems.push('a request URL is needed unless Socket Mode is on');
    else if (!isHttpsUrl(url)) problems.push(`the request URL must be an https URL, not "${url}"`);
  }
  const entries: SlackSlashCommand[] = [
    ...commands
      .filter((c) => !options.singleCommand && !RESERVED.has(c.name))
      .map((c) => slashCommand(`/${c.name}`, c.description, usageHint(c), url)),
    slashCommand(
      `/${ENTRY_POINT}`,
      `Every Hotline command under one name, for workspaces where a name is taken: /${ENTRY_POINT} lastcontact level:minister`,
      entryPointHint(commands),
      url,
    ),
  ];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.command)) problems.push(`${entry.command} is declared twice`);
    seen.add(entry.command);
    if (!/^\/[a-z0-9_-]+$/.test(entry.command) || entry.command.length > MANIFEST_LIMITS.commandName) {
      problems.push(`${entry.command}: a command is "/" and lowercase letters, digits, - or _, at most 32 in all`);
    }
    if (entry.description.length < 1 || entry.description.length > MANIFEST_LIMITS.commandDescription) {
      problems.push(`${entry.command}: the description must be 1–${MANIFEST_LIMITS.commandDescription} characters`);
    }
  }
  if (entries.length > MANIFEST_LIMITS.slashCommands) {
    problems.push(`Slack allows ${MANIFEST_LIMITS.slashCommands} slash commands, not ${entries.length}`);
  }
  if (problems.length > 0) throw new Error(`Cannot build the Slack manifest: ${problems.join('; ')}`);
  // Buttons and the Home tab's event come to the same URL as commands (Socket Mode: over its connection).
  const requestUrl = url ? { request_url: url } : {};
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: { name: appName, description: DESCRIPTION },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: botDisplayName(appName), always_online: false },
      slash_commands: entries,
    },
    oauth_config: { scopes: { bot: [...BOT_SCOPES] } },
    settings: {
      event_subscriptions: { ...requestUrl, bot_events: ['app_home_opened'] },
      interactivity: { is_enabled: true, ...requestUrl },
      org_deploy_enabled: false,
      socket_mode_enabled: options.socketMode,
      token_rotation_enabled: false,
    },
  };
}

/** What Slack shows after the command name as it is typed, from the options: "[topic] [level:value] …". */
export function usageHint(command: Command): string {
  return joinWithin(command.options.map(optionHint), MANIFEST_LIMITS.usageHint);
}

function optionHint(option: OptionSpec): string {
  const text = option.rest ? option.name : `${option.name}:${VALUE_WORDS[option.type]}`;
  return option.required ? text : `[${text}]`;
}

const VALUE_WORDS: Record<OptionSpec['type'], string> = {
  string: 'value',
  integer: 'number',
  date: 'YYYY-MM-DD',
  period: '30d|6m|1y',
};

function entryPointHint(commands: readonly Command[]): string {
  return joinWithin(['command [options]', '—', ...commands.map((c) => c.name)], MANIFEST_LIMITS.usageHint);
}

/** Words joined by spaces, whole words only, ending with "…" when they do not all fit. */
function joinWithin(words: readonly string[], max: number): string {
  let text = '';
  for (const word of words) {
    const next = text.length > 0 ? `${text} ${word}` : word;
    if (next.length > max - 2) return `${text} …`;
    text = next;
  }
  return text;
}

function slashCommand(command: string, description: string, hint: string, url: string | undefined): SlackSlashCommand {
  return {
    command,
    description,
    ...(hint.length > 0 ? { usage_hint: hint } : {}),
    should_escape: false,
    ...(url ? { url } : {}),
  };
}

/** Slack allows a-z, 0-9, -, _ and . in a bot's display name. */
function botDisplayName(appName: string): string {
  const name = appName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MANIFEST_LIMITS.botDisplayName);
  return name.length > 0 ? name : 'hotline';
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
