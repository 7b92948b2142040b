// Hostile feed servers on 127.0.0.1 against one poll each: node bin/run-ts.js bench/attack/feeds-probe.ts
// Prints, per attack, the poll's status, its error, how long it took, and any draft text with a live mention.
import { gzipSync } from 'node:zlib';
import { renderDiscord } from '../../src/adapters/discord/render.js';
import { renderSlack } from '../../src/adapters/slack/render.js';
import { draftBook } from '../../src/drafts/book.js';
import { draftDesk } from '../../src/drafts/desk.js';
import { httpClient } from '../../src/feeds/fetch.js';
import { pollSource } from '../../src/feeds/watch.js';
import { openState } from '../../src/state/index.js';
import { feed, serve, startFeedServer } from '../../tests/feeds/server.js';
import { bundled } from '../../tests/helpers.js';

const catalog = bundled();
const NOW = new Date('2026-06-03T12:00:00.000Z');
const RSS = 'application/rss+xml';
const HOSTILE =
  '<@U123> <!channel> <!here> @everyone @here *bold* _it_ ~x~ `code` ```fence``` [link](https://evil.test) <https://evil.test|click> &amp;lt;script&gt; \u202Egnp.exe';
const item = (title: string, extra = '') =>
  `<item><title>${title}</title><link>{{BASE}}/a/1</link><description>${extra}</description><pubDate>Tue, 02 Jun 2026 10:00:00 GMT</pubDate></item>`;
const rss = (items: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>{{BASE}}/</link>${items}</channel></rss>`;
const mention = `Readout of Secretary of War Pete Hegseth's Call With PRC Minister of National Defense Adm. Dong Jun ${HOSTILE.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}`;

const server = await startFeedServer();
const b = server.base;
const routes: Record<string, Parameters<typeof server.routes.set>[1]> = {
  mentions: serve(
    rss(
      item(mention, `Secretary Hegseth spoke by phone with Adm. Dong Jun. ${HOSTILE.replaceAll('<', '&lt;')}`),
    ).replaceAll('{{BASE}}', b),
    RSS,
  ),
  cdataMentions: serve(
    rss(item(`<![CDATA[${mention.replaceAll('&lt;', '<').replaceAll('&amp;', '&')}]]>`, 'x')).replaceAll('{{BASE}}', b),
    RSS,
  ),
  fileRedirect: (_q, r) => r.writeHead(302, { location: 'file:///etc/passwd' }).end(),
  portRedirect: (_q, r) => r.writeHead(301, { location: 'http://127.0.0.1:1/x' }).end(),
  infinite: (q, r) => r.writeHead(302, { location: `${q.url}x` }).end(),
  drip: (_q, r) => {
    r.writeHead(200, { 'content-type': RSS });
    const t = setInterval(() => r.write(' '), 50);
    r.on('close', () => clearInterval(t));
  },
  hugeLine: serve(rss(item(`Hegseth Dong ${'A'.repeat(4_000_000)}`)).replaceAll('{{BASE}}', b), RSS),
  gzipBomb: (_q, r) =>
    r.writeHead(200, { 'content-type': RSS, 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(50_000_000))),
  utf16: (_q, r) =>
    r
      .writeHead(200, { 'content-type': RSS })
      .end(
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(rss(item('Hegseth call')).replaceAll('{{BASE}}', b), 'utf16le'),
        ]),
      ),
  utf16declared: (_q, r) =>
    r
      .writeHead(200, { 'content-type': `${RSS}; charset=utf-16` })
      .end(
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(`<!DOCTYPE rss [<!ENTITY a "b">]>${rss(item('x'))}`, 'utf16le'),
        ]),
      ),
  paramEntity: serve(
    `<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:1/x.dtd"><rss version="2.0"><channel><title>&foo;</title></channel></rss>`,
    RSS,
  ),
  manyItems: serve(
    rss(
      Array.from({ length: 20_000 }, (_, i) => item(`Item ${i} Hegseth Dong call`).replace('/a/1', `/a/${i}`)).join(''),
    ).replaceAll('{{BASE}}', b),
    RSS,
  ),
  deepNest: serve(
    `<?xml version="1.0"?><rss><channel>${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}</channel></rss>`,
    RSS,
  ),
};
for (const [name, route] of Object.entries(routes)) server.routes.set(`/${name}`, route);
server.routes.set('/a/1', serve('<html><body><article><p>short</p></article></body></html>', 'text/html'));

for (const name of Object.keys(routes).filter((n) => !process.env.ONLY || process.env.ONLY.split(',').includes(n))) {
  const state = await openState('sqlite::memory:');
  const http = httpClient({ timeoutMs: 2_000 });
  const t = Date.now();
  const mem = process.memoryUsage().rss;
  try {
    const report = await pollSource(feed(name, `${b}/${name}`), {
      state,
      catalog: () => catalog,
      fetch: http.fetch,
      clock: () => NOW,
    });
    const drafts = await draftBook(state).list();
    let live = '';
    if (drafts.length > 0) {
      const desk = draftDesk({ state, catalog: () => catalog, clock: () => NOW });
      const card = await desk.show(drafts[0]?.id ?? 1);
      const slack = JSON.stringify(renderSlack(card));
      const discord = JSON.stringify(renderDiscord(card));
      const liveSlack = /<[@!#][^>]*>|<https:\/\/evil/.test(slack) ? ' SLACK-LIVE' : '';
      const liveDiscord = /(?<!\\)@everyone|(?<!\\)<@U/.test(discord) ? ' DISCORD-LIVE?' : '';
      live = `${liveSlack}${liveDiscord}`;
      if (process.env.SHOW) console.log(slack.slice(0, 3000), '\n', discord.slice(0, 3000));
    }
    console.log(
      name.padEnd(14),
      report.status,
      (report.error ?? '').slice(0, 100),
      `${Date.now() - t} ms`,
      `drafts=${drafts.length}`,
      `rss+${Math.round((process.memoryUsage().rss - mem) / 1e6)}MB${live}`,
    );
  } catch (error) {
    console.log(name.padEnd(14), 'THREW', (error as Error).stack?.slice(0, 300));
  } finally {
    await http.destroy();
    await state.close();
  }
}
await server.close();
