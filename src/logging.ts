// Log levels, named once for the configuration and every adapter.

/** How much a running bot logs: debug, info (default), warn or error. */
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

/** The levels in order, least severe first. */
export const LOG_LEVEL_NAMES: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error'];

/** Where a part's log lines go. */
export type Log = (level: LogLevelName, message: string) => void;

/** A line logger on stderr, tagged with the part ("discord", "jobs"), that drops lines below `level`. */
export function logger(level: LogLevelName, tag: string): Log {
  return (at, message) => {
    if (LOG_LEVEL_NAMES.indexOf(at) >= LOG_LEVEL_NAMES.indexOf(level))
      console.error(`[hotline ${tag}] ${at}: ${message}`);
  };
}
