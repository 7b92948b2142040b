// HTML built so that outside text cannot become markup: every value put into the `html` template is escaped
// unless it is already Html, and invisible and bidi marks are dropped from it as every renderer drops them.
import { visibleText } from '../core/text.js';

/** Markup known to be safe: made by the `html` template (or `trusted`), never from outside text directly. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** What may be put into the `html` template: Html as it is, text escaped, nothing for absent values. */
export type Markup = Html | string | number | undefined | null | false | readonly Markup[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML: without controls and bidi or zero-width marks, with & < > " ' escaped (safe in attributes too). */
export function escapeHtml(text: string): string {
  return visibleText(text).replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

function render(value: Markup): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** A template for markup: the literal parts are the page's own; every interpolated value is escaped. */
export function html(strings: TemplateStringsArray, ...values: readonly Markup[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Markup the program itself wrote (a constant): never pass outside text here. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** Pieces joined by a separator, each escaped unless it is Html. */
export function joined(pieces: readonly Markup[], separator: Markup): Html {
  const parts = pieces.filter((p) => p !== undefined && p !== null && p !== false);
  return html`${parts.flatMap((p, i) => (i === 0 ? [p] : [separator, p]))}`;
}

/**
 * An http(s) address safe to put in href: anything else (javascript:, data:, a relative path from the data)
 * is not linked. Paths of the web view itself are made by the program and go through `pageHref`.
 */
export function isWebAddress(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}
