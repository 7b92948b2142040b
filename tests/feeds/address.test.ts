// Which addresses the feed watcher may connect to: the classifier over IANA's special-purpose ranges, IPv4 and
// IPv6, an IPv6 address that carries an IPv4 one judged by it; and the lookup that refuses a name resolving to
// any non-public address.
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addressKind, isPublicAddress } from '../../src/feeds/address.js';
import { hostPort, publicOnly, RefusedAddress } from '../../src/feeds/connect.js';

describe('addressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.255', 'shared (CGNAT)'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'reserved'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'reserved'],
    ['100::1', 'reserved'],
    ['::2', 'reserved'],
    ['::127.0.0.1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b:1::1', 'reserved'],
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['2002:7f00:1::', 'loopback'],
    ['localhost', 'not an IP address'],
    ['2130706433', 'not an IP address'],
  ])('%s is %s', (ip, kind) => {
    expect(addressKind(ip)).toBe(kind);
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '169.253.255.255',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (ip) => {
    expect(addressKind(ip)).toBe('public');
    expect(isPublicAddress(ip)).toBe(true);
  });
});

describe('publicOnly (the lookup the connector uses for names)', () => {
  /** A resolver answering from a table, as dns.lookup answers. */
  const table =
    (answers: Record<string, LookupAddress[]>): LookupFunction =>
    (hostname, options, callback) => {
      const found = answers[hostname];
      if (!found)
        return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
      if (options.all) return callback(null, found);
      const first = found[0] as LookupAddress;
      return callback(null, first.address, first.family);
    };
  const lookup = publicOnly(
    table({
      'public.example': [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
      'mixed.example': [
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ],
      'mapped.example': [{ address: '::ffff:127.0.0.1', family: 6 }],
    }),
  );
  const ask = (hostname: string, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((resolve) =>
      lookup(hostname, { all }, (error, address, family) => resolve({ error, address, family })),
    );

  it('passes a name whose every address is public, in the form asked for (one, or all)', async () => {
    expect(await ask('public.example', false)).toEqual({ error: null, address: '93.184.215.14', family: 4 });
    expect((await ask('public.example', true)).address).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
  });

  it('refuses a name with any non-public address, naming it', async () => {
    for (const all of [false, true]) {
      const { error } = await ask('mixed.example', all);
      expect(error).toBeInstanceOf(RefusedAddress);
      expect(error?.message).toBe('refused to connect to mixed.example (10.0.0.7): not a public address (private)');
    }
    expect((await ask('mapped.example', false)).error?.message).toBe(
      'refused to connect to mapped.example (::ffff:127.0.0.1): not a public address (loopback)',
    );
  });

  it("passes the resolver's own failure on", async () => {
    expect((await ask('nowhere.example', false)).error?.message).toBe('getaddrinfo ENOTFOUND nowhere.example');
  });
});

describe('hostPort (the exempt host and port of a configured source)', () => {
  it('reads the host as the URL parser normalises it, and the default port of the scheme', () => {
    expect(hostPort('http://LocalHost/feed')).toEqual({ hostname: 'localhost', port: 80 });
    expect(hostPort('https://feeds.example/feed')).toEqual({ hostname: 'feeds.example', port: 443 });
    expect(hostPort('http://2130706433:8080/')).toEqual({ hostname: '127.0.0.1', port: 8080 });
    expect(hostPort('http://[::1]:81/')).toEqual({ hostname: '::1', port: 81 });
    expect(hostPort('not a url')).toBeUndefined();
  });
});
