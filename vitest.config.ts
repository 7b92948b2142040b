// Test runner configuration: every test under tests/, in parallel forks (docs/TESTING.md says what runs where).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Compiles dist/ when stale and bundles the crash tests' child program, once per run.
    globalSetup: ['tests/globalSetup.ts'],
    // Gives each file its own in-memory state (see isolate below).
    setupFiles: ['tests/setup.ts'],
    // Generous: a test fails for being wrong, never for being slow on a busy machine (issue 17).
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Vitest's default is one fork fewer than the cores: a single fork on 2 cores, so the files ran one after
    // another while most of them wait (on child processes, leases, stores) rather than compute. Four forks
    // keep both cores busy.
    maxWorkers: 4,
    // Each fork keeps the modules it loaded from one test file to the next instead of loading them again for
    // every file (tens of seconds of the run): no test patches a module or the environment of its own process.
    isolate: false,
    // The transformed test and source modules are kept in node_modules/.experimental-vitest-cache, keyed by each
    // file's content, so a later run does not transform them again (about 8 s of the main process's CPU; a fresh
    // clone's first run still does). `npx vitest --clearCache` empties it.
    experimental: { fsModuleCache: true },
  },
});
