// `hotline feeds check --once [--feeds FILE]` (one pass of the watcher over every source, printed per source)
// and `hotline feeds list` (each source's health). The feed parser, linkedom and undici load only in the actions.
import type { Command, Option } from 'commander';
import { type FeedsWatch, watchesFeeds } from '../config.js';
import type { Catalog } from '../core/catalog.js';
import type { Draft } from '../core/detect/index.js';
import { formatDataError } from '../core/errors.js';
import type { Feed } from '../core/schema.js';
import { visibleText } from '../core/text.js';
import { defaultDataDir, readDataFile } from '../dataFiles.js';
import type { SourceHealth } from '../feeds/memory.js';
import type { SourceReport } from '../feeds/watch.js';
import type { State } from '../state/index.js';

/** What the commands borrow from the main program. */
export interface CliParts {
  dataOption: () => Option;
  stateOption: () => Option;
  loadOrExit: (dir?: string) => Promise<Catalog>;
  withState: (url: string | undefined, action: (state: State) => Promise<void>) => Promise<void>;
  fail: (message: string) => never;
}

/** Adds `feeds check` and `feeds list` to the program. */
export function addFeedsCommands(program: Command, cli: CliParts): void {
  const feeds = program.command('feeds').description('the feed watcher: poll the sources once, or show their health');
  feeds
    .command('check')
    .description('poll every source once, as the watcher does, and print per source the new items, drafts and errors')
    .option('--once', 'run one pass and exit (the watcher itself runs in `hotline start`)')
    .option('--feeds <file>', 'the sources: a file in the feeds.yaml format (default: feeds.yaml of the data folder)')
    .addOption(cli.dataOption())
    .addOption(cli.stateOption())
    .action(async (opts: { once?: boolean; feeds?: string; data?: string; state?: string }) => {
      if (!opts.once) cli.fail('feeds check runs one pass: add --once (the watcher itself runs in `hotline start`)');
      const sources = await readSources(opts.feeds, opts.data, cli.fail);
      const catalog = await cli.loadOrExit(opts.data);
      const [{ httpClient }, { workerParser }, { pollAll }, { draftBook }] = await Promise.all([
        import('../feeds/fetch.js'),
        import('../feeds/parser.js'),
        import('../feeds/watch.js'),
        import('../drafts/book.js'),
      ]);
      await cli.withState(opts.state, async (state) => {
        const http = httpClient();
        // As in the watcher: each parse bounded in time, so a hostile source cannot hold the pass for minutes.
        const parser = workerParser();
        try {
          let reports: Awaited<ReturnType<typeof pollAll>>;
          try {
            reports = await pollAll(sources, { state, catalog: () => catalog, fetch: http.fetch, parser });
          } catch (error) {
            // A source's faults are in its report; what escapes is the state store failing.
            cli.fail(`the pass stopped: ${(error as Error).message}`);
          }
          const book = draftBook(state);
          for (const report of reports) {
            console.log(sourceLine(report));
            for (const { outcome } of report.proposals) {
              if (outcome.outcome === 'cited') {
                console.log(`  already on record and cited: ${outcome.event}`);
                continue;
              }
              const stored = await book.get(outcome.id);
              const what = stored?.match
                ? `suggests a source for ${stored.match.event}`
                : describeDraft(stored?.draft, catalog);
              console.log(`  draft #${outcome.id} ${outcome.outcome}: ${what}`);
            }
          }
          console.log(totals(reports));
        } finally {
          await http.close();
          await parser.close();
        }
      });
    });
  feeds
    .command('list')
    .description("each source's health: last success, last error, items seen, backoff")
    .option('--feeds <file>', 'the sources: a file in the feeds.yaml format (default: feeds.yaml of the data folder)')
    .addOption(cli.dataOption())
    .addOption(cli.stateOption())
    .action(async (opts: { feeds?: string; data?: string; state?: string }) => {
      const sources = await readSources(opts.feeds, opts.data, cli.fail);
      const { feedMemory } = await import('../feeds/memory.js');
      await cli.withState(opts.state, async (state) => {
        const health = await feedMemory(state).healthOf(sources.map((source) => source.name));
        sources.forEach((source, i) => {
          console.log(healthLine(source, health[i]));
        });
      });
    });
}

/**
 * The sources `hotline start` (or the console) has the watcher poll: those of the data folder's feeds.yaml when
 * FEEDS_WATCH says the watcher runs here (see watchesFeeds), else undefined. A bad feeds.yaml fails the start.
 */
export async function feedsToWatch(
  setting: FeedsWatch | undefined,
  chatBot: boolean,
  dataDir: string | undefined,
  fail: (message: string) => never,
): Promise<Feed[] | undefined> {
  // Not watched here whatever the folder holds (FEEDS_WATCH=off, or auto in the console): feeds.yaml is not read.
  if (!watchesFeeds(setting, chatBot, true)) return undefined;
  const { loadFeeds } = await import('../load.js');
  const result = loadFeeds(dataDir ?? defaultDataDir());
  if (!watchesFeeds(setting, chatBot, result !== undefined) || result === undefined) return undefined;
  if (!result.ok) {
    for (const error of result.errors) console.error(formatDataError(error));
    fail(
      `feeds.yaml: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; fix it or set FEEDS_WATCH=off`,
    );
  }
  return result.feeds.length > 0 ? result.feeds : undefined;
}

/** The sources of `--feeds FILE`, or of the data folder's feeds.yaml; a bad or missing file fails, naming each problem. */
async function readSources(
  file: string | undefined,
  dataDir: string | undefined,
  fail: (message: string) => never,
): Promise<Feed[]> {
  const [{ checkFeeds }, { loadFeeds }] = await Promise.all([import('../core/feeds.js'), import('../load.js')]);
  let result: ReturnType<typeof checkFeeds> | undefined;
  if (file !== undefined) {
    let text: string;
    try {
      text = readDataFile(file);
    } catch (error) {
      fail(`cannot read ${file}: ${(error as Error).message}`);
    }
    result = checkFeeds({ path: file, text });
  } else {
    const dir = dataDir ?? defaultDataDir();
    result = loadFeeds(dir);
    if (result === undefined) fail(`${dir} has no feeds.yaml: give the sources with --feeds FILE`);
  }
  if (!result.ok) {
    for (const error of result.errors) console.error(formatDataError(error));
    fail(
      `${file ?? 'feeds.yaml'}: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}; nothing was polled`,
    );
  }
  if (result.feeds.length === 0) fail(`${file ?? 'feeds.yaml'} lists no sources`);
  return result.feeds;
}

/** One line per source: what the pass found, or why it failed. */
export function sourceLine(report: SourceReport): string {
  const name = visibleText(report.feed);
  if (report.status === 'error')
    return `${name}: error: ${visibleText(report.error ?? '')} (next try after ${report.nextPoll})`;
  if (report.status === 'not-modified') return `${name}: not modified`;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const created = report.proposals.filter((p) => p.outcome.outcome === 'created').length;
  const joined = report.proposals.filter((p) => p.outcome.outcome === 'joined').length;
  const parts = [
    `${count(report.fresh - report.old, 'new item')} of ${report.listed}`,
    ...(report.old > 0 ? [`${report.old} older than the age limit skipped`] : []),
    ...(report.left > 0 ? [`${report.left} left for the next poll`] : []),
    `${created} draft${created === 1 ? '' : 's'} created, ${joined} joined`,
    ...(report.articleFailures.length > 0
      ? [`${count(report.articleFailures.length, 'article')} unreadable (summary used)`]
      : []),
  ];
  return `${name}: ${parts.join('; ')}`;
}

/** The last line: the pass in totals. */
function totals(reports: readonly SourceReport[]): string {
  const sum = (f: (r: SourceReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const outcomes = reports.flatMap((r) => r.proposals.map((p) => p.outcome.outcome));
  const created = outcomes.filter((o) => o === 'created').length;
  const joined = outcomes.filter((o) => o === 'joined').length;
  const errors = reports.filter((r) => r.status === 'error').length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(reports.length, 'source')} polled: ${plural(
    sum((r) => r.fresh - r.old),
    'new item',
  )}, ${plural(created, 'draft')} created, ${joined} joined, ${plural(errors, 'error')}.`;
}

/** A draft in a line: date, kind, level, the participants with their titles. */
function describeDraft(draft: Draft | undefined, catalog: Catalog): string {
  if (!draft) return '(gone)';
  const people = draft.participants.map((p) => {
    const who = visibleText((p.person ? catalog.people.get(p.person)?.name : undefined) ?? p.name ?? p.person ?? '?');
    return `${who} (${[p.title, p.side].filter(Boolean).join(', ')})`;
  });
  return [
    draft.date ?? 'date unknown',
    draft.kind ?? 'kind unknown',
    draft.level ?? 'level unknown',
    people.join(' and '),
  ]
    .filter((part) => part !== '')
    .join(' · ');
}

function healthLine(source: Feed, health: SourceHealth | undefined): string {
  const name = visibleText(source.name);
  if (!health) return `${name}\tnever polled`;
  return [
    name,
    `last success ${health.lastSuccess ?? 'never'}`,
    `last error ${health.lastError ? `${health.lastError.at}: ${visibleText(health.lastError.message)}` : 'none'}`,
    `${health.itemsSeen} item${health.itemsSeen === 1 ? '' : 's'} seen`,
    ...(health.backoffUntil ? [`backed off until ${health.backoffUntil} (${health.failures} failures in a row)`] : []),
  ].join('\t');
}
