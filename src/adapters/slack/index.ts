// The Slack adapter: the real Bolt app answering every command (and /hotline <command>), HTTP or Socket Mode.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type RespondArguments, type SlashCommand, SocketModeReceiver } from '@slack/bolt';
import type { Catalog } from '../../core/catalog.js';
import type { Command } from '../../core/command.js';
import type { Day } from '../../core/dates.js';
import { ask } from '../../core/dispatch.js';
import { errorReply, type Reply } from '../../core/reply.js';
import type { LogLevelName } from '../../logging.js';
import { ENTRY_POINT } from './manifest.js';
import { renderSlack } from './render.js';

/** How the app reaches Slack: HTTP (signing secret) or Socket Mode (app-level token). */
export interface SlackConfig {
  botToken: string;
  /** HTTP mode: requests are verified with it. */
  signingSecret?: string;
  /** Socket Mode: an app-level token (xapp-…); no public URL needed. */
  appToken?: string;
  /** The Web API base URL, ending in /api/ (GovSlack, or a local fake in tests). */
  apiUrl?: string;
  /** HTTP mode: where to listen. */
  port?: number;
  host?: string;
  logLevel?: LogLevelName;
}

const LOG_LEVELS: Record<LogLevelName, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
};

/** What every answer needs: the data, the commands, and a way to learn today's date. */
export interface SlackDeps {
  catalog: Catalog;
  commands: readonly Command[];
  today: () => Day;
}

/** A started app: where it listens (HTTP mode) and how to stop it. */
export interface RunningSlack {
  app: App;
  /** The port the HTTP server listens on; undefined in Socket Mode. */
  port?: number;
  stop(): Promise<void>;
}

/** Builds the Bolt app with a handler for every command. Nothing is started yet. */
export function createSlackApp(config: SlackConfig, deps: SlackDeps): App {
  const logLevel = LOG_LEVELS[config.logLevel ?? 'info'];
  const clientOptions = config.apiUrl ? { slackApiUrl: config.apiUrl } : {};
  const app = new App({
    token: config.botToken,
    clientOptions,
    logLevel,
    ...(config.appToken
      ? {
          // Socket Mode opens its connection with its own Web API client: give it the same base URL.
          receiver: new SocketModeReceiver({
            appToken: config.appToken,
            logLevel,
            installerOptions: { clientOptions },
          }),
        }
      : { signingSecret: config.signingSecret }),
  });
  const names = [...deps.commands.map((c) => c.name), ENTRY_POINT];
  for (const name of names) {
    app.command(`/${name}`, async ({ command, ack, respond, logger }) => {
      // Acknowledge first, always within Slack's 3 seconds; the answer follows through response_url.
      await ack();
      let message: RespondArguments;
      try {
        message = answer(command, deps);
      } catch (error) {
        logger.error(`/${name} ${command.text}: ${(error as Error).stack ?? String(error)}`);
        message = toMessage(errorReply('Something went wrong on our side while answering; it has been logged.'), false);
      }
      await respond(message);
    });
  }
  return app;
}

/** Starts the app: listens on the port (HTTP mode) or connects (Socket Mode). */
export async function startSlack(config: SlackConfig, deps: SlackDeps): Promise<RunningSlack> {
  const app = createSlackApp(config, deps);
  if (config.appToken) {
    await app.start();
    return { app, stop: () => app.stop() as Promise<void> };
  }
  const server = (await app.start({ port: config.port ?? 3000, host: config.host ?? '0.0.0.0' })) as Server;
  return { app, port: (server.address() as AddressInfo).port, stop: () => app.stop() as Promise<void> };
}

/** The answer to one slash command, as Slack will show it. */
export function answer(
  command: Pick<SlashCommand, 'command' | 'text' | 'user_id' | 'channel_id'>,
  deps: SlackDeps,
): RespondArguments {
  const { command: found, reply } = ask(`${command.command} ${command.text ?? ''}`, {
    catalog: deps.catalog,
    commands: deps.commands,
    now: deps.today(),
    user: command.user_id,
    channel: command.channel_id,
  });
  // Errors and private answers are seen only by the asker; shared answers are posted in the channel.
  return toMessage(reply, reply.tone !== 'error' && found?.visibility === 'channel');
}

function toMessage(reply: Reply, inChannel: boolean): RespondArguments {
  return { response_type: inChannel ? 'in_channel' : 'ephemeral', ...renderSlack(reply) };
}
