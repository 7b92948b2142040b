#!/usr/bin/env node
// Entry point of the `hotline` command. It runs the compiled JavaScript in dist/ (built by `npm ci`
// through the `prepare` script, or `npm run build`) when that build is at least as new as every source
// file; otherwise, while sources are being edited, it compiles the TypeScript on the fly with tsx.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './build.cjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'src', 'cli', 'main.js');
const fresh = process.env.HOTLINE_FROM_SOURCE !== '1' && distIsFresh(root, built);

if (fresh) {
  // Stack traces point at the .ts lines through the build's source maps.
  process.setSourceMapsEnabled(true);
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
