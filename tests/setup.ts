// Runs before each test file (vitest's setupFiles). The forks keep loaded modules from one file to the next
// (`isolate: false` in vitest.config.ts), so what a module holds is reset here: each file gets its own in-memory
// state, as it did when every file loaded the modules afresh.
import { beforeAll } from 'vitest';
import { freshMemory } from './helpers.js';

beforeAll(freshMemory);
