// Reply: the platform-neutral answer a command returns; each adapter renders it within its limits.
import type { ContactSeries } from './queries/contactsByMonth.js';
import { visibleText } from './text.js';

/** One part of a reply's body. All text is plain: renderers escape it and add their own markup. */
export type Block =
  /** A paragraph. */
  | { type: 'text'; text: string }
  /** Short label/value pairs, shown side by side where the platform can. */
  | { type: 'fields'; fields: Field[] }
  /** A list of lines under an optional heading. */
  | { type: 'list'; heading?: string; items: string[] }
  /** Two or more texts meant to be read side by side, e.g. each side's readout. */
  | { type: 'columns'; columns: Field[] };

/** A label and its value. */
export interface Field {
  label: string;
  value: string;
}

/** A source a reply rests on: where a person can check it. */
export interface SourceRef {
  title: string;
  publisher: string;
  url: string;
  date?: string;
  /** Set when the page is one side's official readout. */
  readout?: 'US' | 'PRC';
}

/**
 * A button under an answer. Pressing it runs `line` as if it had been typed, through the same command
 * and the same permission checks; the line is carried in the button itself, so it works after a restart.
 */
export interface Action {
  /** What the button says: "Next page". */
  label: string;
  /** The command line it runs: "/timeline level:minister page:2". */
  line: string;
  /**
   * "reply": the answer goes privately to whoever pressed; "replace": it takes the place of the message the
   * button is on (paging a private answer); "share": it is posted in the channel for everyone; "run": as if
   * typed, so it goes where the command's answers go (a change to the channel's setup is posted there);
   * "form": a form (a modal) asks for the rest of the line first (Command.form), then the line runs with what was
   * filled in, and its answer takes the place of the message the button is on.
   */
  mode: 'reply' | 'replace' | 'share' | 'run' | 'form';
}

/** A small form a button opens before its line runs (a Slack modal, a Discord modal): one text field or a few. */
export interface Form {
  /** The form's title, at most 24 characters (Slack's modal title limit; Discord's is 45). */
  title: string;
  /** The submit button's word, e.g. "Reject". */
  submit: string;
  /** At most 5 fields (Discord's limit). */
  fields: FormField[];
}

/** One text field of a form: its value becomes the command option of the same name. */
export interface FormField {
  /** The command option it fills. */
  name: string;
  /** What the field asks, at most 45 characters (Discord's limit). */
  label: string;
  /** The text already in it. */
  value?: string;
  /** Several lines. */
  multiline?: boolean;
  /** At most this many characters (Discord allows 4,000). */
  maxLength: number;
  /** Whether it may be left empty. */
  optional?: boolean;
}

/** What a command returns. */
export interface Reply {
  /** "answer" for results, "error" for a question that could not be answered as asked. */
  tone: 'answer' | 'error';
  /** One line, e.g. "Last minister-level contact". */
  title: string;
  blocks: Block[];
  /** The sources behind the answer, in citation order; empty only for help and errors. */
  sources: SourceRef[];
  /** Where the sources not shown are, after the list: "4 more sources: /event 2024-04-16-…". */
  moreSources?: string;
  /** A line for the bottom: the date the answer is as of, and similar. */
  footer?: string;
  /** The answer in one plain sentence, for notifications and clients that show no blocks. */
  fallbackText: string;
  /** Buttons, most useful first; platforms show what fits and the console none (each has a typed equivalent). */
  actions?: Action[];
  /**
   * A chart to draw and attach (src/charts): contacts per month by level. Adapters render it as a PNG and
   * attach it where the platform can; the chart's text alternative goes with it. Never holds the answer back.
   */
  chart?: ContactSeries;
  /**
   * A file made for the asker alone (/export): adapters send it privately (Slack: a direct message; Discord: an
   * attachment of the ephemeral answer; the console: a file under .hotline/exports/). Its text is the file
   * byte for byte (a CSV's byte-order mark included): no renderer cleans or trims it.
   */
  file?: ReplyFile;
}

/** A text file a reply carries: an export. */
export interface ReplyFile {
  /** The file's name, with its extension: "hotline-events-level-minister.csv". */
  name: string;
  /** Its media type: "text/csv". */
  mediaType: string;
  /** Its content (UTF-8 when written). */
  text: string;
  /** What it holds, in words (alt text; Discord's attachment description). */
  alt: string;
}

/** A reply saying what was wrong with the question and how to ask it right. */
export function errorReply(message: string, example?: string): Reply {
  return {
    tone: 'error',
    title: 'Could not answer that',
    blocks: [{ type: 'text', text: message }, ...(example ? [{ type: 'text' as const, text: `Try: ${example}` }] : [])],
    sources: [],
    fallbackText: message,
  };
}

/**
 * The reply with every text stripped of controls and invisible marks (visibleText), before a renderer
 * measures, trims or escapes it: so "empty" means what a person would see as empty.
 */
export function visibleReply(reply: Reply): Reply {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return visibleText(value);
    if (Array.isArray(value)) return value.map(clean);
    if (value !== null && typeof value === 'object') {
      // A chart is numbers; a file is sent as it is, byte for byte (its visible text was cleaned when made).
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, k === 'chart' || k === 'file' ? v : clean(v)]),
      );
    }
    return value;
  };
  return clean(reply) as Reply;
}
