// Log levels, named once for the configuration and every adapter.

/** How much a running bot logs: debug, info (default), warn or error. */
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

/** The levels in order, least severe first. */
export const LOG_LEVEL_NAMES: readonly LogLevelName[] = ['debug', 'info', 'warn', 'error'];
