// Logging: one line per event on stderr, human text by default or JSON (pino) with LOG_FORMAT=json,
// with every secret the process knows (tokens, signing secret, store password) redacted.
import type pino from 'pino';
import { maskUrlPasswords, urlPassword } from './secrets.js';

/** How much a running bot logs: debug, info (default), warn or error. */
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

/** The levels in order, least severe first. */
export const LOG_LEVEL_NAMES: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error'];

/** How log lines are written: `text` for a person at a terminal, `json` for a log collector. */
export type LogFormat = 'text' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

/** Where a part's log lines go. */
export type Log = (level: LogLevelName, message: string) => void;

/** The variables whose values are secrets; their values never appear in a log line. */
const SECRET_VARIABLES = ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'DISCORD_TOKEN'];

/** Slack token shapes, redacted wherever they appear, even when the process was not given them. */
const TOKEN_PATTERNS = [/\bxox[abposr]-[\w-]+/g, /\bxapp-[\w-]+/g];

/** The secret values in an environment: the variables above, and the password of STATE_URL. */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  const values = SECRET_VARIABLES.map((name) => (env[name] ?? '').trim());
  const password = urlPassword(env.STATE_URL ?? '');
  if (password) values.push(password);
  return values.filter((value) => value.length >= 6);
}

/** `text` with each secret, and anything shaped like a Slack token or a URL password, replaced. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, '[redacted]');
  return maskUrlPasswords(out, '[redacted]');
}

interface Sink {
  format: LogFormat;
  secrets: readonly string[];
  json?: pino.Logger;
  write: (line: string) => void;
}

let sink: Sink = {
  format: 'text',
  secrets: secretsOf(process.env),
  write: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Sets the format and the secrets for every logger made after (and before: loggers read it per line).
 * pino is loaded only for the JSON format.
 */
export async function configureLogging(options: {
  format?: LogFormat;
  secrets?: readonly string[];
  write?: (line: string) => void;
}): Promise<void> {
  const write = options.write ?? sink.write;
  const format = options.format ?? sink.format;
  const pino = format === 'json' ? (await import('pino')).default : undefined;
  sink = {
    format,
    secrets: options.secrets ?? sink.secrets,
    write,
    ...(pino
      ? {
          json: pino(
            { level: 'debug', base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
            { write: (line: string) => write(line.replace(/\n$/, '')) },
          ),
        }
      : {}),
  };
}

/** A logger for one part ("discord", "jobs"), dropping lines below `level`. */
export function logger(level: LogLevelName, tag: string): Log {
  return (at, message) => {
    if (LOG_LEVEL_NAMES.indexOf(at) < LOG_LEVEL_NAMES.indexOf(level)) return;
    const text = redactSecrets(message, sink.secrets);
    if (sink.json) sink.json[at]({ part: tag }, text);
    else sink.write(`[hotline ${tag}] ${at}: ${text}`);
  };
}
