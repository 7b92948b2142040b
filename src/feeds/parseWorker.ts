// The entry of the parse worker (src/feeds/parser.ts starts it on a thread of its own): reads each request, parses
// it with the same functions the main thread would (so the XML entity guard runs before any parser, as there), and
// answers with the items or the error. One request at a time: the main thread sends the next once this one answers.
import { parentPort } from 'node:worker_threads';
import { extractText, parseSource } from './parse.js';
import { ParseError } from './parseError.js';
import type { ParseReply, ParseRequest } from './parser.js';

const port = parentPort;
if (!port) throw new Error('src/feeds/parseWorker.ts runs as a worker thread (src/feeds/parser.ts starts it)');

port.on('message', (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply =
      request.kind === 'source'
        ? { ok: true, value: parseSource(request.feed, request.body, request.url) }
        : { ok: true, value: extractText(request.html, request.url) };
  } catch (error) {
    reply = { ok: false, parseError: error instanceof ParseError, message: (error as Error).message };
  }
  port.postMessage(reply);
});
port.postMessage('ready');
