// PUBLIC_URL: checked at start-up, and chat answers then point to event pages; citations; prefix routes on a port.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { guardedListener } from '../../src/adapters/slack/guard.js';
import { ConfigError, startPlan } from '../../src/config.js';
import type { CatalogEvent } from '../../src/core/catalog.js';
import { eventCitation, sourceCitation } from '../../src/core/citation.js';
import { withPublicUrl } from '../../src/core/command.js';
import { ask } from '../../src/core/dispatch.js';
import { routeFor } from '../../src/ops/routes.js';
import { webRoutes } from '../../src/web/router.js';
import { fixture } from '../helpers.js';

const NOW = '2024-06-30';
const EVENT = '2024-04-16-austin-dong-video-call';
const BASE = 'https://hotline.example.org';

describe('PUBLIC_URL', () => {
  it.each([
    ['https://hotline.example.org', BASE],
    ['https://hotline.example.org/', BASE],
    ['  http://127.0.0.1:8080/hotline/ ', 'http://127.0.0.1:8080/hotline'],
  ])('GIVEN %j THEN it is taken, without a trailing slash', (value, expected) => {
    expect(startPlan({ PUBLIC_URL: value }).publicUrl).toBe(expected);
  });

  it.each([
    ['hotline.example.org', 'is not a URL'],
    ['ftp://hotline.example.org', 'is not an http or https URL'],
    ['javascript:alert(1)', 'is not an http or https URL'],
    ['https://hotline.example.org/?a=1', 'has a query'],
    ['https://hotline.example.org/#top', 'has a fragment'],
    ['https://user:pw@hotline.example.org', 'holds a user name or password'],
    ['https:///path', 'has no host'],
  ])('GIVEN %j THEN start-up stops, naming PUBLIC_URL and what is wrong', (value, why) => {
    expect(() => startPlan({ PUBLIC_URL: value })).toThrow(ConfigError);
    expect(() => startPlan({ PUBLIC_URL: value })).toThrow(
      new RegExp(`^PUBLIC_URL must be .*${why.replace(/[?]/g, '\\?')}`),
    );
  });

  it('GIVEN no PUBLIC_URL THEN there is none, and answers point to /event alone', async () => {
    expect(startPlan({}).publicUrl).toBeUndefined();
    const { reply } = await ask('/lastcontact level:minister before:2024-05-01', {
      catalog: fixture(),
      commands: COMMANDS,
      now: NOW,
    });
    expect(JSON.stringify(reply)).not.toContain('https://hotline');
  });
});

describe('answers with a public URL', () => {
  const commands = withPublicUrl(COMMANDS, BASE);
  const answer = async (line: string) => (await ask(line, { catalog: fixture(), commands, now: NOW })).reply;

  it('GIVEN /lastcontact THEN "Full record" names /event and the page', async () => {
    const reply = await answer('/lastcontact level:minister before:2024-05-01');
    expect(reply.blocks).toContainEqual({
      type: 'text',
      text: `Full record: /event ${EVENT} or ${BASE}/events/${EVENT}`,
    });
  });

  it('GIVEN /event THEN its footer links the page and its citation carries the URL', async () => {
    const reply = await answer(`/event ${EVENT}`);
    expect(reply.footer).toContain(`full record: ${BASE}/events/${EVENT}`);
    const cite = reply.blocks.find((b) => b.type === 'list' && b.heading === 'Cite as');
    expect(cite?.type === 'list' && cite.items[0]).toContain(`${BASE}/events/${EVENT}. Accessed 30 June 2024.`);
  });

  it('GIVEN /timeline THEN the pointer to one event in full names the page pattern', async () => {
    const reply = await answer('/timeline level:minister');
    expect(reply.blocks).toContainEqual({
      type: 'text',
      text: `One event in full: /event <id> or ${BASE}/events/<id>`,
    });
  });
});

describe('citations', () => {
  const event = fixture().byId.get(EVENT) as CatalogEvent;

  it('GIVEN an event THEN who, what, date, Hotline, id, URL and the accessed day, in that order', () => {
    expect(eventCitation(fixture(), event, { accessed: '2026-12-02', url: `${BASE}/events/${EVENT}` })).toBe(
      `“Video call: Lloyd Austin – Dong Jun, 16 April 2024.” Hotline: US–China Military-to-Military Contacts. Event ${EVENT}, recorded 24 November 2026. ${BASE}/events/${EVENT}. Accessed 2 December 2026.`,
    );
  });

  it('GIVEN a source THEN publisher, title, whose readout, date, URL and the accessed day', () => {
    expect(sourceCitation(event.sources[1] as CatalogEvent['sources'][number], '2026-12-02')).toBe(
      'PRC Ministry of National Defense. “Fixture PRC readout.” (PRC readout.) 17 April 2024. https://example.org/prc-readout. Accessed 2 December 2026.',
    );
  });
});

describe('routes by prefix', () => {
  const a = () => {};
  const b = () => {};
  it('GIVEN exact and prefix routes THEN the exact path wins, a prefix answers paths below it, others none', () => {
    const routes = { '/events.json': a, '/events/*': b };
    expect(routeFor(routes, '/events.json?level=minister')).toBe(a);
    expect(routeFor(routes, '/events/2024-04-16-x')).toBe(b);
    expect(routeFor(routes, '/events/')).toBe(b);
    expect(routeFor(routes, '/events')).toBeUndefined();
    expect(routeFor(routes, '/slack/events')).toBeUndefined();
  });

  it("GIVEN the web routes in front of Slack's guard THEN pages answer, and /slack/events is still guarded", async () => {
    const routes = webRoutes({ catalog: fixture, commands: COMMANDS, today: () => NOW });
    const server = createServer(guardedListener(() => {}, 'secret', undefined, undefined, routes));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/events/${EVENT}`)).status).toBe(200);
      expect((await fetch(`${url}/people/dong-jun`)).status).toBe(200);
      expect((await fetch(`${url}/`)).status).toBe(200);
      expect((await fetch(`${url}/slack/events`)).status).toBe(405);
      expect((await fetch(`${url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(401);
      expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
