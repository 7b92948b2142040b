// SSRF attempts against the feed watcher's HTTP client, all on 127.0.0.1: node bin/run-ts.js bench/attack/ssrf-probe.ts
// Prints, per attempt, what the client did and whether the internal server was asked. Names resolve through an
// injected lookup (never real DNS): `public.example` answers a public documentation-free address that nothing
// listens on, the others answer 127.0.0.1 or a mix.
import type { LookupFunction } from 'node:net';
import { httpClient } from '../../src/feeds/fetch.js';
import { serve, startFeedServer } from '../../tests/feeds/server.js';

const answers: Record<string, { address: string; family: number }[]> = {
  'feeds.example': [{ address: '127.0.0.1', family: 4 }],
  'feeds.example.': [{ address: '127.0.0.1', family: 4 }],
  localhost: [{ address: '127.0.0.1', family: 4 }],
  'mixed.example': [
    { address: '8.8.8.8', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
  'mixed6.example': [
    { address: '2606:4700::1111', family: 6 },
    { address: '::ffff:127.0.0.1', family: 6 },
  ],
  'compat.example': [{ address: '::127.0.0.1', family: 6 }],
  'zone.example': [{ address: 'fe80::1%lo', family: 6 }],
  'zero.example': [{ address: '0.0.0.0', family: 4 }],
  'nat64.example': [{ address: '64:ff9b::7f00:1', family: 6 }],
  'sixtofour.example': [{ address: '2002:7f00:1::', family: 6 }],
  'translated.example': [{ address: '::ffff:0:7f00:1', family: 6 }],
  'upper.example': [{ address: '::FFFF:7F00:1', family: 6 }],
  'empty.example': [],
};
let lookups = 0;
const lookup: LookupFunction = (hostname, options, callback) => {
  lookups += 1;
  const found = answers[hostname];
  if (!found) return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
  if (options.all) return callback(null, found as never);
  const first = found[0];
  return first ? callback(null, first.address, first.family) : callback(new Error('none'), '');
};

const internal = await startFeedServer({ '/secret': serve('<p>internal</p>', 'text/html') });
const p = new URL(internal.base).port;
const hop = await startFeedServer();
const source = `http://localhost:${hop.base.split(':')[2]}/feed`;
const redirectTo = (location: string) => {
  const path = `/r${hop.routes.size}`;
  hop.routes.set(path, (_q, r) => r.writeHead(302, { location }).end());
  return `${hop.base.replace('127.0.0.1', 'localhost')}${path}`;
};

const direct = [
  `http://feeds.example@127.0.0.1:${p}/secret`,
  `http://127.0.0.1.:${p}/secret`,
  `http://0.0.0.0:${p}/secret`,
  `http://0:${p}/secret`,
  `http://[::]:${p}/secret`,
  `http://[::127.0.0.1]:${p}/secret`,
  `http://[::ffff:0:7f00:1]:${p}/secret`,
  `http://[::FFFF:7F00:1]:${p}/secret`,
  `http://[2002:7f00:1::]:${p}/secret`,
  `http://%31%32%37.0.0.1:${p}/secret`,
  `http://127.0.0.1%2e:${p}/secret`,
  `http://0x7F.0.0.1:${p}/secret`,
  `http://feeds.example:${p}/secret`,
  `http://feeds.example.:${p}/secret`,
  `http://FEEDS.EXAMPLE:${p}/secret`,
  `http://mixed.example:${p}/secret`,
  `http://mixed6.example:${p}/secret`,
  `http://compat.example:${p}/secret`,
  `http://zone.example:${p}/secret`,
  `http://zero.example:${p}/secret`,
  `http://nat64.example:${p}/secret`,
  `http://sixtofour.example:${p}/secret`,
  `http://translated.example:${p}/secret`,
  `http://upper.example:${p}/secret`,
  `http://empty.example:${p}/secret`,
  `https://127.0.0.1:${p}/secret`,
  `http://localhost:${p}/secret`,
];
const viaSource = [
  redirectTo(`http://localhost:${p}/secret`),
  redirectTo(`//127.0.0.1:${p}/secret`),
  redirectTo(`//localhost:${p}/secret`),
  redirectTo(`http://localhost.:${p}/secret`),
  redirectTo('file:///etc/passwd'),
  redirectTo('data:text/html,<p>x</p>'),
  redirectTo('ftp://127.0.0.1/x'),
  redirectTo(`http:127.0.0.1:${p}/secret`),
  redirectTo(`http:\\\\127.0.0.1:${p}\\secret`),
  redirectTo(`/\\127.0.0.1:${p}/secret`),
];

const http = httpClient({ timeoutMs: 2_000 }, { lookup });
const attempt = async (url: string, from?: string) => {
  const before = internal.requests.length;
  const outcome = await http.fetch(url, undefined, from ? { source: from } : {}).then(
    (a) => `FETCHED ${a.status} ${a.url}`,
    (e: Error) => `refused: ${e.message}`,
  );
  const asked = internal.requests.length > before ? '  <-- INTERNAL SERVER ASKED' : '';
  console.log(`${url}\n    ${outcome}${asked}`);
};
console.log('== direct (no source) ==');
for (const url of direct) await attempt(url);
console.log(`== a source on ${source} redirecting ==`);
for (const url of viaSource) await attempt(url, source);
console.log('== connection reuse: source on the internal port fetched first, then another source asks for it ==');
await attempt(`http://127.0.0.1:${p}/secret`, `http://127.0.0.1:${p}/feed`);
await attempt(`http://127.0.0.1:${p}/secret`, `http://public.example/feed`);
await attempt(`http://127.0.0.1:${p}/secret`);
console.log(`lookups: ${lookups}`);
await http.destroy();
await internal.close();
await hop.close();
