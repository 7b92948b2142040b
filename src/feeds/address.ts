// Which network addresses are public: the feed watcher connects only to those (and to a source's own configured
// host), so a feed's links and redirects cannot reach the machine it runs on, its network or a cloud metadata
// service. The ranges are IANA's special-purpose registries for IPv4 and IPv6, plus multicast and the reserved
// 240/4; an IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4) is judged by the IPv4 address.
import { BlockList, isIP } from 'node:net';

/** What kind of address an IP is: `public`, or why it is not. */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared (CGNAT)'
  | 'unique-local'
  | 'multicast'
  | 'unspecified'
  | 'documentation'
  | 'reserved'
  | 'not an IP address';

/** The non-public ranges, by kind; an address in none of them (and, for IPv6, in 2000::/3) is public. */
const RANGES: readonly [Exclude<AddressKind, 'public' | 'not an IP address'>, string, number, 'ipv4' | 'ipv6'][] = [
  ['unspecified', '0.0.0.0', 8, 'ipv4'], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['private', '10.0.0.0', 8, 'ipv4'], // RFC 1918
  ['shared (CGNAT)', '100.64.0.0', 10, 'ipv4'], // RFC 6598
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'], // cloud metadata services live here
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['documentation', '192.0.2.0', 24, 'ipv4'],
  ['reserved', '192.88.99.0', 24, 'ipv4'], // 6to4 relay anycast, deprecated
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'], // benchmarking
  ['documentation', '198.51.100.0', 24, 'ipv4'],
  ['documentation', '203.0.113.0', 24, 'ipv4'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'], // includes the broadcast 255.255.255.255
  ['unspecified', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['reserved', '64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['reserved', '100::', 64, 'ipv6'], // discard-only
  ['reserved', '2001::', 23, 'ipv6'], // IETF protocol assignments (Teredo, benchmarking, ORCHID)
  ['documentation', '2001:db8::', 32, 'ipv6'],
  ['documentation', '3fff::', 20, 'ipv6'],
  ['unique-local', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['reserved', 'fec0::', 10, 'ipv6'], // site-local, deprecated
  ['multicast', 'ff00::', 8, 'ipv6'],
];

const LISTS = RANGES.map(([kind, network, prefix, type]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { kind, list, type };
});

const GLOBAL_UNICAST = new BlockList();
GLOBAL_UNICAST.addSubnet('2000::', 3, 'ipv6');

/** The kind of `ip` (IPv4 in any form `net.isIP` accepts, IPv6 with or without a `%zone`). */
export function addressKind(ip: string): AddressKind {
  const address = ip.replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return kindOf(address, 'ipv4') ?? 'public';
  if (family !== 6) return 'not an IP address';
  const embedded = embeddedIPv4(address);
  if (embedded) return addressKind(embedded);
  return kindOf(address, 'ipv6') ?? (GLOBAL_UNICAST.check(address, 'ipv6') ? 'public' : 'reserved');
}

/** Whether `ip` is a public address. */
export const isPublicAddress = (ip: string): boolean => addressKind(ip) === 'public';

function kindOf(address: string, type: 'ipv4' | 'ipv6'): AddressKind | undefined {
  return LISTS.find((range) => range.type === type && range.list.check(address, type))?.kind;
}

/**
 * The IPv4 address an IPv6 one stands for, where the packets go to it: IPv4-mapped (::ffff:0:0/96), NAT64's
 * well-known prefix (64:ff9b::/96, what DNS64 answers on an IPv6-only host) and 6to4 (2002::/16).
 */
function embeddedIPv4(address: string): string | undefined {
  const groups = ipv6Groups(address);
  const quad = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return quad(g6 ?? 0, g7 ?? 0);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return quad(g6 ?? 0, g7 ?? 0);
  if (g0 === 0x2002) return quad(g1 ?? 0, g2 ?? 0);
  return undefined;
}

/** A valid IPv6 address (`net.isIP` said so) as its eight 16-bit groups. */
function ipv6Groups(address: string): number[] {
  // A dotted IPv4 tail (::ffff:127.0.0.1) is two groups.
  const text = address.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_, a, b, c, d) => `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`,
  );
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16)));
  const [left = '', right] = text.split('::');
  if (right === undefined) return parse(left);
  const head = parse(left);
  const tail = parse(right);
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}
