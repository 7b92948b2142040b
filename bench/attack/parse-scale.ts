import { parseFeedXml } from '../../src/feeds/parse.js';

for (const n of [1000, 2000, 4000, 8000, 16000, 32000]) {
  const items = Array.from(
    { length: n },
    (_, i) =>
      `<item><title>Item ${i} Hegseth Dong call</title><link>http://x/a/${i}</link><description>d</description><pubDate>Tue, 02 Jun 2026 10:00:00 GMT</pubDate></item>`,
  ).join('');
  const t = Date.now();
  parseFeedXml(
    `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${items}</channel></rss>`,
    'http://x/',
  );
  console.log(n, Date.now() - t, 'ms');
}
