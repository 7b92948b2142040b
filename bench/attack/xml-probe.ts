import { parseFeedXml } from '../../src/feeds/parse.js';

let ents = '<!ENTITY lol "lol">';
for (let i = 1; i <= 9; i++) ents += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
const variants = {
  comment: `<?xml version="1.0"?><!-- <a --><!DOCTYPE rss [${ents}]><rss version="2.0"><channel><title>t</title><item><title>&lol3; x</title><link>http://127.0.0.1/1</link></item></channel></rss>`,
  pi: `<?xml version="1.0"?><?foo <a?><!DOCTYPE rss [${ents}]><rss version="2.0"><channel><title>t</title><item><title>&lol3; x</title><link>http://127.0.0.1/1</link></item></channel></rss>`,
  small: `<?xml version="1.0"?><!-- <a --><!DOCTYPE rss [<!ENTITY x "&lt;@U123&gt; <!channel>">]><rss version="2.0"><channel><title>t</title><item><title>&x; hi</title><link>http://127.0.0.1/1</link></item></channel></rss>`,
  ext: `<?xml version="1.0"?><!-- <a --><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>t</title><item><title>&x; hi</title><link>http://127.0.0.1/1</link></item></channel></rss>`,
};
for (const [name, xml] of Object.entries(variants)) {
  const t = Date.now();
  try {
    const items = parseFeedXml(xml, 'http://127.0.0.1/');
    console.log(name, Date.now() - t, 'ms', JSON.stringify(items).slice(0, 300));
  } catch (e) {
    console.log(name, 'threw', (e as Error).message.slice(0, 200));
  }
}
