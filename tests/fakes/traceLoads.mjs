// Loaded with `node --import`: at exit, prints to stderr which of the heavy packages were loaded (they are
// CommonJS, so they show in the require cache however they were imported), so a test can check that a
// command loads only what it needs (issue 17).
import { createRequire } from 'node:module';

const WATCHED = [
  'discord.js',
  '@slack/bolt',
  '@slack/web-api',
  '@discordjs/rest',
  '@redis/client',
  'pg',
  'prom-client',
  // The feed parsers, which run on the watcher's parse worker (each thread has its own require cache).
  '@rowanmanning/feed-parser',
  '@mozilla/readability',
];
const require = createRequire(import.meta.url);
process.on('exit', () => {
  const files = Object.keys(require.cache);
  const loaded = WATCHED.filter((name) => files.some((f) => f.includes(`/node_modules/${name}/`)));
  process.stderr.write(`loaded: ${loaded.join(' ') || '(none)'}\n`);
});
