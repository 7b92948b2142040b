// A Reply as HTML: the same answer a chat command gives, with its pointers ("/event <id>", page buttons) as links.
import type { Catalog } from '../core/catalog.js';
import type { Command } from '../core/command.js';
import { sourceMeta } from '../core/present.js';
import { type Block, type Reply, type SourceRef, visibleReply } from '../core/reply.js';
import { type Html, html, isWebAddress, type Markup } from './html.js';
import { eventPath, pathOfLine } from './paths.js';

/** What links are made from: the catalog (which ids are events) and the commands (which lines have pages). */
export interface LinkContext {
  catalog: Catalog;
  commands: readonly Command[];
}

/**
 * What a text links: a web address (ending before trailing punctuation), or an event id, bare or after "/event ".
 * An address is matched first, so an id inside one (…/events/<id>) stays part of it.
 */
const LINKABLE = /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]])|(\/event )?(\b\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\b)/g;

/** Text with its web addresses and the ids of events on record as links; the rest escaped. */
export function linked(text: string, ctx: LinkContext): Html {
  const parts: Markup[] = [];
  let last = 0;
  for (const match of text.matchAll(LINKABLE)) {
    const [whole, address, , id] = match;
    let link: Html | undefined;
    if (address && isWebAddress(address))
      link = html`<a href="${address}" rel="noopener noreferrer nofollow">${address}</a>`;
    else if (id && ctx.catalog.byId.has(id)) link = html`<a href="${eventPath(id)}">${whole}</a>`;
    if (!link) continue;
    parts.push(text.slice(last, match.index), link);
    last = match.index + whole.length;
  }
  parts.push(text.slice(last));
  return html`${parts}`;
}

/** Text over several lines, each linked. */
function lines(text: string, ctx: LinkContext): Html {
  return html`${text.split('\n').map((line, i) => [i > 0 ? html`<br>` : '', linked(line, ctx)])}`;
}

function block(b: Block, ctx: LinkContext): Html {
  switch (b.type) {
    case 'text':
      return html`<p>${lines(b.text, ctx)}</p>`;
    case 'fields':
      return html`<dl class="fields">${b.fields.map((f) => html`<dt>${f.label}</dt><dd>${linked(f.value, ctx)}</dd>`)}</dl>`;
    case 'list':
      return html`${b.heading ? html`<h3>${b.heading}</h3>` : ''}<ul${b.heading === 'Cite as' ? html` class="cite"` : ''}>${b.items.map(
        (item) => html`<li>${linked(item, ctx)}</li>`,
      )}</ul>`;
    case 'columns':
      return html`<div class="columns">${b.columns.map(
        (c) => html`<section><h3>${c.label}</h3><p>${lines(c.value, ctx)}</p></section>`,
      )}</div>`;
  }
}

/** One source as a link, with publisher, date and whose readout it is (as the console words it). */
export function sourceItem(s: SourceRef): Html {
  const title = isWebAddress(s.url)
    ? html`<a href="${s.url}" rel="noopener noreferrer nofollow">${s.title}</a>`
    : s.title;
  return html`<li>${title} — ${sourceMeta(s)}</li>`;
}

/**
 * The reply as a section of a page: its title as a heading of `level`, its blocks, its sources, the links its
 * buttons stand for (a page, "Full record"; sharing and forms have no meaning here), and its footer.
 */
export function replySection(asked: Reply, ctx: LinkContext, level: 1 | 2 = 1): Html {
  const reply = visibleReply(asked);
  const heading = level === 1 ? html`<h1>${reply.title}</h1>` : html`<h2>${reply.title}</h2>`;
  const actions = (reply.actions ?? []).flatMap((a) => {
    if (a.mode === 'share' || a.mode === 'form') return [];
    const path = pathOfLine(a.line, ctx.commands);
    return path ? [html`<a href="${path}">${a.label}</a>`] : [];
  });
  return html`<section class="reply${reply.tone === 'error' ? ' error' : ''}">${heading}
${reply.blocks.map((b) => block(b, ctx))}
${actions.length > 0 ? html`<p class="actions">${actions}</p>` : ''}
${
  reply.sources.length > 0
    ? html`<h3>Sources</h3><ol class="sources">${reply.sources.map(sourceItem)}</ol>${
        reply.moreSources ? html`<p class="more">${linked(reply.moreSources, ctx)}</p>` : ''
      }`
    : ''
}
${reply.footer ? html`<p class="footer">${linked(reply.footer, ctx)}</p>` : ''}</section>`;
}
