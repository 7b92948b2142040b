// An article's text for an item whose feed gives only a short summary: the page fetched and read with
// Mozilla's Readability over linkedom's DOM (jsdom needs Node 22). Failure is an answer, never an error:
// the watcher then reads the summary alone.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
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
  options: FetchOptions = {},
  extract: (html: string, url: string) => Promise<string | undefined> | string | undefined = extractText,
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

/** The main text of an HTML page (Readability), as plain text; undefined when it finds none. */
export function extractText(html: string, url: string): string | undefined {
  try {
    const { document } = parseHTML(html);
    // linkedom's document stands in for the DOM's (Readability is typed for lib.dom, which this project leaves out).
    // Readability resolves links against the document's URL; linkedom's documents have none of their own.
    const base = document.createElement('base');
    base.setAttribute('href', url);
    document.head?.appendChild(base);
    const article = new Readability(document as never, { charThreshold: 100 }).parse();
    if (!article?.content) return undefined;
    // textContent runs paragraphs together ("…a call.Secretary…"): end each block with a line break first.
    const { document: body } = parseHTML(`<html><body>${article.content}</body></html>`);
    for (const block of body.querySelectorAll('p, h1, h2, h3, h4, h5, h6, li, div, br, td, blockquote')) {
      block.appendChild(body.createTextNode('\n'));
    }
    const text = (body.body.textContent ?? '')
      .replace(/[ \t]+/g, ' ')
      .replace(/\s*\n\s*/g, '\n')
      .trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}
