// An article's text for an item whose feed gives only a short summary: the page fetched and its main text
// extracted (on the parse worker: extractText, src/feeds/parse.ts). Failure is an answer, never an error: the
// watcher then reads the summary alone.
import type { Fetch, FetchOptions } from './fetch.js';

/** A summary shorter than this (in characters of plain text) sends the watcher to the article. */
export const SHORT_SUMMARY = 280;

/** The article's text, or why there is none. */
export type ArticleText = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Fetches `url` and extracts its main text (`options` bound where its redirects may go and what it may connect to)
 * with `extract` (the watcher's parse worker, src/feeds/parser.ts).
 */
export async function articleText(
  fetch: Fetch,
  url: string,
  options: FetchOptions,
  extract: (html: string, url: string) => Promise<string | undefined>,
): Promise<ArticleText> {
  try {
    const page = await fetch(url, undefined, options);
    if (page.status !== 'ok') return { ok: false, reason: 'no page (304)' };
    const text = await extract(page.body, page.url);
    return text ? { ok: true, text } : { ok: false, reason: 'no article text found on the page' };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
