// The watcher in the bot (issue 15): startService with `watch` runs it on a lease of its own, so of two
// instances on one store exactly one polls; the draft reaches the book; stop() aborts a poll in flight.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftBook } from '../../src/drafts/book.js';
import type { SourceReport } from '../../src/feeds/watch.js';
import { type Service, startService, WATCHER_LEASE } from '../../src/service.js';
import { bundled } from '../helpers.js';
import { signal } from '../until.js';
import { type FeedServer, feed, fixtureText, serve, startFeedServer } from './server.js';

const tmp = mkdtempSync(join(tmpdir(), 'hotline-watch-service-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let runs = 0;

describe('startService with watch', () => {
  let server: FeedServer;
  const services: Service[] = [];
  beforeEach(async () => {
    server = await startFeedServer();
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stop()));
    await server.close();
  });

  it('of two instances on one store, one polls; the item becomes a draft; the lease is the watcher’s own', async () => {
    server.routes.set(
      '/releases',
      serve(() => fixtureText('wargov-releases.xml', server.base), 'application/rss+xml'),
    );
    const stateUrl = `sqlite:${join(tmp, `state-${++runs}.db`)}`;
    let reported: (report: SourceReport) => void = () => {};
    const first = new Promise<SourceReport>((resolve) => {
      reported = resolve;
    });
    // The fixture's items are of June 2026: no age limit here, and the first poll at once.
    const watch = {
      feeds: [feed('Releases', `${server.base}/releases`)],
      limits: { timeoutMs: 2_000 },
      maxAgeDays: 100_000,
      firstPollSpreadMs: 0,
      onReport: (report: SourceReport) => reported(report),
    };
    for (let i = 0; i < 2; i++) {
      services.push(
        await startService({
          stateUrl,
          catalog: bundled(),
          posters: {},
          leaseMs: 1_500,
          idleMs: 50,
          watch,
        }),
      );
    }
    const report = await first;
    expect(report.status).toBe('ok');
    expect(server.count('/releases')).toBe(1);
    const holding = services.map((s) => s.watcher?.holding());
    expect(holding.filter(Boolean).length).toBe(1);
    const lease = await services[0]?.state.acquireLease(WATCHER_LEASE, 'someone-else', 1_000);
    expect(lease?.held).toBe(false);
    expect(report.proposals.map((p) => p.outcome)).toEqual([{ outcome: 'created', id: 1 }]);
    expect((await draftBook(services[0]?.state as Service['state']).list()).length).toBe(1);
  });

  it('stop() aborts a poll whose server never answers, and returns', async () => {
    const { fired: asked, fire: started } = signal();
    server.routes.set('/hang', () => started());
    const service = await startService({
      stateUrl: `sqlite:${join(tmp, `state-${++runs}.db`)}`,
      catalog: bundled(),
      posters: {},
      leaseMs: 1_500,
      idleMs: 50,
      watch: { feeds: [feed('Hangs', `${server.base}/hang`)], limits: { timeoutMs: 60_000 }, firstPollSpreadMs: 0 },
    });
    await asked;
    await service.stop();
    expect(server.count('/hang')).toBe(1);
  });
});
