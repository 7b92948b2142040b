// Test runner configuration: every test under tests/, run in parallel forks on 2 cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Generous: a test fails for being wrong, never for being slow on a busy machine (issue 17).
    testTimeout: 180_000,
    pool: 'forks',
  },
});
