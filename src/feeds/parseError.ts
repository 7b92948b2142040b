// The error of a body the watcher cannot read as its source's kind: thrown by the parsers (src/feeds/parse.ts),
// and by the parse worker's owner for a parse cut off or stopped (src/feeds/parser.ts). Its own module, so the
// main thread can tell it without loading the parsing libraries.

/** A body the watcher cannot read as its source's kind. */
export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseError';
  }
}
