// Whether the compiled build in dist/ is fresh: the file given exists and is at least as new as every TypeScript
// source (src/ and commands/). bin/hotline.js runs the build only then, the tests rebuild it when it is not, and
// the feed parser's worker, started from the sources (tsx, vitest), runs its compiled entry only then.
// CommonJS, so the parser can require it synchronously from the sources.
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** The newest modification time of a .ts file under `dir`. */
function newestSource(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newestSource(path));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

/** True when `built` (a file in `root`'s dist/) exists and is no older than any source under `root`. */
function distIsFresh(root, built) {
  return (
    existsSync(built) &&
    statSync(built).mtimeMs >= Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'commands')))
  );
}

module.exports = { distIsFresh };
