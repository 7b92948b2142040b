// Where the watcher parses what sources answer. A 5 MB feed takes seconds to parse (feed-parser, linkedom,
// Readability), and on the main thread those seconds would block every Slack and Discord command (Slack wants its
// ack within 3 s): the watcher parses on a worker thread instead, one long-lived worker, started at the first
// parse and ended when the watcher stops. Each parse is bounded in time: past the bound the worker is ended (the
// only way to stop a parse that never returns), the parse fails as that source's error, and the next one starts a
// new worker. `inThreadParser` parses on the calling thread (a single poll, tests): same functions, same answers.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Feed } from '../core/schema.js';
import type { ParsedItem } from './parse.js';
import { ParseError } from './parseError.js';

/** Parses source answers and article pages. */
export interface FeedParser {
  /** The items of a source's answer, read as its kind says; rejects with ParseError when it cannot. */
  parseSource(feed: Pick<Feed, 'kind' | 'items'>, body: string, url: string): Promise<ParsedItem[]>;
  /** The main text of an article page, undefined when there is none. */
  extractText(html: string, url: string): Promise<string | undefined>;
  /** Ends the worker, if any: a parse in flight fails. */
  close(): Promise<void>;
}

/** How long one parse may take on the worker: a 5 MB feed parses in about 4 s on a busy machine. */
export const PARSE_TIMEOUT_MS = 15_000;

/**
 * The worker's heap: 4.9 MB answers (a feed, a listing, an article) leave 90–160 MB in use once parsed, while a
 * 4.9 MB page of 612,500 empty paragraphs took Readability 13 s and a 1.5 GB peak (docs/PERFORMANCE.md). Past the
 * bound the worker alone is ended and the parse fails; on the main thread, running out of heap ends the process.
 */
export const PARSE_HEAP_MB = 512;

/** Bounds of the parse worker. */
export interface ParseLimits {
  timeoutMs: number;
  /** The worker's old-generation heap, in MB. */
  maxHeapMb: number;
}

/** What the main thread sends the worker. */
export type ParseRequest =
  | { kind: 'source'; feed: Pick<Feed, 'kind' | 'items'>; body: string; url: string }
  | { kind: 'article'; html: string; url: string };

/** What the worker answers: the value, or the error's message (and whether it was a ParseError). */
export type ParseReply = { ok: true; value: unknown } | { ok: false; parseError: boolean; message: string };

/** Parses on the calling thread (the parsing libraries are loaded at its first parse, not with this module). */
export const inThreadParser: FeedParser = {
  parseSource: async (feed, body, url) => (await import('./parse.js')).parseSource(feed, body, url),
  extractText: async (html, url) => (await import('./parse.js')).extractText(html, url),
  close: async () => {},
};

/** Parses on a worker thread, each parse within the limits (PARSE_TIMEOUT_MS and PARSE_HEAP_MB by default). */
export function workerParser(limits: Partial<ParseLimits> = {}): FeedParser {
  return new WorkerParser({ timeoutMs: PARSE_TIMEOUT_MS, maxHeapMb: PARSE_HEAP_MB, ...limits });
}

class WorkerParser implements FeedParser {
  /** The worker, once asked for: resolved when it has loaded the parsers and said so. */
  private thread: { worker: Worker; ready: Promise<Worker> } | undefined;
  /** Requests run one after another: the bound measures a parse, not the wait behind others. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly limits: ParseLimits) {}

  parseSource(feed: Pick<Feed, 'kind' | 'items'>, body: string, url: string): Promise<ParsedItem[]> {
    const { kind, items } = feed;
    return this.run({ kind: 'source', feed: { kind, ...(items ? { items } : {}) }, body, url }) as Promise<
      ParsedItem[]
    >;
  }

  extractText(html: string, url: string): Promise<string | undefined> {
    return this.run({ kind: 'article', html, url }) as Promise<string | undefined>;
  }

  async close(): Promise<void> {
    this.closed = true;
    const thread = this.thread;
    this.thread = undefined;
    await thread?.worker.terminate();
  }

  private run(request: ParseRequest): Promise<unknown> {
    const result = this.queue.then(() => this.send(request));
    this.queue = result.catch(() => {});
    return result;
  }

  private async send(request: ParseRequest): Promise<unknown> {
    const stopping = () => new ParseError('not parsed: the watcher is stopping');
    if (this.closed) throw stopping();
    const worker = await this.started().catch((error) => {
      throw this.closed ? stopping() : error;
    });
    // Closed while it started: its exit may have been told already.
    if (this.thread?.worker !== worker) throw stopping();
    return new Promise((resolve, reject) => {
      const settle = (done: () => void) => {
        clearTimeout(timer);
        worker.off('message', answered);
        worker.off('error', failed);
        worker.off('exit', ended);
        // Idle, the worker must not keep the process alive; busy, it must (a one-shot poll awaits its answer).
        worker.unref();
        done();
      };
      const answered = (reply: ParseReply) =>
        settle(() => {
          if (reply.ok) resolve(reply.value);
          else reject(reply.parseError ? new ParseError(reply.message) : new Error(reply.message));
        });
      const failed = (error: Error) => {
        this.end(worker);
        settle(() => reject(new ParseError(`the parser failed: ${error.message}`)));
      };
      const ended = (code: number) => {
        this.end(worker);
        settle(() => reject(this.closed ? stopping() : new ParseError(`the parser ended (${code})`)));
      };
      const timer = setTimeout(() => {
        this.end(worker);
        settle(() =>
          reject(
            new ParseError(`parsing took more than ${this.limits.timeoutMs / 1000} s: cut off (the parser restarts)`),
          ),
        );
      }, this.limits.timeoutMs);
      worker.on('message', answered);
      worker.on('error', failed);
      worker.on('exit', ended);
      worker.ref();
      worker.postMessage(request);
    });
  }

  /** The running worker, started if there is none. */
  private started(): Promise<Worker> {
    if (this.thread) return this.thread.ready;
    const worker = startWorker(this.limits.maxHeapMb);
    const ready = new Promise<Worker>((resolve, reject) => {
      const settle = (done: () => void) => {
        worker.off('message', answered);
        worker.off('error', failed);
        worker.off('exit', ended);
        done();
      };
      const answered = () => settle(() => resolve(worker));
      const failed = (error: Error) =>
        settle(() => reject(new ParseError(`the parser did not start: ${error.message}`)));
      const ended = (code: number) => settle(() => reject(new ParseError(`the parser did not start (${code})`)));
      worker.once('message', answered);
      worker.on('error', failed);
      worker.on('exit', ended);
    });
    // Always heard: an error no request is waiting on (an 'error' event with no listener would end the process)
    // only ends this worker; the next parse starts another.
    worker.on('error', () => this.end(worker));
    worker.on('exit', () => this.end(worker));
    const thread = { worker, ready };
    this.thread = thread;
    // A worker that failed to start is forgotten: the next parse tries a new one.
    ready.catch(() => this.end(worker));
    return ready;
  }

  /** Ends `worker` and forgets it, so the next parse starts another. */
  private end(worker: Worker): void {
    if (this.thread?.worker === worker) this.thread = undefined;
    void worker.terminate();
  }
}

/**
 * The worker: in the build (dist/, `npm start`), the compiled parseWorker.js beside this file. From the TypeScript
 * sources (tsx, vitest), the build's parseWorker.js when dist/ is fresh, else a worker that registers tsx (a dependency: bin/hotline.js runs the sources with it) and
 * then imports parseWorker.ts; tsx is resolved from here, so the worker finds it whatever the working directory.
 */
function startWorker(maxHeapMb: number): Worker {
  // None of the process's own flags: a worker inherits them by default, and some make it fail to start
  // (`node --input-type=module -e …` does), while none is needed to parse.
  const options = { name: 'hotline-parse', execArgv: [], resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } };
  const here = import.meta.url;
  if (here.endsWith('.js')) return new Worker(new URL('./parseWorker.js', here), options);
  // From the sources, the build's worker when it is fresh (as bin/hotline.js decides; the tests rebuild it before
  // they run): it starts in a third of the CPU of registering tsx and compiling the parsers in the worker.
  const root = fileURLToPath(new URL('../../', here));
  const compiled = join(root, 'dist', 'src', 'feeds', 'parseWorker.js');
  const { distIsFresh } = createRequire(here)('../../bin/build.cjs') as {
    distIsFresh: (r: string, b: string) => boolean;
  };
  if (process.env.HOTLINE_FROM_SOURCE !== '1' && distIsFresh(root, compiled)) return new Worker(compiled, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./parseWorker.ts', here).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    { ...options, eval: true },
  );
}
