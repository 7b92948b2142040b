// How many subscriptions a channel may have by default: its own module, so the configuration (src/config.ts) can
// name it without loading the book of subscriptions.

/** The most subscriptions one channel may have, unless configured otherwise (MAX_SUBSCRIPTIONS_PER_CHANNEL). */
export const DEFAULT_MAX_PER_CHANNEL = 25;
