// A few sockets that send a header line every second and never finish: how long does the server keep them?
// node bench/attack/slowloris.mjs PORT [SOCKETS] [GIVE_UP_MS]
import net from 'node:net';

const port = Number(process.argv[2]);
const sockets = Number(process.argv[3] ?? 4);
const giveUp = Number(process.argv[4] ?? 60_000);
const t0 = Date.now();
const closed = await Promise.all(
  Array.from(
    { length: sockets },
    (_, i) =>
      new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1');
        let got = '';
        s.on('data', (d) => {
          got += d;
        });
        s.write('GET / HTTP/1.1\r\nHost: x\r\n');
        const iv = setInterval(() => s.write(`X-${i}: b\r\n`), 1000);
        const stop = setTimeout(() => {
          s.destroy();
        }, giveUp);
        s.on('close', () => {
          clearInterval(iv);
          clearTimeout(stop);
          resolve(`${Date.now() - t0} ms ${got.split('\r\n')[0] || '(no answer)'}`);
        });
        s.on('error', () => {});
      }),
  ),
);
console.log(closed.join('\n'));
