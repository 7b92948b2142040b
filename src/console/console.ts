// The local console: the same commands answered from the bundled data, interactive or scripted.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Completer, createInterface } from 'node:readline';
import type { Catalog } from '../core/catalog.js';
import type { Command } from '../core/command.js';
import { suggest } from '../core/complete.js';
import type { Day } from '../core/dates.js';
import { ask, splitLine } from '../core/dispatch.js';
import type { DraftDesk } from '../core/drafts.js';
import type { ScheduleBook } from '../core/schedule.js';
import type { SubscriptionBook } from '../core/subscription.js';
import { CHART_DIR, saveChart, writeChartFile } from './charts.js';
import { saveFile } from './files.js';
import { CONSOLE_CHANNEL, type ConsolePoster } from './poster.js';
import { renderText } from './render.js';

/** What the console needs: data, commands, a way to learn today's date, and its streams. */
export interface ConsoleOptions {
  /** Read at each use, so the caller may replace it while the console runs. */
  catalog: Catalog;
  commands: readonly Command[];
  today: () => Day;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Interactive (prompt, history, completion) when true; otherwise one answer per input line. */
  interactive: boolean;
  /** Where interactive history is kept between sessions; none when undefined. */
  historyFile?: string;
  /** The console channel's subscriptions, when state is open. */
  subscriptions?: SubscriptionBook;
  /** The console channel's digest schedules. */
  schedules?: ScheduleBook;
  /** The review of drafts: whoever runs the console is an editor, as with `hotline drafts`. */
  drafts?: DraftDesk;
  /** Notices posted to the console channel, printed as they come. */
  poster?: ConsolePoster;
}

const HISTORY_LIMIT = 1000;

/** Runs until the input ends or the person types exit. Resolves when done. */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  // options.catalog is read at each use: the service replaces it when events are added at run time.
  const { commands, output, interactive } = options;
  const history = interactive && options.historyFile ? readHistory(options.historyFile) : [];
  const rl = createInterface({
    input: options.input,
    output: interactive ? output : undefined,
    terminal: interactive,
    history,
    historySize: HISTORY_LIMIT,
    ...(interactive ? { completer: (line: string) => completer(options.catalog, commands)(line) } : {}),
  });
  const print = (text: string) => output.write(`${text}\n`);
  const width = () => (interactive ? Math.max(60, (output as NodeJS.WriteStream).columns ?? 100) : 100);
  // A notice arrives between answers: print it above the prompt, then show the prompt (and what was typed) again.
  options.poster?.attach((reply, files) => {
    if (interactive) output.write('\r\x1b[K');
    print(`${renderText(reply, width())}\n`);
    for (const file of files) print(`${writeChartFile(file, join(CHART_DIR, file.name))}\n`);
    if (interactive) rl.prompt(true);
  });
  if (interactive) {
    print(`Hotline console · ${options.catalog.count} events on record · today is ${options.today()}`);
    print(
      'Ask as you would in Slack or Discord, e.g. /lastcontact level:minister. /help lists commands; exit or Ctrl-D quits.\n',
    );
    rl.setPrompt('hotline> ');
    rl.prompt();
  }
  let first = true;
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit') break;
    if (line !== '' && !line.startsWith('#')) {
      if (interactive && options.historyFile) appendHistory(options.historyFile, line);
      const { reply } = await ask(line, {
        catalog: options.catalog,
        commands,
        now: options.today(),
        channel: CONSOLE_CHANNEL,
        ...(options.subscriptions ? { subscriptions: options.subscriptions } : {}),
        ...(options.schedules ? { schedules: options.schedules } : {}),
        ...(options.drafts ? { drafts: options.drafts } : {}),
      });
      if (!interactive && !first) print('');
      print(renderText(reply, width()));
      // A digest's chart is drawn to a file, and its path printed under the answer.
      const chart = await saveChart(reply);
      if (chart) print(`\n${chart}`);
      // An export is written to a file, and its path printed under the answer.
      const file = saveFile(reply);
      if (file) print(`\n${file}`);
      if (interactive) print('');
      first = false;
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}

/** Tab completion: command names, option names, choices and values from the data. */
export function completer(catalog: Catalog, commands: readonly Command[]): Completer {
  return (line: string) => {
    if (!/\s/.test(line.trimStart())) {
      const names = commands.map((c) => `/${c.name} `);
      const hits = names.filter((n) => n.startsWith(line.trim().startsWith('/') ? line.trim() : `/${line.trim()}`));
      return [hits.length > 0 ? hits : names, line.trim()];
    }
    const { name } = splitLine(line);
    const command = commands.find((c) => c.name === name);
    const word = /(\S+:"[^"]*|\S*)$/.exec(line)?.[1] ?? '';
    if (!command) return [[], word];
    const colon = word.indexOf(':');
    if (colon === -1) {
      const names = command.options.map((o) => `${o.name}:`);
      return [names.filter((n) => n.startsWith(word)), word];
    }
    const option = command.options.find((o) => o.name === word.slice(0, colon));
    const typed = word.slice(colon + 1).replace(/^"/, '');
    const values =
      option?.choices?.map((c) => c.value) ??
      (option?.completion ? suggest(catalog, commands, option.completion, typed).map((c) => c.value) : []);
    const prefix = word.slice(0, colon + 1);
    // Values that start with what was typed come first; matches inside a name only when there are none,
    // because readline replaces the typed word with the hits' common prefix.
    const starting = values.filter((v) => v.toLowerCase().startsWith(typed.toLowerCase()));
    const chosen = starting.length > 0 || option?.completion === undefined ? starting : values;
    return [chosen.map((v) => (/\s/.test(v) ? `${prefix}"${v}"` : `${prefix}${v}`)), word];
  };
}

function readHistory(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_LIMIT).reverse();
}

function appendHistory(file: string, line: string): void {
  try {
    appendFileSync(file, `${line}\n`);
  } catch {
    // History is a convenience; a read-only home directory must not stop the console.
  }
}
