#!/usr/bin/env node
// Entry point of the `hotline` command: runs the TypeScript sources through tsx (no build step needed).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
