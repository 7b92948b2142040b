// The `hotline` command line: start (console for now), ask one question, check the data.
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InvalidArgumentError, Option, Command as Program } from 'commander';
import { ConfigError, publicUrl as checkPublicUrl, type StartPlan, startPlan } from '../config.js';
import type { ConsoleOptions } from '../console/console.js';
import { CONSOLE_CHANNEL, ConsolePoster } from '../console/poster.js';
import type { BuildResult, Catalog, CatalogEvent } from '../core/catalog.js';
import { withPublicUrl } from '../core/command.js';
import type { Day } from '../core/dates.js';
import { type DataError, formatDataError, UserError } from '../core/errors.js';
import type { Poster } from '../core/poster.js';
import type { Reply } from '../core/reply.js';
import type { Schedule } from '../core/schedule.js';
import type { Place } from '../core/subscription.js';
import { isDay } from '../core/vocabulary.js';
import { defaultDataDir, packageRoot, readDataFile, readDataFiles } from '../dataFiles.js';
import { configureLogging, type Log, logger } from '../logging.js';
import type { Check } from '../ops/http.js';
import { lazyScheduleBook } from '../schedules/book.js';
import type { Service } from '../service.js';
import { DEFAULT_STATE_FILE, sqliteFile } from '../state/backend.js';
import type { State } from '../state/index.js';
import { addFeedsCommands, feedsToWatch } from './feeds.js';

// Each command loads what it needs in its action: the commands and the answering code (the commands, the dates and
// search libraries, the catalog cache), a store, an adapter. What is imported above is what every command line
// needs to be parsed; `hotline log`, `ingest` or `data check` load no command.

/** The commands people type, loaded by the actions that answer or describe them. */
const loadCommands = async () => (await import('../../commands/index.js')).COMMANDS;

/** Today's date (UTC), or `now` when --now gave one: the answering actions' clock. */
const todayOr = async (now: Day | undefined): Promise<() => Day> => {
  const { utcToday } = await import('../core/dates.js');
  return () => now ?? utcToday(new Date());
};

/** Exit codes: 0 answered, 1 failure (bad data, bad configuration), 2 the question could not be answered as asked. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

// A reader that goes away (`hotline … | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/**
 * What digest schedules need from the commands and the charts: the digest a run posts (the /digest command on
 * the schedule's filters and window, linking events to their pages under `publicUrl` where PUBLIC_URL is set)
 * and its chart, drawn with chart.js loaded only when a digest is drawn.
 */
const scheduling = (publicUrl?: string) => ({
  digest: async (catalog: Catalog, schedule: Schedule, slot: Date, previous: Date | undefined) => {
    const [{ scheduledDigest }, commands] = await Promise.all([
      import('../../commands/digestSchedule.js'),
      loadCommands(),
    ]);
    return scheduledDigest({ catalog, commands, ...(publicUrl ? { publicUrl } : {}) }, schedule, slot, previous);
  },
  chart: async (reply: Reply) => (await import('../charts/contactsChart.js')).chartFile(reply),
});

const program = new Program('hotline')
  .description('Hotline: US–China military-to-military contacts, with sources')
  .version(packageVersion(), '-v, --version')
  .showHelpAfterError()
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage));

const dataOption = () => new Option('--data <dir>', 'data directory (default: the bundled data/, or $HOTLINE_DATA)');
const nowOption = () =>
  new Option('--now <date>', 'answer as if today were this date (YYYY-MM-DD)').argParser(parseDay);

program
  .command('start')
  .description(
    'start Hotline: the Slack app and/or the Discord bot when SLACK_*/DISCORD_TOKEN are set, else the local console',
  )
  .addOption(dataOption())
  .addOption(nowOption())
  .action(async (opts: { data?: string; now?: Day }) => {
    let plan: StartPlan;
    try {
      plan = startPlan(process.env);
    } catch (error) {
      if (error instanceof ConfigError) fail(error.message);
      throw error;
    }
    if (!plan.slack && !plan.discord) return consoleAction(opts);
    await configureLogging({ format: plan.logFormat });
    // Loaded only here: `hotline ask`, `data check` and the console never load a chat SDK or the metrics.
    const [
      { startService },
      { createMetrics, measuredCommands, countFeedReport },
      { opsRoutes, startOpsServer },
      { webRoutes },
      { logRevisions },
      COMMANDS,
      { withExportRevisions },
      { searchIndex },
      today,
    ] = await Promise.all([
      import('../service.js'),
      import('../ops/metrics.js'),
      import('../ops/http.js'),
      import('../web/router.js'),
      import('../web/revisions.js'),
      loadCommands(),
      import('../../commands/export.js'),
      import('../core/queries/search.js'),
      todayOr(opts.now),
    ]);
    const slackParts = plan.slack
      ? await Promise.all([
          import('../adapters/slack/index.js'),
          import('../adapters/slack/poster.js'),
          import('../adapters/slack/guard.js'),
          import('../state/replays.js'),
        ])
      : undefined;
    const discordParts = plan.discord
      ? await Promise.all([import('../adapters/discord/index.js'), import('../adapters/discord/poster.js')])
      : undefined;
    const log = (tag: string) => logger(plan.logLevel, tag);
    // Start-up and shutdown lines are written whatever LOG_LEVEL says: an operator always sees them.
    const announce = logger('info', 'start');
    // A promise a library forgot to handle is a bug to log, not a reason to drop every channel's answers.
    process.on('unhandledRejection', (reason) => {
      log('process')(
        'error',
        `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
      );
    });
    const catalog = await loadOrExit(opts.data);
    const watched = await feedsToWatch(plan.feedsWatch, true, opts.data, fail);
    const metrics = createMetrics();
    const posters: Partial<Record<Place['platform'], Poster>> = {
      ...(plan.slack && slackParts
        ? {
            slack: new slackParts[1].SlackPoster(
              slackParts[1].slackWebClient(plan.slack.botToken, plan.slack.apiUrl ? { apiUrl: plan.slack.apiUrl } : {}),
              undefined,
              plan.slack.postsPerSecond ? { postsPerSecond: plan.slack.postsPerSecond } : {},
            ),
          }
        : {}),
      ...(plan.discord && discordParts
        ? {
            discord: new discordParts[1].DiscordPoster(
              discordParts[1].discordRest(
                plan.discord.token,
                plan.discord.apiUrl ? { apiUrl: plan.discord.apiUrl } : {},
              ),
            ),
          }
        : {}),
    };
    let service: Service;
    try {
      service = await startService({
        stateUrl: plan.stateUrl,
        catalog,
        posters,
        log: log('jobs'),
        stateTimeoutMs: plan.stateTimeoutMs,
        maxPerChannel: plan.maxPerChannel,
        // With PUBLIC_URL, notices and scheduled digests link each event to its page, as answers do.
        scheduling: scheduling(plan.publicUrl),
        ...(plan.publicUrl ? { publicUrl: plan.publicUrl } : {}),
        ...(watched
          ? {
              watch: { feeds: watched, onReport: countFeedReport(metrics) },
            }
          : {}),
        editors: {
          ...(plan.slack?.editors?.channel ? { slack: plan.slack.editors.channel } : {}),
          ...(plan.discord?.editors?.channel ? { discord: plan.discord.editors.channel } : {}),
        },
        onStateFault: () => metrics.stateFaults.inc(),
        onLogBackwards: () => metrics.logBackwards.inc(),
        observe: {
          outcome: (platform, outcome) => metrics.notices.inc({ platform, outcome }),
          pending: (platform, due, oldest) => {
            metrics.outboxPending.set({ platform }, due);
            metrics.outboxOldestSeconds.set({ platform }, oldest);
          },
        },
      });
    } catch (error) {
      fail(`could not start: ${(error as Error).message}`);
    }
    const { published } = service;
    announce(
      'info',
      `State: ${service.state.kind}; event log: ${published.new} new, ${published.revised} revised, ${published.unchanged} unchanged.`,
    );
    if (watched)
      announce('info', `Feed watcher: ${watched.length} sources (FEEDS_WATCH=${plan.feedsWatch ?? 'auto'}).`);
    // The event log's revisions, followed incrementally: for event pages, feeds and /export's files.
    const revisions = logRevisions(service.state);
    // Adapters read deps.catalog per request; it is replaced when the event log adds or corrects events.
    const deps = {
      catalog: service.catalog(),
      // With PUBLIC_URL, answers link each event to its page in the web view; /export reads the log's revisions.
      commands: withPublicUrl(
        withExportRevisions(measuredCommands(COMMANDS, metrics), revisions.withRevisions),
        plan.publicUrl,
      ),
      today,
      books: (place: Place) => service.book(place),
      schedules: (place: Place) => service.schedules(place),
      drafts: service.drafts,
    };
    // Build the search index before answering, so no chat answer ever waits for it (Slack and
    // Discord allow 3 seconds; the index takes 10 ms on the bundled data, seconds at 100,000 events).
    searchIndex(deps.catalog);
    service.onCatalog((live) => {
      searchIndex(live);
      deps.catalog = live;
    });
    // Readiness: the store answers, each adapter is connected, and where the jobs stand.
    const connected: Record<string, () => boolean> = {};
    const checks: Record<string, Check> = {
      state: async () => {
        await service.state.leases.get('readyz');
        return { ok: true, detail: `${service.state.kind} answers` };
      },
      jobs: async () => ({
        ok: true,
        detail: (await service.jobs())
          .map(
            (j) => `${j.platform}: ${j.holding ? 'runs here' : 'runs elsewhere or waits'}, ${j.lag} log entries behind`,
          )
          .join('; '),
      }),
    };
    if (service.watcher) {
      const runner = service.watcher;
      checks.feeds = async () => ({
        ok: true,
        detail: `watcher ${runner.holding() ? 'polls here' : 'polls elsewhere or waits'} (hotline feeds list: each source)`,
      });
    }
    // The read-only web view beside /healthz, /readyz and /metrics, on the same port.
    const routes = {
      ...opsRoutes(checks, metrics),
      ...webRoutes({
        catalog: () => deps.catalog,
        commands: COMMANDS,
        today: deps.today,
        baseUrl: () => plan.publicUrl,
        revisions,
        log: log('web'),
      }),
    };
    // Stopped in reverse order: adapters first (no new commands; answers in flight are sent), then jobs and state.
    const running: { stop(): Promise<void> }[] = [service];
    try {
      if (plan.slack && slackParts) {
        const [{ startSlack }, , { memoryReplayCache }, { stateReplayCache }] = slackParts;
        // Replays are refused by every instance, and after a restart: the signatures live in the state store.
        const replays = stateReplayCache(service.state, memoryReplayCache(), log('slack'));
        const slack = await startSlack(
          {
            ...plan.slack,
            replays,
            routes,
            onAck: (seconds) => metrics.ackSeconds.observe({ platform: 'slack' }, seconds),
          },
          deps,
        );
        running.push(slack);
        connected.slack = () => true;
        // The Home tabs people have open show the record as it is now.
        service.onCatalog(() => void slack.refreshHome());
        announce(
          'info',
          slack.port === undefined
            ? 'Hotline is connected to Slack by Socket Mode.'
            : `Hotline is listening for Slack on port ${slack.port} (path /slack/events; the web view at /; /healthz, /readyz, /metrics).`,
        );
      }
      if (plan.discord && discordParts) {
        const discord = await discordParts[0].startDiscord(plan.discord, deps);
        running.push(discord);
        connected.discord = () => discord.client.isReady();
        announce('info', 'Hotline is connected to Discord.');
      }
      for (const [name, isConnected] of Object.entries(connected)) {
        checks[name] = async () =>
          isConnected() ? { ok: true, detail: 'connected' } : { ok: false, detail: 'not connected' };
      }
      if (plan.metricsPort !== undefined) {
        const ops = await startOpsServer(routes, plan.metricsPort, plan.slack?.host ?? '0.0.0.0');
        running.push(ops);
        announce('info', `/healthz, /readyz, /metrics and the web view on port ${ops.port}.`);
      }
    } catch (error) {
      await stopInOrder(running);
      fail(`could not start: ${(error as Error).message}`);
    }
    onShutdown(running, announce);
  });

/** Stops the parts newest first; each gets its chance even if another fails. */
async function stopInOrder(running: readonly { stop(): Promise<void> }[]): Promise<void> {
  for (const part of [...running].reverse()) await part.stop().catch(() => {});
}

/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_LIMIT_MS = 15_000;

/**
 * On SIGTERM or SIGINT: stop taking commands, send the answers in flight, stop the jobs and release their
 * leases, close the store; exit 0 when done, or 1 if that took longer than SHUTDOWN_LIMIT_MS.
 */
function onShutdown(running: readonly { stop(): Promise<void> }[], log: Log): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log('info', `${signal}: stopping (answers in flight are sent, leases released)…`);
      setTimeout(() => {
        log('error', `still stopping after ${SHUTDOWN_LIMIT_MS} ms; exiting anyway`);
        process.exit(1);
      }, SHUTDOWN_LIMIT_MS).unref();
      void stopInOrder(running).then(() => {
        log('info', 'stopped');
        process.exit(0);
      });
    });
  }
}

program
  .command('console')
  .description('open the local console (interactive on a terminal; one answer per line when piped)')
  .addOption(dataOption())
  .addOption(nowOption())
  .action(consoleAction);

program
  .command('ask')
  .description('answer one command line, e.g. hotline ask "/lastcontact level:minister"')
  .argument('<line...>', 'the command line, as typed in Slack or Discord (quote it to keep its quotes)')
  .addOption(dataOption())
  .addOption(nowOption())
  .addOption(
    new Option('--format <format>', 'text; json (the Reply document); slack or discord (the message each would get)')
      .choices(['text', 'json', 'slack', 'discord'])
      .default('text'),
  )
  .option('--data-only', 'answer from data/ alone, without events added to the event log (hotline ingest)')
  .option('--chart <file>', "write the answer's chart (/digest) to this PNG file")
  .action(
    async (
      words: string[],
      opts: {
        data?: string;
        now?: Day;
        format: 'text' | 'json' | 'slack' | 'discord';
        dataOnly?: boolean;
        chart?: string;
      },
    ) => {
      let catalog = await loadOrExit(opts.data);
      const [COMMANDS, { withExportRevisions }, { ask, splitLine }, { lazyBook }, today] = await Promise.all([
        loadCommands(),
        import('../../commands/export.js'),
        import('../core/dispatch.js'),
        import('../subscriptions/book.js'),
        todayOr(opts.now),
      ]);
      // The state is opened only if the command uses it (/subscribe): the console's channel, in STATE_URL.
      let state: State | undefined;
      let openFailure: Error | undefined; // tried once: a store that failed is not waited for twice
      const open = async () => {
        if (openFailure) throw openFailure;
        try {
          const { openState } = await import('../state/index.js');
          state ??= await openState(process.env.STATE_URL);
          return state;
        } catch (error) {
          openFailure = error as Error;
          throw error;
        }
      };
      // One catalog everywhere: where a state exists (STATE_URL, or the console's file here), the answer
      // includes the events added to its log, as the bots' and the console's do.
      const command = COMMANDS.find((c) => c.name === splitLine(words.join(' ')).name);
      if (!opts.dataOnly && command?.readsEvents !== false && stateExists()) {
        try {
          const { loggedView } = await import('../events/live.js');
          catalog = await loggedView(await open(), catalog);
        } catch (error) {
          writeSync(
            2,
            `hotline: the event log could not be read (${(error as Error).message}); answering from data/ alone\n`,
          );
        }
      }
      let reply: Reply;
      try {
        // /export's files carry the event log's revisions, as `hotline export` does, where a state exists.
        const logged =
          !opts.dataOnly && stateExists()
            ? async (events: readonly CatalogEvent[]) => {
                const { withoutRevisions } = await import('../export/revisions.js');
                try {
                  return await (await import('../web/revisions.js')).logRevisions(await open()).withRevisions(events);
                } catch {
                  return withoutRevisions(events); // the store failed: said above, answered from data/ alone
                }
              }
            : undefined;
        ({ reply } = await ask(words.join(' '), {
          catalog,
          commands: withPublicUrl(withExportRevisions(COMMANDS, logged), configuredPublicUrl(undefined)),
          now: today(),
          channel: CONSOLE_CHANNEL,
          subscriptions: lazyBook(
            open,
            { platform: 'console', channel: CONSOLE_CHANNEL },
            undefined,
            maxPerChannel(process.env.MAX_SUBSCRIPTIONS_PER_CHANNEL),
          ),
          schedules: lazyScheduleBook(open, { platform: 'console', channel: CONSOLE_CHANNEL }),
        }));
      } catch (error) {
        fail((error as Error).message);
      } finally {
        await (state as State | undefined)?.close();
      }
      // Each platform's renderer is loaded only when its format is asked for.
      const rendered = await {
        text: async () => (await import('../console/render.js')).renderText(reply),
        // The chart's data is left out: it is drawn (--chart), not read; so is a file's text (it is written).
        json: async () =>
          JSON.stringify(
            { ...reply, chart: undefined, file: reply.file ? { ...reply.file, text: undefined } : undefined },
            null,
            2,
          ),
        slack: async () => JSON.stringify((await import('../adapters/slack/render.js')).renderSlack(reply), null, 2),
        discord: async () =>
          JSON.stringify((await import('../adapters/discord/render.js')).renderDiscord(reply), null, 2),
      }[opts.format]();
      process.stdout.write(`${rendered}\n`);
      // An export is written under .hotline/exports/, as the console writes it; where, on stdout under a text
      // answer, on stderr under a document (which stays one JSON value).
      const { saveFile } = await import('../console/files.js');
      const file = saveFile(reply);
      if (file) (opts.format === 'text' ? process.stdout : process.stderr).write(`\n${file}\n`);
      if (opts.chart !== undefined) {
        const { saveChart } = await import('../console/charts.js');
        const line = reply.chart
          ? await saveChart(reply, opts.chart)
          : 'This answer has no chart (only /digest draws one).';
        process.stderr.write(`${line}\n`);
      }
      process.exitCode = reply.tone === 'error' ? EXIT.usage : EXIT.ok;
    },
  );

program
  .command('export')
  .description('write the events matching /timeline filters to stdout as CSV, JSON, ICS (calendar) or Atom (feed)')
  .argument('[filters...]', 'the /timeline filter words, e.g. topic:taiwan since:2023-01-01 level:minister')
  .addOption(
    new Option('--format <format>', 'csv, json, ics or atom')
      .choices(['csv', 'json', 'ics', 'atom'])
      .makeOptionMandatory(),
  )
  .addOption(dataOption())
  .addOption(nowOption())
  .option('--data-only', 'export data/ alone, without the event log (its events, corrections and revision numbers)')
  .option('--public-url <url>', "the web view's public base URL, for links to event pages (default: $PUBLIC_URL)")
  .action(
    async (
      words: string[],
      opts: {
        format?: 'csv' | 'json' | 'ics' | 'atom';
        data?: string;
        now?: Day;
        dataOnly?: boolean;
        publicUrl?: string;
      },
    ) => {
      if (!opts.format) fail('give --format csv, json, ics or atom, e.g. hotline export --format csv level:minister');
      const [exports, select, revisions] = await Promise.all([
        import('../export/index.js'),
        import('../export/select.js'),
        import('../export/revisions.js'),
      ]);
      let catalog = await loadOrExit(opts.data);
      let log: Awaited<ReturnType<typeof revisions.readWholeLog>> | undefined;
      // As `hotline ask`: the event log's events and corrections where a state exists, with their revisions.
      if (!opts.dataOnly && stateExists()) {
        try {
          const [{ openState }, { loggedView }] = await Promise.all([
            import('../state/index.js'),
            import('../events/live.js'),
          ]);
          const state = await openState(process.env.STATE_URL);
          try {
            catalog = await loggedView(state, catalog);
            log = await revisions.readWholeLog(state);
          } finally {
            await state.close();
          }
        } catch (error) {
          writeSync(
            2,
            `hotline: the event log could not be read (${(error as Error).message}); exporting data/ alone\n`,
          );
        }
      }
      let selection: ReturnType<typeof select.selectEvents>;
      try {
        selection = select.selectEvents(catalog, select.lineOf(words), (await todayOr(opts.now))());
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        writeSync(2, `hotline: ${select.usageMessage(error, opts.format)}\n`);
        process.exit(EXIT.usage);
      }
      const publicUrl = configuredPublicUrl(opts.publicUrl);
      const text = await exports.exportEvents(opts.format, {
        catalog,
        events: log ? revisions.withRevisions(selection.events, log) : revisions.withoutRevisions(selection.events),
        filter: selection.filter,
        scope: selection.scope,
        generated: new Date().toISOString(),
        ...(publicUrl ? { publicUrl } : {}),
      });
      process.stdout.write(text);
    },
  );

program
  .command('serve')
  .description('serve the read-only web view: the board, timeline, event and person pages, feeds and exports')
  .option('--port <n>', 'the port to listen on (0: any free port)', parsePort, 8080)
  .option('--host <address>', 'the address to listen on (0.0.0.0: every interface)', '127.0.0.1')
  .option('--public-url <url>', 'the address people reach it at, for citations and feed links (default: $PUBLIC_URL)')
  .addOption(dataOption())
  .addOption(nowOption())
  .option('--data-only', 'serve data/ alone, without the event log (its events, corrections and revisions)')
  .action(
    async (opts: { port: number; host: string; publicUrl?: string; data?: string; now?: Day; dataOnly?: boolean }) => {
      const publicUrl = configuredPublicUrl(opts.publicUrl);
      const [{ webListener }, { startWebServer }, { logRevisions }, COMMANDS, today] = await Promise.all([
        import('../web/router.js'),
        import('../web/server.js'),
        import('../web/revisions.js'),
        loadCommands(),
        todayOr(opts.now),
      ]);
      let catalog = await loadOrExit(opts.data);
      // As `hotline ask`: the event log's events and corrections where a state exists, with their revisions.
      let state: State | undefined;
      if (!opts.dataOnly && stateExists()) {
        try {
          const [{ openState }, { loggedView }] = await Promise.all([
            import('../state/index.js'),
            import('../events/live.js'),
          ]);
          state = await openState(process.env.STATE_URL);
          catalog = await loggedView(state, catalog);
        } catch (error) {
          await state?.close();
          state = undefined;
          writeSync(2, `hotline: the event log could not be read (${(error as Error).message}); serving data/ alone\n`);
        }
      }
      let base: string | undefined = publicUrl;
      const listener = webListener({
        catalog: () => catalog,
        commands: COMMANDS,
        today,
        baseUrl: () => base,
        ...(state ? { revisions: logRevisions(state) } : {}),
        log: logger('info', 'web'),
      });
      let web: Awaited<ReturnType<typeof startWebServer>>;
      try {
        web = await startWebServer(listener, opts.port, opts.host);
      } catch (error) {
        await state?.close();
        fail(`could not listen on ${opts.host}:${opts.port}: ${(error as Error).message}`);
      }
      base ??= web.url;
      const opened = state;
      const announce = logger('info', 'serve');
      announce('info', `Hotline web view: ${web.url}/ (Ctrl-C stops)`);
      onShutdown([...(opened ? [{ stop: () => opened.close() }] : []), web], announce);
    },
  );

const slack = program.command('slack').description('Slack: the app manifest');

slack
  .command('manifest')
  .description('print the Slack app manifest (JSON) built from the commands, for "Create an app from a manifest"')
  .option('--socket-mode', 'the app connects by Socket Mode (no public URL)')
  .option('--request-url <url>', 'the public https URL Slack sends commands to, e.g. https://example.org/slack/events')
  .option('--app-name <name>', 'the app name shown in Slack', 'Hotline')
  .option('--single-command', 'declare only /hotline (every command as /hotline <name>)')
  .action(async (opts: { socketMode?: boolean; requestUrl?: string; appName: string; singleCommand?: boolean }) => {
    if (!opts.socketMode && !opts.requestUrl) {
      fail('give --socket-mode, or --request-url https://…/slack/events for an app that receives HTTP requests.');
    }
    const [{ slackManifest }, COMMANDS] = await Promise.all([import('../adapters/slack/manifest.js'), loadCommands()]);
    try {
      const manifest = slackManifest(COMMANDS, {
        socketMode: Boolean(opts.socketMode),
        ...(opts.requestUrl ? { requestUrl: opts.requestUrl } : {}),
        appName: opts.appName,
        singleCommand: Boolean(opts.singleCommand),
      });
      process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
    } catch (error) {
      fail((error as Error).message);
    }
  });

const discord = program.command('discord').description('Discord: command registration');

discord
  .command('register')
  .description('register the application commands (bulk overwrite, so it can be run again safely)')
  .option('--guild <id>', 'register in one server only (takes effect at once)')
  .option('--dry-run', 'print the payload instead of sending it')
  .action(async (opts: { guild?: string; dryRun?: boolean }) => {
    const [{ registrationPayload, validatePayload }, { DEFAULT_API_URL, putCommands }, COMMANDS] = await Promise.all([
      import('../adapters/discord/register.js'),
      import('../adapters/discord/rest.js'),
      loadCommands(),
    ]);
    const payload = registrationPayload(COMMANDS, { scope: opts.guild ? 'guild' : 'global' });
    const problems = validatePayload(payload);
    if (problems.length > 0) fail(`the command definitions break Discord's rules:\n${problems.join('\n')}`);
    if (opts.dryRun) {
      process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
      return;
    }
    const token = process.env.DISCORD_TOKEN;
    const applicationId = process.env.DISCORD_APPLICATION_ID;
    if (!token) fail('DISCORD_TOKEN is not set: give the bot token from the Developer Portal (or use --dry-run).');
    if (!applicationId) fail('DISCORD_APPLICATION_ID is not set: give the application id (or use --dry-run).');
    try {
      const count = await putCommands(
        {
          apiUrl: process.env.DISCORD_API_URL || DEFAULT_API_URL,
          token,
          applicationId,
          ...(opts.guild ? { guildId: opts.guild } : {}),
        },
        payload,
      );
      console.log(
        `Registered ${count} commands ${opts.guild ? `in server ${opts.guild}` : 'globally (may take up to an hour to appear)'}.`,
      );
    } catch (error) {
      fail((error as Error).message);
    }
  });

const data = program.command('data').description('check the data and print its statistics');

data
  .command('check')
  .description('validate every data file; list every error as file: event id: field: reason')
  .argument('[dir]', 'data directory (default: the bundled data/)')
  .action(async (dir: string | undefined) => {
    const target = dir ?? defaultDataDir();
    const [{ loadFeeds }, { feedsSummary }] = await Promise.all([import('../load.js'), import('../core/feeds.js')]);
    let feeds: ReturnType<typeof loadFeeds>;
    try {
      feeds = loadFeeds(target);
    } catch (error) {
      fail((error as Error).message);
    }
    const result = await loadOrReport(target, true, false, feeds?.ok === false ? feeds.errors : []);
    if (!result) return;
    const { catalog } = result;
    console.log(
      `${displayPath(target)}: ok · ${catalog.events.length} events, ${catalog.people.size} people, ${catalog.mechanisms.size} mechanisms, ${catalog.topics.size} topics${feeds?.ok ? ` · ${feedsSummary(feeds.feeds)}` : ''}`,
    );
  });

data
  .command('stats')
  .description('count events by year, level, kind and mechanism')
  .argument('[dir]', 'data directory (default: the bundled data/)')
  .action(async (dir: string | undefined) => {
    const result = await loadOrReport(dir ?? defaultDataDir());
    if (result) console.log((await import('./stats.js')).dataStats(result.catalog));
  });

const stateOption = () =>
  new Option(
    '--state <url>',
    'where state lives: sqlite:PATH, redis://…, postgres://… (default: $STATE_URL, else .hotline/state.db)',
  );

program
  .command('ingest')
  .description('check a file of events (the data/events/YYYY.yaml format) and publish it to the event log')
  .argument('<file>', 'the YAML file of events; a bad file changes nothing')
  .addOption(dataOption())
  .addOption(stateOption())
  .action(async (path: string, opts: { data?: string; state?: string }) => {
    let text: string;
    try {
      text = readDataFile(path);
    } catch (error) {
      fail(`cannot read ${path}: ${(error as Error).message}`);
    }
    const { checkIngest, ingestEvents } = await import('../events/ingest.js');
    const { lastSeq } = await import('../events/log.js');
    const dir = opts.data ?? defaultDataDir();
    let checked: ReturnType<typeof checkIngest>;
    try {
      checked = checkIngest(readDataFiles(dir), { path, text });
    } catch (error) {
      fail((error as Error).message);
    }
    if (!checked.ok) {
      for (const error of checked.errors) writeSync(2, `${formatDataError(error)}\n`);
      // The data folder's own errors are named as its, not the file's (their lines name files inside it).
      const inFile = checked.errors.filter((error) => error.file === path).length;
      const inData = checked.errors.length - inFile;
      const inDataText = `${inData} error${inData === 1 ? '' : 's'} in ${displayPath(dir)} (hotline data check lists them)`;
      fail(
        inFile === 0
          ? `${path} could not be checked: ${inDataText}; nothing was ingested`
          : `${path}: ${inFile} error${inFile === 1 ? '' : 's'}${inData > 0 ? `, and ${inDataText}` : ''}; nothing was ingested`,
      );
    }
    const { events } = checked;
    await withState(opts.state, async (state) => {
      await publishDataFirst(state, dir, () => loadOrExit(dir));
      const counts = await ingestEvents(state, events, new Date().toISOString()).catch((error) =>
        error instanceof UserError ? fail(error.message) : Promise.reject(error),
      );
      console.log(
        `ingested ${events.length} event${events.length === 1 ? '' : 's'}: ${counts.new} new, ${counts.revised} revised, ${counts.unchanged} unchanged (log now at seq ${await lastSeq(state)})`,
      );
    });
  });

addFeedsCommands(program, { dataOption, stateOption, loadOrExit, withState, fail });

const drafts = program
  .command('drafts')
  .description('review drafts of events proposed from feeds: list, show, approve, reject, merge, edit, export');

/**
 * Publishes data/ first into a store it was never published whole into, as a bot's first start would publish it,
 * and says so: a correction of a data/ event published now (`hotline ingest`, a draft approved or merged from
 * the command line) is then its later revision, and that first start finds data/ published instead of publishing
 * data/'s version over the correction. A publication stopped half-way (a killed ingest or first start) is
 * finished, or an event of data/ it had not reached would be logged first.
 */
async function publishDataFirst(state: State, dir: string, load: () => Promise<Catalog>): Promise<void> {
  const { dataUnpublished } = await import('../events/live.js');
  const unpublished = await dataUnpublished(state);
  if (!unpublished) return;
  const { publishCatalog } = await import('../events/log.js');
  const catalog = await load();
  const published = await publishCatalog(state, catalog, new Date().toISOString());
  const s = catalog.count === 1 ? '' : 's';
  // 'half-way' cannot tell a publication that stopped from one still under way (a first start at this moment, with
  // nothing yet that marks it): the message says both, not that a process was killed.
  // Events the stopped publication logged with other content (other data/, an older deploy) get a revision: said.
  const revised = published.revised > 0 ? `, and a new revision of ${published.revised} it has changed since` : '';
  console.log(
    unpublished === 'empty' && published.new === catalog.count
      ? `this store's event log was empty: published the ${published.new} event${s} of ${displayPath(dir)} first, as a bot's first start would`
      : `${displayPath(dir)} had not been published whole into this store (${unpublished === 'empty' ? 'another process was publishing it' : 'a first start or an ingest publishing it stopped half-way, or is still at it'}): published the ${published.new} of its ${catalog.count} event${s} not logged yet first${revised}, as a first start would`,
  );
}

/** The options every `hotline drafts` step takes. */
interface DraftsOptions {
  data?: string;
  state?: string;
  by?: string;
  status?: string;
  reason?: string;
}

/** Runs one `hotline drafts` step (src/drafts/cli.ts, loaded only here) and exits 2 when it was not done as asked. */
async function draftsAction(
  action: 'list' | 'show' | 'approve' | 'reject' | 'merge' | 'edit' | 'export',
  id: string | undefined,
  args: string[],
  opts: DraftsOptions,
): Promise<void> {
  const base = await loadOrExit(opts.data);
  const { runDrafts } = await import('../drafts/cli.js');
  await withState(opts.state, async (state) => {
    const outcome = await runDrafts(
      state,
      base,
      {
        action,
        ...(id !== undefined ? { id } : {}),
        args,
        ...(opts.status !== undefined ? { status: opts.status } : {}),
        ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
        by: opts.by ?? process.env.USER ?? 'cli',
      },
      () => new Date(),
      // Only once approve or merge is to publish: a refused step changes nothing, not even by publishing data/.
      () => publishDataFirst(state, opts.data ?? defaultDataDir(), async () => base),
    );
    if (outcome.stdout) process.stdout.write(outcome.stdout);
    if (outcome.stderr) writeSync(2, outcome.stderr);
    process.exitCode = outcome.code;
  });
}

const draftsStep = (name: string, description: string) =>
  drafts
    .command(name)
    .description(description)
    .addOption(dataOption())
    .addOption(stateOption())
    .option('--by <name>', 'who decides, as recorded on the draft (default: $USER)');

draftsStep('list', 'list the drafts with a status (default pending)')
  .option('--status <status>', 'pending, approved, merged or rejected', 'pending')
  .action((opts: DraftsOptions) => draftsAction('list', undefined, [], opts));
draftsStep('show', "one draft's card: the event it proposes, confidences, sources, decisions")
  .argument('<id>', 'the draft number')
  .action((id: string, opts: DraftsOptions) => draftsAction('show', id, [], opts));
draftsStep('approve', "publish the draft's event to the event log (checked as data/ is); subscribers get the notice")
  .argument('<id>', 'the draft number')
  .action((id: string, opts: DraftsOptions) => draftsAction('approve', id, [], opts));
draftsStep('reject', 'close the draft without publishing, with a reason')
  .argument('<id>', 'the draft number')
  .requiredOption('--reason <text>', 'why the draft is not an event to publish')
  .action((id: string, opts: DraftsOptions) => draftsAction('reject', id, [], opts));
draftsStep('merge', "add the draft's sources to an event on record (a revision)")
  .argument('<id>', 'the draft number')
  .argument('<event>', 'the id of the event on record')
  .action((id: string, event: string, opts: DraftsOptions) => draftsAction('merge', id, [event], opts));
draftsStep('edit', 'set fields of a draft: field=value … (refused, changing nothing, when the schema refuses a value)')
  .argument('<id>', 'the draft number')
  .argument('<changes...>', 'field=value, e.g. level=minister "summary=…"')
  .action((id: string, changes: string[], opts: DraftsOptions) => draftsAction('edit', id, changes, opts));
draftsStep(
  'export',
  'print the events of approved and merged drafts as YAML in the format of data/events/YYYY.yaml',
).action((opts: DraftsOptions) => draftsAction('export', undefined, [], opts));

const schedules = program.command('schedules').description('digest schedules: run the ones due at a given time');

schedules
  .command('run-due')
  .description('run every digest schedule due at an instant, exactly as the job would, printing what it posts')
  .requiredOption('--at <time>', 'the instant, ISO 8601 (e.g. 2026-12-07T14:00:00Z)', parseInstant)
  .addOption(dataOption())
  .addOption(stateOption())
  .action(async (opts: { at: Date; data?: string; state?: string }) => {
    const base = await loadOrExit(opts.data);
    const [{ Scheduler }, { loggedView }, { writeChartFile, CHART_DIR }, { renderText }] = await Promise.all([
      import('../jobs/scheduler.js'),
      import('../events/live.js'),
      import('../console/charts.js'),
      import('../console/render.js'),
    ]);
    await withState(opts.state, async (state) => {
      const catalog = await loggedView(state, base);
      let posted = 0;
      // Every platform's digests are printed here, as the console prints what is posted to it.
      const printer: Poster = {
        async post(channel, reply, options = {}) {
          posted += 1;
          console.log(`── ${channel} ──\n${renderText(reply)}\n`);
          for (const file of options.files ?? []) console.log(`${writeChartFile(file, join(CHART_DIR, file.name))}\n`);
          return { ok: true, messageId: `printed-${posted}` };
        },
        async direct(user, reply) {
          console.log(`── to ${user} ──\n${renderText(reply)}\n`);
          return { ok: true, messageId: 'printed' };
        },
      };
      const scheduler = new Scheduler({
        state,
        catalog: () => catalog,
        ...scheduling(configuredPublicUrl(undefined)),
        posters: { console: printer, slack: printer, discord: printer },
        clock: () => opts.at,
        log: logger('warn', 'schedules'),
      });
      const queued = await scheduler.queueDue();
      await scheduler.deliverDue();
      console.log(
        queued === 0 && posted === 0
          ? `Nothing due at ${opts.at.toISOString()}.`
          : `${queued} schedule${queued === 1 ? '' : 's'} due at ${opts.at.toISOString()}; ${posted} digest${posted === 1 ? '' : 's'} posted.`,
      );
    });
  });

program
  .command('log')
  .description('print the event log: seq, id and revision of each entry')
  .option('--after <n>', 'start after this sequence number', parseCount, 0)
  .option('--limit <n>', 'print at most this many entries', parseCount, 100)
  .addOption(stateOption())
  .action(async (opts: { after: number; limit: number; state?: string }) => {
    // Only an embedded file that is not there yet is an empty log; any other STATE_URL is opened, and a wrong one
    // named as withState names it (redacted), not called empty.
    const stateUrl = (opts.state ?? process.env.STATE_URL)?.trim();
    const file = embeddedFile(stateUrl);
    if (file !== undefined && file !== ':memory:' && !existsSync(file)) {
      console.error(`hotline: no store at ${stateUrl || DEFAULT_STATE_FILE} yet: its event log is empty`);
      return;
    }
    const { readLog } = await import('../events/log.js');
    await withState(opts.state, async (state) => {
      for (const entry of await readLog(state, opts.after, opts.limit)) {
        console.log(`${entry.seq}\t${entry.id}\trevision ${entry.revision}`);
      }
    });
  });

/**
 * Whether there is a state to read the event log from, without creating one: an embedded file that exists
 * (STATE_URL's, or the console's .hotline/state.db here), or any other STATE_URL (Redis, PostgreSQL, or a wrong
 * one, which opening then names). Reading never makes a file.
 */
function stateExists(): boolean {
  const file = embeddedFile(process.env.STATE_URL);
  // Any other URL is opened, so a wrong one is named (not passed over, answering from data/ alone unsaid).
  if (file === undefined) return true;
  return file !== ':memory:' && existsSync(file);
}

/**
 * The file an embedded store opens: STATE_URL's (`sqlite:…`, `file:…`), or the console's .hotline/state.db here when
 * none is given; undefined for a URL of another scheme.
 */
function embeddedFile(url: string | undefined): string | undefined {
  const given = url?.trim();
  if (!given) return resolve(process.cwd(), DEFAULT_STATE_FILE);
  return /^(sqlite|file):/i.test(given) ? sqliteFile(given, process.cwd()) : undefined;
}

/** Opens the state (--state, else STATE_URL), runs `action`, and closes it; a store that cannot be opened fails. */
async function withState(url: string | undefined, action: (state: State) => Promise<void>): Promise<void> {
  let state: State;
  try {
    const { openState } = await import('../state/index.js');
    state = await openState(url ?? process.env.STATE_URL);
  } catch (error) {
    fail((error as Error).message);
  }
  try {
    await action(state);
  } finally {
    await state.close();
  }
}

function parseInstant(value: string): Date {
  const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? new Date(value)
    : undefined;
  if (!instant || Number.isNaN(instant.getTime())) {
    throw new InvalidArgumentError('write an instant as 2026-12-07T14:00:00Z (ISO 8601, with Z or an offset).');
  }
  return instant;
}

function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new InvalidArgumentError('Give a port from 0 to 65535, e.g. 8080.');
  return Number(value);
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Give a whole number, e.g. 10.');
  return Number(value);
}

async function consoleAction(opts: { data?: string; now?: Day }): Promise<void> {
  const catalog = await loadOrExit(opts.data);
  const poster = new ConsolePoster();
  let service: Service;
  try {
    const plan = startPlan(process.env);
    const watched = await feedsToWatch(plan.feedsWatch, false, opts.data, fail);
    const { startService } = await import('../service.js');
    service = await startService({
      stateUrl: plan.stateUrl,
      catalog,
      posters: { console: poster },
      // The console shows warnings and errors of its jobs unless LOG_LEVEL asks for more.
      log: logger(process.env.LOG_LEVEL ? plan.logLevel : 'warn', 'jobs'),
      stateTimeoutMs: plan.stateTimeoutMs,
      maxPerChannel: plan.maxPerChannel,
      scheduling: scheduling(),
      ...(watched ? { watch: { feeds: watched } } : {}),
    });
  } catch (error) {
    fail((error as Error).message);
  }
  try {
    const [{ logRevisions }, COMMANDS, { withExportRevisions }, today] = await Promise.all([
      import('../web/revisions.js'),
      loadCommands(),
      import('../../commands/export.js'),
      todayOr(opts.now),
    ]);
    const options: ConsoleOptions = {
      catalog: service.catalog(),
      // /export's files carry the event log's revisions, as `hotline export` does.
      commands: withExportRevisions(COMMANDS, logRevisions(service.state).withRevisions),
      today,
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      historyFile: process.env.HOTLINE_HISTORY ?? join(homedir(), '.hotline_history'),
      subscriptions: service.book({ platform: 'console', channel: CONSOLE_CHANNEL }),
      schedules: service.schedules({ platform: 'console', channel: CONSOLE_CHANNEL }),
      drafts: service.drafts,
      poster,
    };
    service.onCatalog((live) => {
      options.catalog = live;
    });
    const { runConsole } = await import('../console/console.js');
    await runConsole(options);
  } finally {
    await service.stop();
  }
}

async function loadOrReport(
  dir: string,
  showWarnings = false,
  cached = false,
  /** Problems found in the folder besides the record's (feeds.yaml), listed with them. */
  more: readonly DataError[] = [],
): Promise<{ catalog: Catalog } | undefined> {
  let result: BuildResult;
  try {
    // Answering uses the cached catalog when data/ and the validating code are unchanged; `data check`
    // always validates afresh.
    result = cached
      ? await (await import('../catalogCache.js')).loadCatalogCached(dir)
      : (await import('../load.js')).loadCatalog(dir);
  } catch (error) {
    fail((error as Error).message);
  }
  if (result.ok) {
    if (showWarnings) for (const warning of result.warnings) console.error(`warning: ${formatDataError(warning)}`);
    if (more.length === 0) return { catalog: result.catalog };
  }
  const errors = [...(result.ok ? [] : result.errors), ...more];
  for (const error of errors) writeSync(2, `${formatDataError(error)}\n`);
  console.error(`${displayPath(dir)}: ${errors.length} error${errors.length === 1 ? '' : 's'}`);
  process.exitCode = EXIT.failure;
  return undefined;
}

async function loadOrExit(dir?: string): Promise<Catalog> {
  const loaded = await loadOrReport(dir ?? defaultDataDir(), false, true);
  if (!loaded) process.exit(EXIT.failure);
  return loaded.catalog;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** A path as the person would type it: relative to where they are, when it is below it. */
function displayPath(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
}

function parseDay(value: string): Day {
  if (!isDay(value)) throw new InvalidArgumentError('Write the date as YYYY-MM-DD, e.g. 2024-02-01.');
  return value;
}

/** The web view's public base URL: `--public-url`, else PUBLIC_URL, checked as `start` checks it (or none). */
function configuredPublicUrl(flag: string | undefined): string | undefined {
  const value = flag ?? process.env.PUBLIC_URL;
  if (value === undefined || value.trim() === '') return undefined;
  try {
    return checkPublicUrl(value, flag === undefined ? 'PUBLIC_URL' : '--public-url');
  } catch (error) {
    fail((error as Error).message);
  }
}

/** MAX_SUBSCRIPTIONS_PER_CHANNEL for one-shot commands (ask), checked as `start` checks it. */
function maxPerChannel(value: string | undefined): number {
  try {
    return startPlan({ MAX_SUBSCRIPTIONS_PER_CHANNEL: value }).maxPerChannel;
  } catch (error) {
    fail((error as Error).message);
  }
}

function fail(message: string): never {
  // Written synchronously: process.exit would cut off what is still queued for a pipe.
  writeSync(2, `hotline: ${message}\n`);
  process.exit(EXIT.failure);
}

await program.parseAsync(process.argv);
