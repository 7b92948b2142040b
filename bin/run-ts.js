#!/usr/bin/env node
// Runs a TypeScript file (benchmarks, scripts) through tsx: node bin/run-ts.js bench/catalog.bench.ts
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const file = process.argv[2];
if (!file) {
  console.error('usage: node bin/run-ts.js FILE.ts [args…]');
  process.exit(2);
}
await import(pathToFileURL(resolve(file)).href);
