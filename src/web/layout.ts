// The page around every answer: head, navigation, a small style sheet that reads well on a phone, footer.
import { createHash } from 'node:crypto';
import { type Html, html, trusted } from './html.js';

/** The style sheet, inline so a page is one request; allowed by its hash in the Content-Security-Policy. */
const STYLE = `
:root{color-scheme:light dark;--muted:#666;--line:#ccc;--accent:#0b57d0}
@media (prefers-color-scheme:dark){:root{--muted:#aaa;--line:#444;--accent:#8ab4f8}}
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:52rem;padding:0 1rem 2rem;overflow-wrap:anywhere}
header{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;border-bottom:1px solid var(--line);padding:.75rem 0;margin-bottom:1rem}
header .site{font-weight:700;text-decoration:none;color:inherit}
nav a,.actions a,.formats a{margin-right:.75rem}
a{color:var(--accent)}
h1{font-size:1.4rem;line-height:1.3;margin:.5rem 0}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.75rem 0}
dl.fields dt{font-weight:600}
dl.fields dd{margin:0}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:1rem;margin:.75rem 0}
.columns section{border:1px solid var(--line);border-radius:.5rem;padding:.5rem .75rem}
.columns h3{margin-top:.25rem}
ul,ol{padding-left:1.25rem}
li{margin:.25rem 0}
.footer,.more,.muted{color:var(--muted);font-size:.9rem}
.error{border-left:4px solid #c5221f;padding-left:.75rem}
.cite li{font-family:ui-serif,Georgia,serif}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:1rem 0}
form.filters label{display:flex;flex-direction:column;font-size:.85rem}
form.filters input,form.filters select,form.filters button{font:inherit;padding:.25rem}
footer{border-top:1px solid var(--line);margin-top:2rem;padding-top:.5rem}
`.trim();

/** The style sheet's hash as a CSP source. */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** Everything a page says besides its body. */
export interface PageParts {
  /** The page title (shown in the tab), without "Hotline". */
  title: string;
  body: Html;
  /** The Atom feed of what the page lists, for feed readers that look for one. */
  feed?: string;
  /** A line at the bottom: how current the record is. */
  note?: string;
}

/** A whole HTML document. */
export function page(parts: PageParts): string {
  return `<!doctype html>\n${
    html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${parts.title} · Hotline</title>
<style>${trusted(STYLE)}</style>
${parts.feed ? html`<link rel="alternate" type="application/atom+xml" title="Hotline feed" href="${parts.feed}">` : ''}
</head>
<body>
<header><a class="site" href="/">Hotline</a>
<nav><a href="/">Board</a><a href="/timeline">Timeline</a><a href="/channels">Channels</a><a href="/feed.atom">Feed</a></nav></header>
<main>
${parts.body}
</main>
<footer class="muted">Hotline: US–China military-to-military contacts, with sources. A read-only view of the record${
      parts.note ? html` · ${parts.note}` : ''
    }.</footer>
</body>
</html>`.markup
  }\n`;
}
