// Full-text search over event summaries, people (every alias, Chinese names), mechanisms and topics.
import MiniSearch from 'minisearch';
import type { Catalog, CatalogEvent } from '../catalog.js';
import type { Mechanism, Person, Topic } from '../schema.js';

/** One hit, best first. */
export type SearchHit =
  | { type: 'event'; event: CatalogEvent; score: number }
  | { type: 'person'; person: Person; score: number }
  | { type: 'mechanism'; mechanism: Mechanism; score: number }
  | { type: 'topic'; topic: Topic; score: number };

interface Doc {
  key: string;
  type: SearchHit['type'];
  id: string;
  title: string;
  names: string;
  body: string;
}

const indexes = new WeakMap<Catalog, MiniSearch<Doc>>();

/** How the hits matched: every word as written (or as a prefix), with typos allowed, or only some words. */
export type SearchMatch = 'all-words' | 'close-spelling' | 'some-words';

/** The hits for a query, best first, and how they matched. */
export interface SearchResult {
  hits: SearchHit[];
  match: SearchMatch;
}

/** Hits for `query`, at most `limit`, best first; `keep` drops hits (e.g. events after today). */
export function search(
  catalog: Catalog,
  query: string,
  limit: number,
  keep: (hit: SearchHit) => boolean = () => true,
): SearchResult {
  const index = searchIndex(catalog);
  // Exact words and prefixes first; only when they find nothing, allow typos, then any one word.
  const attempts = [
    { prefix: (term: string) => term.length >= 3, combineWith: 'AND' },
    {
      prefix: (term: string) => term.length >= 3,
      fuzzy: (term: string) => (term.length >= 5 ? 0.2 : false),
      combineWith: 'AND',
    },
    { prefix: true, fuzzy: 0.2, maxFuzzy: 2, combineWith: 'OR' },
  ] as const;
  const matches: SearchMatch[] = ['all-words', 'close-spelling', 'some-words'];
  for (const [i, options] of attempts.entries()) {
    const hits: SearchHit[] = [];
    for (const r of index.search(query, options)) {
      const hit = toHit(catalog, r.type as SearchHit['type'], r.id as string, r.score);
      if (keep(hit)) hits.push(hit);
      if (hits.length === limit) break;
    }
    if (hits.length > 0) return { hits, match: matches[i] as SearchMatch };
  }
  return { hits: [], match: 'all-words' };
}

/** The search index of a catalog (built once, then cached with the catalog). */
export function searchIndex(catalog: Catalog): MiniSearch<Doc> {
  const cached = indexes.get(catalog);
  if (cached) return cached;
  const index = new MiniSearch<Doc>({
    idField: 'key',
    fields: ['title', 'names', 'body'],
    storeFields: ['type', 'id'],
    searchOptions: { boost: { title: 3, names: 2 } },
  });
  index.addAll(documents(catalog));
  indexes.set(catalog, index);
  return index;
}

function documents(catalog: Catalog): Doc[] {
  const docs: Doc[] = [];
  for (const person of catalog.people.values()) {
    docs.push({
      key: `person:${person.id}`,
      type: 'person',
      id: person.id,
      title: person.name,
      names: [person.chineseName ?? '', ...person.aliases].join(' '),
      body: person.positions.map((p) => [p.title, ...p.aliases].join(' ')).join(' '),
    });
  }
  for (const m of catalog.mechanisms.values()) {
    docs.push({
      key: `mechanism:${m.id}`,
      type: 'mechanism',
      id: m.id,
      title: m.name,
      names: [m.shortName ?? '', ...m.aliases].join(' '),
      body: m.description,
    });
  }
  for (const t of catalog.topics.values()) {
    docs.push({
      key: `topic:${t.id}`,
      type: 'topic',
      id: t.id,
      title: t.label,
      names: t.aliases.join(' '),
      body: [t.description ?? '', ...t.keywords].join(' '),
    });
  }
  for (const event of catalog.events) {
    const people = event.participants.map((p) => {
      const person = p.person ? catalog.people.get(p.person) : undefined;
      return [
        p.name ?? '',
        p.title ?? '',
        person?.name ?? '',
        person?.chineseName ?? '',
        ...(person?.aliases ?? []),
      ].join(' ');
    });
    docs.push({
      key: `event:${event.id}`,
      type: 'event',
      id: event.id,
      title: [event.location ?? '', ...event.topics.map((t) => catalog.topics.get(t)?.label ?? t)].join(' '),
      names: [...people, ...event.mechanisms.map((m) => catalog.mechanisms.get(m)?.shortName ?? m)].join(' '),
      body: [event.summary, event.emphasis?.US ?? '', event.emphasis?.PRC ?? ''].join(' '),
    });
  }
  return docs;
}

function toHit(catalog: Catalog, type: SearchHit['type'], id: string, score: number): SearchHit {
  if (type === 'person') return { type, person: catalog.people.get(id) as Person, score };
  if (type === 'mechanism') return { type, mechanism: catalog.mechanisms.get(id) as Mechanism, score };
  if (type === 'topic') return { type, topic: catalog.topics.get(id) as Topic, score };
  return { type: 'event', event: catalog.byId.get(id) as CatalogEvent, score };
}
