// The pages of the web view: each answers with the Reply the chat command gives, rendered as HTML, plus what a
// page can hold that a chat message cannot (an event's revisions and links, a person's positions, filter forms).
import type { Catalog, CatalogEvent } from '../core/catalog.js';
import type { Command, Options } from '../core/command.js';
import { type Day, formatDate } from '../core/dates.js';
import { UserError } from '../core/errors.js';
import { fieldWords, label, mechanismName } from '../core/present.js';
import type { Reply } from '../core/reply.js';
import { LEVELS } from '../core/vocabulary.js';
import { canonicalJson } from '../events/log.js';
import type { Revision } from '../export/revisions.js';
import { type Html, html, isWebAddress } from './html.js';
import { page } from './layout.js';
import { optionsOfQuery, personPath, queryOf } from './paths.js';
import { type LinkContext, linked, replySection } from './reply.js';

/** Where the revisions of an event come from (the event log), where the web view can read it. */
export interface RevisionSource {
  /** The event's revisions, oldest first; the last is the record shown. */
  of(event: CatalogEvent): Promise<readonly Revision[]>;
}

/** What every page is made from; the caller owns the clock, the configuration and the store. */
export interface PageContext extends LinkContext {
  now: Day;
  /** The base URL pages are cited at: PUBLIC_URL, or where `hotline serve` listens; undefined when unknown. */
  baseUrl?: string;
  revisions?: RevisionSource;
}

/** Runs a command with options (already parsed); a UserError is the page's error, as the command words it. */
export async function commandReply(command: Command, options: Options, ctx: PageContext): Promise<Reply> {
  return command.run({
    options,
    catalog: ctx.catalog,
    commands: ctx.commands,
    now: ctx.now,
    ...(ctx.baseUrl ? { publicUrl: ctx.baseUrl } : {}),
  });
}

function named(ctx: PageContext, name: string): Command {
  const command = ctx.commands.find((c) => c.name === name);
  if (!command) throw new Error(`the web view needs the /${name} command`);
  return command;
}

/** The note every page ends with: how far the record is reviewed. */
function note(catalog: Catalog): string {
  return `record reviewed to ${formatDate(catalog.coverage.reviewedTo)}`;
}

/** The home page: the board of channels and the latest contacts, as the Slack Home tab shows them. */
export async function homePage(ctx: PageContext): Promise<string> {
  const board = await commandReply(named(ctx, 'channels'), {}, ctx);
  const latest = await commandReply(named(ctx, 'timeline'), {}, ctx);
  return page({
    title: 'US–China military contacts',
    feed: '/feed.atom',
    note: note(ctx.catalog),
    body: html`<h1>US–China military-to-military contacts</h1>
<p>Who talked to whom, when, at what level and through which channel, with both sides' readouts and every source.</p>
${replySection(board, ctx, 2)}
${replySection(latest, ctx, 2)}
${formatLinks('')}`,
  });
}

/** The options of the export formats, for a selection given as a query string ("" or "?…"). */
function formatLinks(query: string): Html {
  return html`<p class="formats">This selection as: <a href="/feed.atom${query}">Atom feed</a><a href="/events.ics${query}">Calendar (ICS)</a><a href="/events.csv${query}">CSV</a><a href="/events.json${query}">JSON</a></p>`;
}

/** /timeline?filters: the /timeline answer, a filter form, and the same selection in each export format. */
export async function timelinePage(params: URLSearchParams, ctx: PageContext): Promise<string> {
  const command = named(ctx, 'timeline');
  const options = optionsOfQuery(command, params);
  const reply = await commandReply(command, options, ctx);
  const selection = queryOf(command, { ...options, page: undefined });
  return page({
    title: reply.title,
    feed: `/feed.atom${selection}`,
    note: note(ctx.catalog),
    body: html`${replySection(reply, ctx)}${formatLinks(selection)}${filterForm(options)}`,
  });
}

/** A form for the common filters: it asks for /timeline?…, so it works with no script. */
function filterForm(options: Options): Html {
  const value = (name: string) => (typeof options[name] === 'string' ? String(options[name]) : '');
  const input = (name: string, text: string, placeholder: string) =>
    html`<label>${text}<input name="${name}" value="${value(name)}" placeholder="${placeholder}"></label>`;
  return html`<form class="filters" method="get" action="/timeline">
${input('topic', 'Topic', 'taiwan')}
<label>Level<select name="level"><option value="">any</option>${LEVELS.map(
    (l) => html`<option value="${l}"${value('level') === l ? html` selected` : ''}>${label(l)}</option>`,
  )}</select></label>
${input('person', 'Person', 'Dong Jun')}
${input('since', 'Since', 'YYYY-MM-DD')}
${input('before', 'Before', 'YYYY-MM-DD')}
<button>Show</button></form>
<p class="muted">An empty box is no filter. The address of the answer can be shared, bookmarked or read in a feed reader. More filters: mechanism, kind, format, side, order, page.</p>`;
}

/** /channels?date=&mechanism=: the board as of a date, or one channel's history. */
export async function channelsPage(params: URLSearchParams, ctx: PageContext): Promise<string> {
  const command = named(ctx, 'channels');
  const options = optionsOfQuery(command, params);
  const reply = await commandReply(command, options, ctx);
  const date = typeof options.date === 'string' ? options.date : '';
  return page({
    title: reply.title,
    note: note(ctx.catalog),
    body: html`${replySection(reply, ctx)}
<form class="filters" method="get" action="/channels"><label>As of<input name="date" value="${date}" placeholder="YYYY-MM-DD"></label><button>Show</button></form>
${
  typeof options.mechanism === 'string'
    ? ''
    : html`<h2>Each channel</h2><ul>${[...ctx.catalog.mechanisms.values()].map(
        (m) => html`<li><a href="/channels?mechanism=${m.id}">${mechanismName(m)}</a></li>`,
      )}</ul>`
}`,
  });
}

/** /events/<id>: the /event answer (both readouts side by side, every source, citations), links and revisions. */
export async function eventPage(id: string, ctx: PageContext): Promise<string> {
  const command = named(ctx, 'event');
  const reply = await commandReply(command, { id }, ctx);
  const event = ctx.catalog.byId.get(id.trim().toLowerCase()) as CatalogEvent; // the command found it
  const people = event.participants.flatMap((p) => {
    const person = p.person ? ctx.catalog.people.get(p.person) : undefined;
    return person ? [html`<a href="${personPath(person.id)}">${person.name}</a>`] : [];
  });
  const channels = event.mechanisms.flatMap((m) => {
    const mechanism = ctx.catalog.mechanisms.get(m);
    return mechanism ? [html`<a href="/channels?mechanism=${mechanism.id}">${mechanismName(mechanism)}</a>`] : [];
  });
  const topics = event.topics.map(
    (t) => html`<a href="/timeline?topic=${t}">${ctx.catalog.topics.get(t)?.label ?? t}</a>`,
  );
  const related = [
    people.length > 0 ? html`<li>People: ${joinLinks(people)}</li>` : '',
    channels.length > 0 ? html`<li>Channels: ${joinLinks(channels)}</li>` : '',
    topics.length > 0 ? html`<li>Topics: ${joinLinks(topics)}</li>` : '',
    html`<li>Same level: <a href="/timeline?level=${event.level}">${label(event.level)}</a></li>`,
  ];
  return page({
    title: reply.title,
    note: note(ctx.catalog),
    body: html`${replySection(reply, ctx)}
<h2>Related</h2><ul>${related}</ul>
${await revisionsSection(event, ctx)}`,
  });
}

function joinLinks(links: readonly Html[]): Html {
  return html`${links.map((l, i) => [i > 0 ? ', ' : '', l])}`;
}

/** The event's revisions from the event log, each with the fields it changed; or why they are not shown. */
async function revisionsSection(event: CatalogEvent, ctx: PageContext): Promise<Html> {
  if (!ctx.revisions) {
    return html`<h2>Revisions</h2><p class="muted">This view does not read the event log, so corrections are not listed here; this is the record as it stands.</p>`;
  }
  const revisions = await ctx.revisions.of(event);
  if (revisions.length === 0) return html``;
  const items = revisions.map((r, i) => {
    const before = revisions[i - 1];
    const changed = before ? changedFields(before, r) : [];
    const when = r.publishedAt ? `published ${formatDate(r.publishedAt.slice(0, 10))}` : 'not yet published';
    const what = before
      ? changed.length > 0
        ? `changed: ${changed.map(fieldWords).join(', ')}`
        : 'no change'
      : 'first record';
    return html`<li>Revision ${r.number} · ${when} · ${what}</li>`;
  });
  return html`<h2>Revisions</h2><ol class="revisions">${items}</ol>`;
}

/** The top-level fields whose content differs between two revisions. */
function changedFields(a: Revision, b: Revision): string[] {
  const keys = [...new Set([...Object.keys(a.record), ...Object.keys(b.record)])].sort();
  const field = (r: Revision, key: string) => canonicalJson((r.record as Record<string, unknown>)[key] ?? null);
  return keys.filter((key) => field(a, key) !== field(b, key));
}

/** /people/<id>: who the person is, the positions they held, and their contacts (/timeline person:<id>). */
export async function personPage(id: string, params: URLSearchParams, ctx: PageContext): Promise<string> {
  const person = ctx.catalog.people.get(id);
  if (!person) throw unknownPerson(id, ctx.catalog);
  for (const name of params.keys()) {
    if (name !== 'page') {
      throw new UserError(
        'unknown-option',
        `A person's page takes only page=; for other filters, use the timeline with person=${id}.`,
        `/timeline person:${id}`,
      );
    }
  }
  const command = named(ctx, 'timeline');
  const options = optionsOfQuery(command, new URLSearchParams([...params, ['person', id]]));
  const contacts = await commandReply(command, options, ctx);
  const positions = person.positions.map((p) => {
    const span = [p.start ? formatDate(p.start) : '', p.end ? formatDate(p.end) : p.start ? 'present' : ''];
    const dates = span.some(Boolean) ? ` (${span.join(' – ')})` : '';
    return html`<li>${p.title}${dates}${
      p.source && isWebAddress(p.source)
        ? html` · <a href="${p.source}" rel="noopener noreferrer nofollow">source</a>`
        : ''
    }</li>`;
  });
  return page({
    title: person.name,
    feed: `/feed.atom?person=${encodeURIComponent(id)}`,
    note: note(ctx.catalog),
    body: html`<h1>${person.name}${person.chineseName ? html` <span lang="zh">${person.chineseName}</span>` : ''}</h1>
<dl class="fields"><dt>Side</dt><dd>${person.side}</dd>${
      person.aliases.length > 0 ? html`<dt>Also</dt><dd>${person.aliases.join('; ')}</dd>` : ''
    }</dl>
${person.notes ? html`<p>${linked(person.notes, ctx)}</p>` : ''}
${positions.length > 0 ? html`<h2>Positions</h2><ul>${positions}</ul>` : ''}
${replySection(contacts, ctx, 2)}
${formatLinks(`?person=${encodeURIComponent(id)}`)}`,
  });
}

/** The 404 of a person id not on record, with the nearest ids as the example. */
function unknownPerson(id: string, catalog: Catalog): UserError {
  const ids = [...catalog.people.keys()];
  const near = ids.filter((p) => p.includes(id) || id.includes(p)).slice(0, 3);
  const example = near[0] ?? ids[0];
  return new UserError(
    'unknown-person',
    `No person has the id "${id}".${near.length > 0 ? ` Did you mean ${near.join(', ')}?` : ''} People are linked from each event's page.`,
    example ? `/people/${example}` : undefined,
  );
}

/** The page of an error: what was wrong, in the command's words, and a link to a correct example. */
export function errorPage(title: string, message: string, example: { href: string; text: string } | undefined): string {
  return page({
    title,
    body: html`<section class="reply error"><h1>${title}</h1>
<p>${message}</p>
${example ? html`<p>Try: <a href="${example.href}">${example.text}</a></p>` : ''}
<p><a href="/">The board of channels and the latest contacts</a></p></section>`,
  });
}
