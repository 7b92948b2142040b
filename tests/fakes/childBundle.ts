// Where tests/globalSetup.ts bundles the child program the crash and two-instance tests start (notifierChild.ts).
import { join } from 'node:path';
import { packageRoot } from '../../src/dataFiles.js';

/** Inside node_modules, so the bundle's bare imports (libsql, keyv …) resolve from the project as usual. */
export const CHILD_BUNDLE_DIR = join(packageRoot(), 'node_modules', '.cache', 'hotline-tests');
