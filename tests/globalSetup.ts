// Runs once before the whole suite (vitest's globalSetup), so the processes tests start run compiled JavaScript
// instead of compiling TypeScript through tsx at every start (most of a child's start-up CPU; docs/TESTING.md):
// - dist/ is rebuilt (`npm run build`) when a source is newer than it: bin/hotline.js runs dist/ only when it is
//   at least as new as every source, and would otherwise fall back to tsx in each CLI test;
// - the crash and two-instance tests' child program (tests/fakes/notifierChild.ts) is bundled with esbuild into
//   node_modules/.cache/hotline-tests/, where NotifierChild finds it (packages stay external, imported from
//   node_modules as usual; source maps inline, so a child's stack trace points at the .ts lines).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { distIsFresh } from '../bin/build.cjs';
import { CHILD_BUNDLE_DIR } from './fakes/childBundle.js';

const ROOT = join(import.meta.dirname, '..');

export default async function setup(): Promise<void> {
  const built = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  if (process.env.HOTLINE_FROM_SOURCE !== '1' && !distIsFresh(ROOT, built)) {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  await build({
    entryPoints: [join(ROOT, 'tests', 'fakes', 'notifierChild.ts')],
    outdir: CHILD_BUNDLE_DIR,
    bundle: true,
    splitting: true, // the scheduler's modules stay behind their dynamic import, as in the source
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
}
