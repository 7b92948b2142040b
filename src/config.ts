// Configuration from the environment: which adapters to start, checked so a wrong value names itself.
import type { DiscordConfig } from './adapters/discord/index.js';
import type { SlackConfig } from './adapters/slack/index.js';
import { LOG_FORMATS, LOG_LEVEL_NAMES, type LogFormat, type LogLevelName } from './logging.js';
import { DEFAULT_STATE_TIMEOUT_MS } from './state/backend.js';
import { DEFAULT_MAX_PER_CHANNEL } from './subscriptions/limits.js';

/** What `hotline start` should run: the chat adapters configured, or (with neither) the console. */
export interface StartPlan {
  slack?: SlackConfig;
  discord?: DiscordConfig;
  /** STATE_URL; undefined means the embedded file .hotline/state.db. Checked when the state is opened. */
  stateUrl?: string;
  logLevel: LogLevelName;
  /** LOG_FORMAT: text (default) or json. */
  logFormat: LogFormat;
  /** STATE_TIMEOUT_MS: the bound on each state operation. */
  stateTimeoutMs: number;
  /** MAX_SUBSCRIPTIONS_PER_CHANNEL. */
  maxPerChannel: number;
  /** METRICS_PORT: serve /healthz, /readyz and /metrics on a port of their own (besides Slack's, if any). */
  metricsPort?: number;
  /** PUBLIC_URL: where the web view is reached from outside; answers link events to their pages there. */
  publicUrl?: string;
  /** FEEDS_WATCH when set: whether this instance polls the sources of feeds.yaml (see `watchesFeeds`; unset is auto). */
  feedsWatch?: FeedsWatch;
}

/** FEEDS_WATCH: `auto` (default) watches when a chat bot runs and the data has feeds.yaml; `on` also in the console; `off` never. */
export const FEEDS_WATCH = ['auto', 'on', 'off'] as const;
export type FeedsWatch = (typeof FEEDS_WATCH)[number];

/**
 * Whether the feed watcher runs: never with `off`; with `on` whenever feeds.yaml exists; with `auto` when it
 * exists and a chat bot runs (the console and one-shot commands poll nothing unless asked).
 */
export function watchesFeeds(setting: FeedsWatch = 'auto', chatBot: boolean, hasFeeds: boolean): boolean {
  return hasFeeds && (setting === 'on' || (setting === 'auto' && chatBot));
}

/** A configuration problem, naming the variable and how to set it right. */
export class ConfigError extends Error {}

/**
 * Reads SLACK_*, DISCORD_*, PORT and LOG_LEVEL. Slack needs SLACK_BOT_TOKEN and either
 * SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode); Discord needs DISCORD_TOKEN.
 * Both may run at once; with neither, the console.
 */
/** The variables that mean "run the Slack app" (others, such as a webhook URL, do not). */
const SLACK_SWITCHES = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET'];

export function startPlan(env: NodeJS.ProcessEnv): StartPlan {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const level = logLevel(env.LOG_LEVEL);
  return {
    ...(SLACK_SWITCHES.some(set) ? { slack: slackConfig(env, level) } : {}),
    ...(set('DISCORD_TOKEN') ? { discord: discordConfig(env, level) } : {}),
    ...(set('STATE_URL') ? { stateUrl: (env.STATE_URL as string).trim() } : {}),
    logLevel: level,
    logFormat: logFormat(env.LOG_FORMAT),
    stateTimeoutMs: whole('STATE_TIMEOUT_MS', env.STATE_TIMEOUT_MS, DEFAULT_STATE_TIMEOUT_MS, 100, 120_000),
    maxPerChannel: whole(
      'MAX_SUBSCRIPTIONS_PER_CHANNEL',
      env.MAX_SUBSCRIPTIONS_PER_CHANNEL,
      DEFAULT_MAX_PER_CHANNEL,
      1,
      1000,
    ),
    ...(set('METRICS_PORT') ? { metricsPort: port(env.METRICS_PORT, 'METRICS_PORT') } : {}),
    ...(set('PUBLIC_URL') ? { publicUrl: publicUrl(env.PUBLIC_URL as string) } : {}),
    ...(set('FEEDS_WATCH') ? { feedsWatch: feedsWatch(env.FEEDS_WATCH) } : {}),
  };
}

/**
 * PUBLIC_URL checked: an http(s) URL of a host (a path under it is fine, for a proxy that serves Hotline under
 * /hotline/), with no user name, password, query or fragment, since page paths are appended to it. Returned
 * without a trailing slash.
 */
export function publicUrl(value: string, name = 'PUBLIC_URL'): string {
  const text = value.trim();
  const wrong = (why: string) =>
    new ConfigError(`${name} must be the web view's address, such as https://hotline.example.org; "${text}" ${why}.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw wrong('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw wrong('is not an http or https URL');
  if (!/^https?:\/\/[^\s/?#]/i.test(text) || /\s/.test(text)) throw wrong('has no host, or has spaces');
  if (url.username || url.password) throw wrong('holds a user name or password');
  if (url.search || text.includes('?')) throw wrong('has a query (?…)');
  if (url.hash || text.includes('#')) throw wrong('has a fragment (#…)');
  return url.href.replace(/\/+$/, '');
}

function logFormat(value: string | undefined): LogFormat {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return 'text';
  const format = LOG_FORMATS.find((f) => f === v);
  if (!format) throw new ConfigError(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}; got "${value}".`);
  return format;
}

function feedsWatch(value: string | undefined): FeedsWatch {
  const v = (value ?? '').trim().toLowerCase();
  const setting = FEEDS_WATCH.find((f) => f === v);
  if (!setting) throw new ConfigError(`FEEDS_WATCH must be one of ${FEEDS_WATCH.join(', ')}; got "${value}".`);
  return setting;
}

/** A whole number between `min` and `max`, or `fallback` when unset. */
function whole(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got "${value}".`);
  }
  return n;
}

function slackConfig(env: NodeJS.ProcessEnv, level: LogLevelName): SlackConfig {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const botToken = env.SLACK_BOT_TOKEN?.trim() ?? '';
  if (!botToken) {
    const given = SLACK_SWITCHES.find(set);
    throw new ConfigError(
      `${given} is set but SLACK_BOT_TOKEN is not: give the bot token (xoxb-…) from the app's OAuth page.`,
    );
  }
  if (!botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN must be a bot token, starting with xoxb-.');
  const appToken = env.SLACK_APP_TOKEN?.trim();
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim();
  if (appToken && !appToken.startsWith('xapp-')) {
    throw new ConfigError('SLACK_APP_TOKEN must be an app-level token, starting with xapp- (Socket Mode).');
  }
  if (appToken && signingSecret) {
    throw new ConfigError(
      'Set SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode), not both: the two modes are exclusive.',
    );
  }
  if (!appToken && !signingSecret) {
    throw new ConfigError(
      'Set SLACK_SIGNING_SECRET (HTTP mode: Slack sends requests to PORT) or SLACK_APP_TOKEN (Socket Mode: no public URL).',
    );
  }
  return {
    botToken,
    ...(appToken ? { appToken } : { signingSecret }),
    ...(set('SLACK_API_URL') ? { apiUrl: apiUrl(env.SLACK_API_URL as string) } : {}),
    port: port(env.PORT),
    host: host(env.HOST),
    logLevel: level,
    adminsOnly: yesNo('SLACK_ADMINS_ONLY', env.SLACK_ADMINS_ONLY),
    ...(set('SLACK_POSTS_PER_SECOND')
      ? { postsPerSecond: whole('SLACK_POSTS_PER_SECOND', env.SLACK_POSTS_PER_SECOND, 0, 1, 1000) }
      : {}),
    ...editorsConfig(env, 'SLACK', /^[CG][A-Z0-9]{2,30}$/, /^[UW][A-Z0-9]{1,30}$/, 'C0123ABCD', 'U0123ABCD'),
  };
}

/**
 * The editors who review drafts (issue 15): <P>_EDITORS_CHANNEL, where draft cards are posted (whoever may post
 * there is an editor), and <P>_EDITORS, an optional comma-separated allow-list of user ids.
 */
function editorsConfig(
  env: NodeJS.ProcessEnv,
  platform: 'SLACK' | 'DISCORD',
  channelId: RegExp,
  userId: RegExp,
  channelExample: string,
  userExample: string,
): { editors?: { channel?: string; users: string[] } } {
  const channel = (env[`${platform}_EDITORS_CHANNEL`] ?? '').trim();
  const users = (env[`${platform}_EDITORS`] ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (channel !== '' && !channelId.test(channel)) {
    throw new ConfigError(
      `${platform}_EDITORS_CHANNEL must be a channel id such as ${channelExample}; got "${channel.slice(0, 40)}".`,
    );
  }
  const bad = users.find((u) => !userId.test(u));
  if (bad !== undefined) {
    throw new ConfigError(
      `${platform}_EDITORS must be user ids separated by commas, such as ${userExample}; "${bad.slice(0, 40)}" is not one.`,
    );
  }
  if (channel === '' && users.length === 0) return {};
  return { editors: { ...(channel ? { channel } : {}), users } };
}

/** A true/false setting: 1/true/yes or 0/false/no (unset: false). */
function yesNo(name: string, value: string | undefined): boolean {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || ['0', 'false', 'no', 'off'].includes(v)) return false;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  throw new ConfigError(`${name} must be true or false; got "${value}".`);
}

function host(value: string | undefined): string {
  const h = (value ?? '').trim();
  if (h === '') return '0.0.0.0';
  if (!/^[\w.:-]+$/.test(h))
    throw new ConfigError(`HOST must be an address to listen on, such as 0.0.0.0 or 127.0.0.1; got "${h}".`);
  return h;
}

function discordConfig(env: NodeJS.ProcessEnv, level: LogLevelName): DiscordConfig {
  const token = (env.DISCORD_TOKEN ?? '').trim();
  if (/\s/.test(token) || token.toLowerCase().startsWith('bot ')) {
    throw new ConfigError('DISCORD_TOKEN must be the bot token alone, without "Bot " or spaces.');
  }
  const api = (env.DISCORD_API_URL ?? '').trim();
  if (api !== '' && !/^https?:\/\/\S+$/.test(api)) {
    throw new ConfigError(`DISCORD_API_URL must be an http(s) URL such as https://discord.com/api; got "${api}".`);
  }
  return {
    token,
    ...(api ? { apiUrl: api.replace(/\/+$/, '') } : {}),
    logLevel: level,
    ...editorsConfig(env, 'DISCORD', /^\d{17,20}$/, /^\d{17,20}$/, '1000000000000000004', '1000000000000000005'),
  };
}

function apiUrl(value: string): string {
  const url = value.trim();
  if (!/^https?:\/\/\S+\/api\/?$/.test(url)) {
    throw new ConfigError(
      `SLACK_API_URL must be an http(s) URL ending in /api/, e.g. https://slack-gov.com/api/; got "${url}".`,
    );
  }
  return url.endsWith('/') ? url : `${url}/`;
}

function port(value: string | undefined, name = 'PORT'): number {
  if (value === undefined || value.trim() === '') return 3000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`${name} must be a port number (0–65535); got "${value}".`);
  return n;
}

function logLevel(value: string | undefined): LogLevelName {
  if (value === undefined || value.trim() === '') return 'info';
  const level = LOG_LEVEL_NAMES.find((l) => l === value.trim().toLowerCase());
  if (!level) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVEL_NAMES.join(', ')}; got "${value}".`);
  return level;
}
