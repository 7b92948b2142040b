// Charts in the console and `hotline ask`: a reply's chart written to a PNG file, and a line saying where.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PostFile } from '../core/poster.js';
import type { Reply } from '../core/reply.js';

/** Where the console writes the charts of its answers and of what is posted to it. */
export const CHART_DIR = join('.hotline', 'charts');

/** Writes `file` to `path` and returns the line the console prints for it. */
export function writeChartFile(file: PostFile, path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, file.data);
  return `Chart: ${path}\n${file.alt}`;
}

/**
 * Draws the reply's chart and writes it to `path` (or, without one, to CHART_DIR under its own name); returns
 * the line to print, or undefined when the reply has no chart. A chart that cannot be drawn is said so, and
 * never holds the answer back.
 */
export async function saveChart(reply: Reply, path?: string): Promise<string | undefined> {
  if (!reply.chart) return undefined;
  const { chartFile } = await import('../charts/contactsChart.js');
  const { file, error } = await chartFile(reply);
  if (!file) return `The chart could not be drawn (${error ?? 'unknown'}).`;
  return writeChartFile(file, path ?? join(CHART_DIR, file.name));
}
