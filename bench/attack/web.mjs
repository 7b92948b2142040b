// Raw-socket attack on a running web view: node bench/attack/web.mjs PORT. Prints each probe's status line.
import net from 'node:net';

const port = Number(process.argv[2]);
function raw(text, { wait = 5000 } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const t = setTimeout(() => {
      s.destroy();
      resolve(got || '(timeout)');
    }, wait);
    s.on('data', (d) => {
      got += d;
    });
    s.on('end', () => {
      clearTimeout(t);
      resolve(got);
    });
    s.on('error', (e) => {
      clearTimeout(t);
      resolve(`(error ${e.code}) ${got}`);
    });
    s.write(text);
  });
}
const req = (m, p, extra = '') => `${m} ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extra}\r\n`;
const probes = [
  ['POST', `${req('POST', '/', 'Content-Length: 5\r\n')}hello`],
  ['PUT', req('PUT', '/timeline', 'Content-Length: 0\r\n')],
  ['OPTIONS', req('OPTIONS', '*')],
  ['TRACE', req('TRACE', '/')],
  ['CONNECT', 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n'],
  ['dotdot', req('GET', '/events/../')],
  ['dotdot2', req('GET', '/events/..%2f..%2fetc%2fpasswd')],
  ['encslash', req('GET', '/events/a%2Fb')],
  ['nul', req('GET', '/events/%00')],
  ['badpct', req('GET', '/events/%E0%A4%A')],
  ['longpath', req('GET', `/events/${'a'.repeat(15000)}`)],
  ['longquery', req('GET', `/timeline?level=${'a'.repeat(15000)}`)],
  ['repeat', req('GET', '/timeline?level=minister&level=minister')],
  ['baddate', req('GET', '/timeline?from=2024-02-31')],
  ['baddate2', req('GET', '/export.ics?from=99999-01-01')],
  ['bidi', req('GET', '/timeline?topic=%E2%80%AEevil')],
  ['script', req('GET', '/people/%3Cscript%3Ealert(1)%3C%2Fscript%3E')],
  ['abs', req('GET', 'http://evil.example/timeline')],
  ['abs2', req('GET', '//evil.example/timeline')],
  ['inm', req('GET', '/', `If-None-Match: ${Array.from({ length: 2000 }, (_, i) => `"${i}"`).join(',')}\r\n`)],
  ['inmstar', req('GET', '/', 'If-None-Match: *\r\n')],
  ['HEAD', req('HEAD', '/timeline')],
  ['hugehdr', req('GET', '/', `X-Big: ${'b'.repeat(20000)}\r\n`)],
  ['manyhdr', req('GET', '/', Array.from({ length: 3000 }, (_, i) => `X-${i}: 1\r\n`).join(''))],
  ['csv', req('GET', `/events.csv?topic=${encodeURIComponent('=cmd')}`)],
  ['subs', req('GET', '/subscriptions')],
  ['drafts', req('GET', '/drafts')],
  ['schedules', req('GET', '/schedules')],
  ['health', req('GET', '/healthz')],
  ['page', req('GET', '/timeline?page=99999999999999999999')],
  ['pageneg', req('GET', '/timeline?page=-1')],
  ['exportall', req('GET', '/events.csv')],
  ['http10', 'GET / HTTP/1.0\r\n\r\n'],
  ['chunked-get', `${req('GET', '/', 'Transfer-Encoding: chunked\r\n')}5\r\nhello\r\n0\r\n\r\n`],
  ['smuggle', `${req('GET', '/', 'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n')}0\r\n\r\n`],
];
for (const [name, text] of probes) {
  const out = await raw(text);
  const status = out.split('\r\n')[0];
  const len = out.length;
  const body = out.split('\r\n\r\n').slice(1).join('');
  const leak = /<script>/i.test(body) ? ' RAW-SCRIPT' : '';
  console.log(name.padEnd(12), status, len, leak);
}
// slowloris: a few sockets sending a header byte each second
const t0 = Date.now();
const slow = await Promise.all(
  Array.from(
    { length: 4 },
    () =>
      new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        s.write('GET / HTTP/1.1\r\nHost: x\r\n');
        const iv = setInterval(() => s.write('X-a: b\r\n'), 1000);
        s.on('close', () => {
          clearInterval(iv);
          resolve(Date.now() - t0);
        });
        s.on('error', () => {});
        setTimeout(() => {
          clearInterval(iv);
          s.destroy();
        }, 20000);
      }),
  ),
);
console.log('slowloris closed after ms', slow);
// concurrency
const t1 = Date.now();
const res = await Promise.all(
  Array.from({ length: 300 }, (_, i) =>
    fetch(`http://127.0.0.1:${port}/timeline?page=${(i % 7) + 1}&x=${i}`)
      .then((r) => r.status)
      .catch((e) => e.code || e.message),
  ),
);
const counts = {};
for (const r of res) counts[r] = (counts[r] || 0) + 1;
console.log('300 concurrent', counts, Date.now() - t1, 'ms');
