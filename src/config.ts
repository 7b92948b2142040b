// Configuration from the environment: which adapters to start, checked so a wrong value names itself.
import type { LogLevelName, SlackConfig } from './adapters/slack/index.js';

/** What `hotline start` should run. */
export type StartPlan = { kind: 'console' } | { kind: 'slack'; slack: SlackConfig };

/** A configuration problem, naming the variable and how to set it right. */
export class ConfigError extends Error {}

const LOG_LEVELS: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error'];

/**
 * Reads SLACK_*, DISCORD_*, PORT and LOG_LEVEL. No chat variables: the console. Slack needs
 * SLACK_BOT_TOKEN and either SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode).
 */
export function startPlan(env: NodeJS.ProcessEnv): StartPlan {
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const discord = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID'].find(set);
  if (discord) {
    throw new ConfigError(
      `${discord} is set, but \`hotline start\` has no Discord adapter yet (it registers commands with \`hotline discord register\`). Unset DISCORD_TOKEN and DISCORD_APPLICATION_ID to start.`,
    );
  }
  const slackVars = Object.keys(env).filter((k) => k.startsWith('SLACK_') && set(k));
  if (slackVars.length === 0) return { kind: 'console' };
  const botToken = env.SLACK_BOT_TOKEN?.trim() ?? '';
  if (!botToken)
    throw new ConfigError(
      `${slackVars[0]} is set but SLACK_BOT_TOKEN is not: give the bot token (xoxb-…) from the app's OAuth page.`,
    );
  if (!botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN must be a bot token, starting with xoxb-.');
  const appToken = env.SLACK_APP_TOKEN?.trim();
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim();
  if (appToken && !appToken.startsWith('xapp-')) {
    throw new ConfigError('SLACK_APP_TOKEN must be an app-level token, starting with xapp- (Socket Mode).');
  }
  if (!appToken && !signingSecret) {
    throw new ConfigError(
      'Set SLACK_SIGNING_SECRET (HTTP mode: Slack sends requests to PORT) or SLACK_APP_TOKEN (Socket Mode: no public URL).',
    );
  }
  return {
    kind: 'slack',
    slack: {
      botToken,
      ...(appToken ? { appToken } : { signingSecret }),
      ...(set('SLACK_API_URL') ? { apiUrl: apiUrl(env.SLACK_API_URL as string) } : {}),
      port: port(env.PORT),
      logLevel: logLevel(env.LOG_LEVEL),
    },
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

function port(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 3000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`PORT must be a port number (0–65535); got "${value}".`);
  return n;
}

function logLevel(value: string | undefined): LogLevelName {
  if (value === undefined || value.trim() === '') return 'info';
  const level = LOG_LEVELS.find((l) => l === value.trim().toLowerCase());
  if (!level) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${value}".`);
  return level;
}
