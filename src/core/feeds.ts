// The sources the feed watcher polls (data/feeds.yaml, or another file in its format): parsed and checked
// like the record's files, every problem named by file, source name and field.
import { parseFile } from './build.js';
import type { DataFile } from './catalog.js';
import type { DataError } from './errors.js';
import { type Feed, FeedsFileSchema } from './schema.js';
import { normalize } from './text.js';

/** The checked sources, or every problem found. */
export type FeedsResult = { ok: true; feeds: Feed[] } | { ok: false; errors: DataError[] };

/** Parses and checks a feeds file: the schema, then names and URLs used twice. */
export function checkFeeds(file: DataFile): FeedsResult {
  const errors: DataError[] = [];
  const feeds: Feed[] = parseFile(file, FeedsFileSchema, errors, new Set(), undefined, false, 'name');
  const names = new Map<string, string>();
  const urls = new Map<string, string>();
  for (const feed of feeds) {
    const at = (field: string, reason: string) => errors.push({ file: file.path, id: feed.name, field, reason });
    const name = normalize(feed.name);
    const sameName = names.get(name);
    if (sameName !== undefined) at('name', `duplicate name (also "${sameName}")`);
    else names.set(name, feed.name);
    const url = urlKey(feed.url);
    const sameUrl = urls.get(url);
    if (sameUrl !== undefined) at('url', `the same address as "${sameUrl}"; poll each feed once`);
    else urls.set(url, feed.name);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, feeds };
}

/** "N feeds (M confirmed)": what `hotline data check` says of a good feeds file. */
export function feedsSummary(feeds: readonly Feed[]): string {
  const confirmed = feeds.filter((feed) => feed.confirmed).length;
  return `${feeds.length} feed${feeds.length === 1 ? '' : 's'} (${confirmed} confirmed)`;
}

/**
 * A URL as a server answers it: scheme, letter case of the host and a final slash make no difference, so
 * "http://Example.org/feed/" and "https://example.org/feed" are one source polled twice.
 */
function urlKey(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname.replace(/\/+$/, '')}${parsed.search}`;
  } catch {
    return url; // the schema has already refused it
  }
}
