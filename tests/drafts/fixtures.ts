// The example draft of issue 15's tests: a Hegseth–Dong Jun call, as the DoD and MND readouts of the record
// are shaped (synthetic items at reserved .test addresses; not real releases).

import { COMMANDS } from '../../commands/index.js';
import type { Catalog } from '../../src/core/catalog.js';
import { detectContact, type FeedItem } from '../../src/core/detect/index.js';
import type { DraftBook, Proposal } from '../../src/drafts/book.js';
import type { Service } from '../../src/service.js';
import { signal } from '../until.js';

export const HEGSETH_DONG_CALL: FeedItem = {
  title:
    "Readout of Secretary of War Pete Hegseth's Call With People's Republic of China Minister of National Defense Adm. Dong Jun",
  summary:
    "Secretary of War Pete Hegseth spoke by phone today with People's Republic of China Minister of National Defense Adm. Dong Jun.",
  published: '2026-06-02',
  url: 'https://www.war.test/News/Releases/readout-hegseth-dong',
  publisher: 'U.S. Department of War',
  side: 'US',
  language: 'en',
};

/** The proposal the watcher would hand the drafts book for `item`. */
export function proposalOf(
  item: FeedItem,
  catalog: Catalog,
  seenAt = '2026-06-02T12:00:00.000Z',
  feed = 'war.gov releases',
): Proposal {
  const detection = detectContact(item, catalog);
  if (!detection.draft) throw new Error(`not a contact: ${detection.reasons.join('; ')}`);
  return {
    draft: detection.draft,
    reasons: detection.reasons,
    item: { feed, title: item.title, url: item.url, ...(item.published ? { published: item.published } : {}), seenAt },
  };
}

/** The book of drafts of a service started with an editors' channel (the desk is made at start only then). */
export function draftsOf(service: Service): DraftBook {
  if (!service.review) throw new Error('this service was started without an editors channel: it has no book of drafts');
  return service.review.book;
}

/** What a chat front end is given by a running service, on 3 June 2026, its catalog following the service's. */
export function frontEndDeps(service: Service) {
  const deps = {
    catalog: service.catalog(),
    commands: COMMANDS,
    today: () => '2026-06-03',
    books: service.book,
    drafts: service.drafts,
  };
  service.onCatalog((live) => {
    deps.catalog = live;
  });
  return deps;
}

/**
 * Files a draft from another copy of the example call (its own release page, published on `published`, no
 * summary) as the watcher would have seen it on 2 June 2026.
 */
export async function proposeCopy(service: Service, catalog: Catalog, page: string, published: string): Promise<void> {
  const item = { ...HEGSETH_DONG_CALL, url: `https://www.war.test/News/Releases/${page}`, published, summary: '' };
  await draftsOf(service).propose(proposalOf(item, catalog), catalog, '2026-06-02T12:00:00.000Z');
}

/**
 * Makes the desk's `action` wait (a slow store) until `release()`, then fail with `failure` or do what it does;
 * `started` resolves once it is called, and `restore()` lets it go and puts the desk back.
 */
export function holdDesk(
  deps: { drafts: Service['drafts'] },
  action: 'approve' | 'reject',
  failure?: string,
): { started: Promise<void>; release: () => void; restore: () => void } {
  const desk = deps.drafts;
  const { fired: released, fire: release } = signal();
  const { fired: started, fire: begun } = signal();
  const real = desk[action] as (...args: unknown[]) => Promise<unknown>;
  deps.drafts = {
    ...desk,
    [action]: async (...args: unknown[]) => {
      begun();
      await released;
      if (failure !== undefined) throw new Error(failure);
      return real(...args);
    },
  };
  return {
    started,
    release,
    restore: () => {
      release();
      deps.drafts = desk;
    },
  };
}
