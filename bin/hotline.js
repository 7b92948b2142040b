#!/usr/bin/env node
// Entry point of the `hotline` command. It runs the compiled JavaScript in dist/ (built by `npm ci`
// through the `prepare` script, or `npm run build`) when that build is at least as new as every source
// file; otherwise, while sources are being edited, it compiles the TypeScript on the fly with tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'src', 'cli', 'main.js');

/** The newest modification time of a .ts file under `dir`. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const fresh =
  process.env.HOTLINE_FROM_SOURCE !== '1' &&
  existsSync(built) &&
  statSync(built).mtimeMs >= Math.max(newest(join(root, 'src')), newest(join(root, 'commands')));

if (fresh) {
  // Stack traces point at the .ts lines through the build's source maps.
  process.setSourceMapsEnabled(true);
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
