// The Slack adapter: the real Bolt app answering every command (and /hotline <command>), HTTP or Socket Mode.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  HTTPReceiver,
  type Logger,
  LogLevel,
  type RespondArguments,
  type SlashCommand,
  SocketModeReceiver,
} from '@slack/bolt';
import { decodeAction } from '../../core/actions.js';
import type { Catalog } from '../../core/catalog.js';
import type { Command } from '../../core/command.js';
import type { Day } from '../../core/dates.js';
import { ask, formFor, postsInChannel, pressed, splitLine, submitForm } from '../../core/dispatch.js';
import type { DraftDesk } from '../../core/drafts.js';
import { INTERNAL_ERROR } from '../../core/errors.js';
import { errorReply, type Reply } from '../../core/reply.js';
import type { ScheduleBook } from '../../core/schedule.js';
import type { Place, SubscriptionBook } from '../../core/subscription.js';
import { visibleText } from '../../core/text.js';
import { logger as hotlineLogger, type Log, type LogLevelName } from '../../logging.js';
import { yieldingQueue } from '../queue.js';
import { shareChart } from './chart.js';
import { sendFileTo } from './exportFile.js';
import { GUARD_DEFAULTS, guardedListener, type ReplayCache, type Routes, SLACK_PATH } from './guard.js';
import { type HomeView, homeView } from './home.js';
import { ACTION_ID_PREFIX, FORM_CALLBACK_ID, readFormOrigin, renderForm, renderSlack } from './render.js';

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
  /**
   * SLACK_EDITORS_CHANNEL and SLACK_EDITORS: who reviews drafts (/drafts, the buttons on draft cards): members of
   * the channel (asked of Slack at each press) and the users listed. Without either, nobody can in Slack.
   */
  editors?: { channel?: string; users: string[] };
  /** SLACK_ADMINS_ONLY: only workspace admins and owners may run commands that change a channel's setup (/subscribe). */
  adminsOnly?: boolean;
  /**
   * SLACK_POSTS_PER_SECOND: the workspace's posting limit when the operator knows it (Slack publishes none); the
   * notifier paces notices to it from the first post. Unset: the rate is learned at the first HTTP 429.
   */
  postsPerSecond?: number;
  /** HTTP mode: where signatures already answered are remembered (default: in memory, bounded). */
  replays?: ReplayCache;
  /** HTTP mode: other paths served on the same port (health and metrics). */
  routes?: Routes;
  /** HTTP mode: time limits other than the defaults (tests). */
  httpLimits?: Partial<typeof HTTP_LIMITS>;
  /** HTTP mode: told how long each command took to acknowledge, in seconds (for metrics). */
  onAck?: (seconds: number) => void;
  /** How long stop() waits for answers already acknowledged to be sent (default 10 s). */
  drainMs?: number;
  /** Told when an acknowledged command is dropped (a replay only the shared store recognised). */
  onDropped?: (reason: string) => void;
}

/** Time limits of the HTTP server (docs/OPERATIONS.md): slow clients are cut off, not waited for. */
export const HTTP_LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  /** Connections open at once; more are refused (file descriptors are finite). */
  maxConnections: 1_000,
  /** However busy, a connection is closed after this long (stray bytes could otherwise keep it alive). */
  connectionMaxAgeMs: 120_000,
};

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
  /** The subscriptions of a channel, where state is open. */
  books?: (place: Place) => SubscriptionBook;
  /** The digest schedules of a channel, where state is open. */
  schedules?: (place: Place) => ScheduleBook;
  /** Why the bot could not post in a channel (not a member, archived), or undefined if it can or it cannot tell. */
  cannotPostIn?: (channel: string) => Promise<string | undefined>;
  /** Set with SLACK_ADMINS_ONLY: whether a user is a workspace admin or owner. */
  isAdmin?: (user: string) => Promise<boolean>;
  /** The review of drafts, where state is open (only editors reach it: see SlackConfig.editors). */
  drafts?: DraftDesk;
  /** Set with SLACK_EDITORS_CHANNEL or SLACK_EDITORS: whether a user is an editor, asked at each request. */
  isEditor?: (user: string) => Promise<boolean>;
}

/** A started app: where it listens (HTTP mode) and how to stop it. */
export interface RunningSlack {
  app: App;
  /** The port the HTTP server listens on; undefined in Socket Mode. */
  port?: number;
  /** The HTTP server (HTTP mode). */
  server?: Server;
  /** Publishes the Home tab again for everyone who has opened it here (call when the record changes). */
  refreshHome(): Promise<void>;
  stop(): Promise<void>;
}

/** People whose Home tab is refreshed when the record changes: the last this many to open it here. */
export const HOME_VIEWERS = 1_000;

/** Builds the Bolt app with a handler for every command. Nothing is started yet. */
export function createSlackApp(
  config: SlackConfig,
  deps: SlackDeps,
): { app: App; receiver?: HTTPReceiver; inflight: Set<Promise<void>>; refreshHome: () => Promise<void> } {
  const logLevel = LOG_LEVELS[config.logLevel ?? 'info'];
  // Bolt's lines go through Hotline's logger: the same format (LOG_FORMAT) and the same redaction.
  const log = hotlineLogger(config.logLevel ?? 'info', 'slack');
  const logger = boltLogger(log, logLevel);
  // Few retries: a wrong token or an unreachable API must stop start-up soon, with a message.
  const clientOptions = { ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}), retryConfig: { retries: 2 } };
  const receiver = config.appToken
    ? undefined
    : new HTTPReceiver({ signingSecret: config.signingSecret ?? '', logger, endpoints: SLACK_PATH });
  const app = new App({
    token: config.botToken,
    clientOptions,
    logger,
    deferInitialization: true,
    receiver:
      receiver ??
      // Socket Mode opens its connection with its own Web API client: give it the same base URL.
      new SocketModeReceiver({ appToken: config.appToken ?? '', logger, installerOptions: { clientOptions } }),
  });
  // Answers are built one at a time, after the event loop has had its turn, so acks never wait behind them.
  const answers = yieldingQueue();
  // One listener for every command name: renamed or stale commands still get an answer, never a timeout.
  // Answers acknowledged but not yet sent: stop() waits for them (graceful shutdown).
  const inflight = new Set<Promise<void>>();
  // One editors' check for the app's life: it keeps the member list a few seconds (EDITORS_TTL_MS).
  const isEditor = config.editors ? editorCheck(app, config.editors) : undefined;
  /** The deps with the checks that ask Slack (membership, admins, editors). */
  const withChecks = (): SlackDeps => ({
    cannotPostIn: membershipCheck(app),
    ...deps,
    ...(config.adminsOnly ? { isAdmin: adminCheck(app) } : {}),
    ...(isEditor ? { isEditor } : {}),
  });
  /**
   * Builds an answer after the ack (one at a time) and posts it to response_url, then runs `after` if it was
   * posted (sharing its chart); stop() waits for both.
   */
  const answerLater = async (
    url: string | undefined,
    what: string,
    build: (d: SlackDeps) => Promise<RespondArguments>,
    logger: Logger,
    after?: () => Promise<void>,
  ) => {
    // Nowhere to answer (a press from a view, or a forged body): nothing is run.
    if (!url || !responseUrlAllowed(url, config.apiUrl)) {
      logger.warn(`${what.slice(0, 80)}: no usable response_url (${String(url).slice(0, 80)}); nothing was run`);
      return;
    }
    await afterAck(
      what,
      build,
      // Never in the place of the message a button was on (a draft's card would lose its buttons).
      () => ({ replace_original: false, ...toMessage(errorReply(INTERNAL_ERROR), false) }),
      async (message, built) => {
        if ((await postAnswer(url, message, logger, config.apiUrl)) && built && after) await after();
      },
      logger,
    );
  };
  /**
   * The work after an ack, one answer at a time: `build` with fresh checks, or `failed()` if it throws (a failure
   * of ours, logged), then `send` (told whether it was built); stop() waits for it.
   */
  const afterAck = async <T>(
    what: string,
    build: (d: SlackDeps) => Promise<T>,
    failed: () => T,
    send: (answer: T, built: boolean) => Promise<void>,
    logger: Logger,
  ) => {
    const working = (async () => {
      let answer: T;
      let built = true;
      try {
        answer = await answers(() => build(withChecks()));
      } catch (error) {
        logger.error(`${what}: ${(error as Error).stack ?? String(error)}`);
        answer = failed();
        built = false;
      }
      await send(answer, built);
    })();
    inflight.add(working);
    await working.finally(() => inflight.delete(working));
  };
  /**
   * An answer's file (/export), after the answer: into the asker's direct message with the bot. If Slack refuses
   * it, the asker is told privately through the same response_url, with the way to get it without chat.
   */
  const sendExport = async (reply: Reply, user: string, url: string, logger: Logger) => {
    const file = reply.file as NonNullable<Reply['file']>;
    const refused = await sendFileTo(app.client, user, file, reply.title);
    if (!refused) return;
    logger.warn(`${user}: the export ${file.name} could not be sent: ${refused}`);
    const sorry = {
      ...errorReply(
        `The file could not be sent to you: Slack refused it (${refused}). The answer above says how to export the same events from the command line.`,
      ),
      title: 'The file could not be sent',
    };
    await postAnswer(url, toMessage(sorry, false), logger, config.apiUrl);
  };
  app.command(/^\/.+/, async ({ command, ack, logger }) => {
    // Acknowledge first, always within Slack's 3 seconds; the answer follows through response_url.
    await ack();
    let answered: Answered | undefined;
    const build = async (d: SlackDeps) => {
      answered = await answerWithReply(command, d);
      return answered.message;
    };
    // A chart goes only under an answer posted in the channel: an upload is seen by everyone there.
    const shareIfCharted = async () => {
      if (answered?.reply.file && command.user_id) {
        await sendExport(answered.reply, command.user_id, command.response_url, logger);
        return;
      }
      if (!answered?.reply.chart || !answered.inChannel || !command.channel_id) return;
      await shareChart(
        app.client,
        command.channel_id,
        answered.reply,
        hotlineLogger(config.logLevel ?? 'info', 'slack'),
      );
    };
    await answerLater(command.response_url, `${command.command} ${command.text}`, build, logger, shareIfCharted);
  });
  // Buttons under answers (core/actions.ts): acknowledged at once, answered through response_url.
  app.action(new RegExp(`^${ACTION_ID_PREFIX}`), async ({ ack, body, action, logger }) => {
    await ack();
    if (body.type !== 'block_actions' || typeof body.user?.id !== 'string') return;
    const value = 'value' in action ? action.value : undefined;
    if (decodeAction(value)?.mode === 'form') {
      // A form button opens its modal at once (Slack's trigger_id lasts 3 seconds); a refusal answers privately.
      const d = withChecks();
      const user = body.user.id;
      const channel = body.channel?.id;
      const opened = await formFor(value, askContext(d, user, channel), (target) => gate(target, user, d));
      if ('form' in opened) {
        const container = body.container as { is_ephemeral?: boolean; message_ts?: string } | undefined;
        const ts = container?.is_ephemeral ? undefined : (container?.message_ts ?? body.message?.ts);
        try {
          await app.client.views.open({
            trigger_id: body.trigger_id,
            view: renderForm(opened.form, {
              value: opened.value,
              ...(channel ? { channel } : {}),
              ...(ts ? { ts } : {}),
            }) as never,
          });
        } catch (error) {
          logger.warn(`views.open: ${oneLine(error)}`);
        }
        return;
      }
      await answerLater(
        body.response_url,
        `form ${String(value).slice(0, 120)}`,
        async () => toMessage(opened.reply, false),
        logger,
      );
      return;
    }
    await answerLater(
      body.response_url,
      `button ${String(value).slice(0, 120)}`,
      (d) => answerButton(value, body.user.id, body.channel?.id, d),
      logger,
    );
  });
  // A submitted form: acknowledged at once (Slack wants the ack within 3 seconds, and the line may take longer: a
  // store, an editors' check asked of Slack), then the line runs with the fields filled in. Only what the form
  // itself tells (a required field left blank) is refused on the form, in the ack; every other refusal is told
  // privately in the channel, with what was typed, and nothing changes. An answer takes the place of the
  // message the button was on (a draft's card).
  app.view(FORM_CALLBACK_ID, async ({ ack, body, view, logger }) => {
    const origin = readFormOrigin(view.private_metadata);
    const user = body.user.id;
    const values = view.state.values as Record<string, Record<string, { value?: string | null }>>;
    const fields = Object.fromEntries(
      Object.entries(values).map(([block, inputs]) => [block, Object.values(inputs)[0]?.value ?? '']),
    );
    const first = Object.keys(fields)[0] ?? 'value';
    if (!origin) {
      await ack({
        response_action: 'errors',
        errors: { [first]: 'This form is from an older Hotline; close it and press the button again.' },
      });
      return;
    }
    const blank = blankRequiredFields(view.blocks, fields);
    if (blank.length > 0) {
      await ack({
        response_action: 'errors',
        errors: Object.fromEntries(blank.map((name) => [name, 'Fill this in: it is required.'])),
      });
      return;
    }
    await ack();
    await afterAck(
      `form ${origin.value.slice(0, 120)}`,
      async (d) =>
        (await submitForm(origin.value, fields, askContext(d, user, origin.channel), (target) => gate(target, user, d)))
          .reply,
      () => errorReply(INTERNAL_ERROR),
      async (reply) => {
        const message = renderSlack(reply.tone === 'error' ? withTyped(reply, fields) : reply);
        try {
          if (reply.tone !== 'error' && origin.channel && origin.ts)
            await app.client.chat.update({ channel: origin.channel, ts: origin.ts, ...message });
          else if (origin.channel) await app.client.chat.postEphemeral({ channel: origin.channel, user, ...message });
          else logger.warn(`form ${origin.value.slice(0, 120)}: answered, but there is no channel to tell ${user} in`);
        } catch (error) {
          logger.warn(`answering a form: ${oneLine(error)}`);
        }
      },
      logger,
    );
  });
  // The Home tab, published when someone opens it and again for them when the record changes. Who opened
  // it is kept in memory only: after a restart the tab is published fresh the next time it is opened.
  // The view is built once per record and day (it is the same for everyone), and a person whose tab already
  // shows it is not sent it again: a flood of opens costs a map lookup each.
  let built: { catalog: Catalog; day: Day; view: Promise<HomeView> } | undefined;
  const currentView = () => {
    const day = deps.today();
    if (!built || built.catalog !== deps.catalog || built.day !== day) {
      built = { catalog: deps.catalog, day, view: homeView(deps) };
    }
    return built.view;
  };
  /** Per person who opened the tab (the last HOME_VIEWERS): the view last published to them. */
  const viewers = new Map<string, Promise<HomeView> | undefined>();
  const publishHome = async (user: string) => {
    const view = currentView();
    if (viewers.get(user) === view) return;
    viewers.set(user, view);
    try {
      await app.client.views.publish({ user_id: user, view: await view });
    } catch (error) {
      viewers.set(user, undefined); // tried again at the next open
      app.logger.warn(`views.publish for ${user}: ${oneLine(error)}`);
    }
  };
  app.event('app_home_opened', async ({ event }) => {
    // Slack's user ids only: anything else in a (signed but malformed) body is not remembered or published.
    if (event.tab !== 'home' || typeof event.user !== 'string' || !/^[UW][A-Z0-9]{1,30}$/.test(event.user)) return;
    const last = viewers.get(event.user);
    viewers.delete(event.user);
    viewers.set(event.user, last);
    if (viewers.size > HOME_VIEWERS) viewers.delete(viewers.keys().next().value as string);
    await publishHome(event.user);
  });
  // Refreshes never overlap: one asked for while another runs starts once it ends, whatever the number asked.
  let refreshing: Promise<void> | undefined;
  let again = false;
  const refreshHome = (): Promise<void> => {
    if (refreshing) {
      again = true;
      return refreshing;
    }
    refreshing = (async () => {
      do {
        again = false;
        for (const user of [...viewers.keys()]) await publishHome(user);
      } while (again);
    })().finally(() => {
      refreshing = undefined;
    });
    inflight.add(refreshing);
    const done = refreshing;
    void done.finally(() => inflight.delete(done));
    return done;
  };
  app.error(async (error) => {
    app.logger.error(`Slack: ${oneLine(error)}`);
  });
  return { app, ...(receiver ? { receiver } : {}), inflight, refreshHome };
}

/** Waits for the answers in flight, at most `ms`. */
async function drain(inflight: Set<Promise<void>>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled([...inflight]),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** Starts the app: checks the token with Slack, then listens on the port (HTTP) or connects (Socket Mode). */
export async function startSlack(config: SlackConfig, deps: SlackDeps): Promise<RunningSlack> {
  const { app, receiver, inflight, refreshHome } = createSlackApp(config, deps);
  const drainMs = config.drainMs ?? 10_000;
  try {
    await app.init();
  } catch (error) {
    throw new Error(slackStartError(error));
  }
  if (!receiver) {
    await app.start();
    return {
      app,
      refreshHome,
      stop: async () => {
        await app.stop();
        await drain(inflight, drainMs);
      },
    };
  }
  // A client that sends its headers or body slowly is cut off instead of holding a connection for minutes.
  const limits = { ...HTTP_LIMITS, ...config.httpLimits };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, limits.requestTimeoutMs),
    },
    timed(
      guardedListener(
        receiver.requestListener,
        config.signingSecret ?? '',
        { ...GUARD_DEFAULTS, ...(config.onDropped ? { onDropped: config.onDropped } : {}) },
        config.replays,
        config.routes,
      ),
      config.onAck,
    ),
  );
  server.maxConnections = limits.maxConnections;
  server.on('connection', (socket) => {
    const timer = setTimeout(() => socket.destroy(), limits.connectionMaxAgeMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 3000, config.host ?? '0.0.0.0', resolve);
  });
  return {
    app,
    port: (server.address() as AddressInfo).port,
    server,
    refreshHome,
    // No new requests; the answers already acknowledged are sent (within drainMs), then the port closes.
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await drain(inflight, drainMs);
      await closed;
    },
  };
}

/** Bolt's Logger interface over a Hotline Log: every argument joined into one line. */
function boltLogger(log: Log, level: LogLevel): Logger {
  let current = level;
  const line = (args: unknown[]) =>
    args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return {
    debug: (...args) => log('debug', line(args)),
    info: (...args) => log('info', line(args)),
    warn: (...args) => log('warn', line(args)),
    error: (...args) => log('error', line(args)),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: () => {},
  };
}

/**
 * Whether an answer may be posted to `url`: Slack's own hosts (slack.com, slack-gov.com) over https, or the
 * host of SLACK_API_URL when one is set (GovSlack, a proxy, a local fake).
 */
export function responseUrlAllowed(url: string, apiUrl: string | undefined): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (apiUrl && target.host === new URL(apiUrl).host && /^https?:$/.test(target.protocol)) return true;
  return target.protocol === 'https:' && /(^|\.)(slack|slack-gov)\.com$/.test(target.hostname);
}

/** The listener, reporting how long each Slack request took to answer (its ack). */
function timed(listener: RequestListener, onAck: ((seconds: number) => void) | undefined): RequestListener {
  if (!onAck) return listener;
  return (req, res) => {
    if ((req.url ?? '').split('?')[0] === SLACK_PATH) {
      const started = process.hrtime.bigint();
      // Only acknowledgements: refusals (401, 404 …) would let a forger skew the figure.
      res.on('finish', () => {
        if (res.statusCode < 300) onAck(Number(process.hrtime.bigint() - started) / 1e9);
      });
    }
    listener(req, res);
  };
}

/** What went wrong at start-up, naming the variable to look at. */
function slackStartError(error: unknown): string {
  const code = (error as { data?: { error?: string } }).data?.error;
  if (code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive' || code === 'token_revoked') {
    return `Slack refused SLACK_BOT_TOKEN (${code}); copy the Bot User OAuth Token again from the app's OAuth page.`;
  }
  return `could not reach Slack at SLACK_API_URL or slack.com (${oneLine(error)}).`;
}

/** Posts the answer to response_url with a timeout; true if Slack took it. A failure is logged in one line, never thrown. */
async function postAnswer(
  url: string | undefined,
  message: RespondArguments,
  logger: Logger,
  apiUrl: string | undefined,
): Promise<boolean> {
  if (!url) {
    logger.warn('a command arrived without a response_url; no answer could be sent');
    return false;
  }
  if (!responseUrlAllowed(url, apiUrl)) {
    logger.warn(`a command named a response_url that is not Slack's (${url.slice(0, 80)}); no answer was sent`);
    return false;
  }
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) return true;
    logger.warn(`response_url answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
  } catch (error) {
    logger.warn(`could not post to response_url: ${oneLine(error)}`);
  }
  return false;
}

function oneLine(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return [e.code, e.message ?? String(error)].filter(Boolean).join(': ').split('\n')[0] ?? '';
}

/** The answer to one slash command, as Slack will show it. */
export async function answer(
  command: Pick<SlashCommand, 'command' | 'text' | 'user_id' | 'channel_id'>,
  deps: SlackDeps,
): Promise<RespondArguments> {
  return (await answerWithReply(command, deps)).message;
}

/** An answer as Slack will show it, with the Reply it came from and whether it is posted in the channel. */
interface Answered {
  message: RespondArguments;
  reply: Reply;
  inChannel: boolean;
}

async function answerWithReply(
  command: Pick<SlashCommand, 'command' | 'text' | 'user_id' | 'channel_id'>,
  deps: SlackDeps,
): Promise<Answered> {
  // Slack sends &, < and > in the text as entities; decode them so the question is what was typed.
  const text = (command.text ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const line = `${command.command} ${text}`;
  const target = deps.commands.find((c) => c.name === splitLine(line).name);
  const refused = target ? await gate(target, command.user_id, deps) : undefined;
  if (refused) return { message: toMessage(refused, false), reply: refused, inChannel: false };
  const cannotPost =
    target?.postsLater && deps.cannotPostIn && command.channel_id
      ? await deps.cannotPostIn(command.channel_id)
      : undefined;
  const { command: found, reply } = await ask(line, {
    ...askContext(deps, command.user_id, command.channel_id),
    ...(cannotPost ? { cannotPost } : {}),
  });
  const inChannel = postsInChannel(found, reply);
  return { message: toMessage(reply, inChannel), reply, inChannel };
}

/**
 * The answer to a pressed button, as Slack will show it: the line it carries is run like a typed command
 * (with the same SLACK_ADMINS_ONLY check); a page replaces the answer it was on, a share is posted in the
 * channel, a "run" goes where the command's answers go, anything else answers whoever pressed privately.
 */
export async function answerButton(
  value: unknown,
  user: string,
  channel: string | undefined,
  deps: SlackDeps,
): Promise<RespondArguments> {
  const { mode, command, reply } = await pressed(value, askContext(deps, user, channel), (target) =>
    gate(target, user, deps),
  );
  if (mode === 'replace') return { replace_original: true, ...renderSlack(reply) };
  return {
    replace_original: false,
    ...toMessage(reply, mode === 'share' || (mode === 'run' && postsInChannel(command, reply))),
  };
}

/** What a question asked in `channel` by `user` is answered with. */
function askContext(deps: SlackDeps, user: string, channel: string | undefined) {
  return {
    catalog: deps.catalog,
    commands: deps.commands,
    now: deps.today(),
    ...(deps.books && channel ? { subscriptions: deps.books({ platform: 'slack', channel }) } : {}),
    ...(deps.schedules && channel ? { schedules: deps.schedules({ platform: 'slack', channel }) } : {}),
    ...(deps.drafts ? { drafts: deps.drafts } : {}),
    user,
    ...(channel ? { channel } : {}),
  };
}

/** Slack's permission checks for a command, typed or pressed: SLACK_ADMINS_ONLY, and editors for /drafts. */
async function gate(command: Command, user: string, deps: SlackDeps): Promise<Reply | undefined> {
  return (await adminsOnly(command, user, deps)) ?? (await editorsOnly(command, user, deps));
}

/** The refusal for someone who is not an editor using a command for editors (/drafts and draft cards' buttons). */
async function editorsOnly(command: Command, user: string, deps: SlackDeps): Promise<Reply | undefined> {
  if (command.permission !== 'editors' || (deps.isEditor && (await deps.isEditor(user)))) return undefined;
  return errorReply(
    `Only editors may use /${command.name}: members of the editors' channel, and those on the editors' list. Ask an editor.`,
  );
}

/** The most members of the editors' channel read to decide one request (pages of 1,000). */
const MAX_MEMBER_PAGES = 20;

/** How long the editors' channel's member list is reused: a removed member stops being an editor within this. */
export const EDITORS_TTL_MS = 5_000;

/**
 * Whether a user is an editor: on the allow-list, or a member of the editors' channel (conversations.members).
 * The list is read at most once every EDITORS_TTL_MS, shared by the requests meanwhile: asked at each request,
 * anyone typing /drafts in a loop spent the method's rate limit (Tier 4) and editors' presses then waited on
 * Slack's Retry-After past their 3 seconds. A failed lookup counts as no, and is not kept.
 */
function editorCheck(app: App, editors: { channel?: string; users: string[] }): (user: string) => Promise<boolean> {
  let cached: { at: number; members: Promise<Set<string> | undefined> } | undefined;
  const members = (channel: string) => {
    if (cached && Date.now() - cached.at < EDITORS_TTL_MS) return cached.members;
    const entry: { at: number; members: Promise<Set<string> | undefined> } = {
      at: Date.now(),
      members: Promise.resolve(undefined),
    };
    entry.members = (async () => {
      try {
        const found = new Set<string>();
        let cursor: string | undefined;
        for (let page = 0; page < MAX_MEMBER_PAGES; page++) {
          const result = await app.client.conversations.members({
            channel,
            limit: 1000,
            ...(cursor ? { cursor } : {}),
          });
          for (const member of result.members ?? []) found.add(member);
          cursor = result.response_metadata?.next_cursor || undefined;
          if (!cursor) break;
        }
        return found;
      } catch (error) {
        app.logger.warn(`conversations.members ${channel}: ${oneLine(error)}`);
        if (cached === entry) cached = undefined;
        return undefined;
      }
    })();
    cached = entry;
    return entry.members;
  };
  return async (user) => {
    if (editors.users.includes(user)) return true;
    if (!editors.channel) return false;
    return (await members(editors.channel))?.has(user) ?? false;
  };
}

/** With SLACK_ADMINS_ONLY, the refusal for someone who is not an admin using a command that changes a channel's setup. */
async function adminsOnly(command: Command, user: string, deps: SlackDeps): Promise<Reply | undefined> {
  if (command.permission !== 'channel-managers' || !deps.isAdmin || (await deps.isAdmin(user))) return undefined;
  return errorReply(
    `In this workspace only Slack admins and owners may use /${command.name}: this app is set so that only they can change a channel's setup. Ask one of them.`,
  );
}

/**
 * Why Hotline could not post in a channel, asked of Slack (conversations.info): not a member (chat:write
 * posts only where the bot is one), or archived. A lookup that fails for another reason (a missing scope
 * on an app installed before it was added, Slack down) says nothing: the first post that fails then
 * pauses the schedule and tells its maker.
 */
function membershipCheck(app: App): (channel: string) => Promise<string | undefined> {
  const invite = "it is not a member of this channel (add it in the channel's details, under Integrations)";
  return async (channel) => {
    try {
      const { channel: info } = await app.client.conversations.info({ channel });
      if (info?.is_archived) return 'the channel is archived';
      if (info && info.is_member === false && !info.is_im) return invite;
      return undefined;
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error === 'channel_not_found') return invite;
      app.logger.warn(`conversations.info ${channel}: ${oneLine(error)}`);
      return undefined;
    }
  };
}

/** Whether a user is a workspace admin or owner, asked of Slack (users.info); a failed lookup counts as no. */
function adminCheck(app: App): (user: string) => Promise<boolean> {
  return async (user) => {
    try {
      const { user: info } = await app.client.users.info({ user });
      return Boolean(info?.is_admin || info?.is_owner || info?.is_primary_owner);
    } catch (error) {
      app.logger.warn(`users.info ${user}: ${oneLine(error)}`);
      return false;
    }
  };
}

function toMessage(reply: Reply, inChannel: boolean): RespondArguments {
  return { response_type: inChannel ? 'in_channel' : 'ephemeral', ...renderSlack(reply) };
}

/** The input blocks of a submitted modal that are not optional and were submitted blank (what a person sees). */
function blankRequiredFields(blocks: readonly unknown[], fields: Readonly<Record<string, string>>): string[] {
  return (blocks as { type?: string; block_id?: string; optional?: boolean }[])
    .filter((b) => b.type === 'input' && b.optional !== true && typeof b.block_id === 'string')
    .map((b) => b.block_id as string)
    .filter((name) => visibleText(fields[name] ?? '').trim() === '');
}

/** A refusal of a submitted form, with what was typed in it: the modal is closed, and an edit is not lost. */
function withTyped(reply: Reply, fields: Readonly<Record<string, string>>): Reply {
  const typed = Object.values(fields)
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (typed.length === 0) return reply;
  return {
    ...reply,
    blocks: [...reply.blocks, { type: 'text', text: `Your form was not saved: ${typed.join('\n')}` }],
  };
}
