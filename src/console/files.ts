// Files of answers in the console and `hotline ask` (/export): written under .hotline/exports/, and a line saying where.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reply } from '../core/reply.js';

/** Where the console writes the files of its answers. */
export const EXPORT_DIR = join('.hotline', 'exports');

/**
 * Writes the reply's file (byte for byte, UTF-8) under `dir` by its name and returns the line to print, or
 * undefined when the reply has none. The name is the command's own (letters, digits, hyphens and a dot).
 */
export function saveFile(reply: Reply, dir = EXPORT_DIR): string | undefined {
  if (!reply.file) return undefined;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, reply.file.name);
  writeFileSync(path, reply.file.text, 'utf8');
  return `File: ${path}`;
}
