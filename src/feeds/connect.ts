// How the feed watcher's HTTP client opens connections: through undici's own connector, every address checked
// as the socket is opened. A URL's literal IP is checked as undici connects to it (the URL parser has already
// read http://2130706433/ and http://0x7f.1/ as 127.0.0.1, and [::ffff:7f00:1] is judged as 127.0.0.1); a name
// is checked on every address DNS gives for it, at the moment of connecting, so a name that answered a public
// address for one request and a private one for the next (DNS rebinding) is refused. The source's own host
// and port, as configured in feeds.yaml, are exempt: an operator who configures a feed on a private address
// means it.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { type AddressKind, addressKind } from './address.js';

/** A connection refused because its address is not public. */
export class RefusedAddress extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly kind: AddressKind,
  ) {
    const where = host === address ? address : `${host} (${address})`;
    super(`refused to connect to ${where}: not a public address (${kind})`);
    this.name = 'RefusedAddress';
  }
}

/** A host and port as undici connects to them: the host name in lower case, an IPv6 address without brackets. */
export interface HostPort {
  hostname: string;
  port: number;
}

/** The host and port `url` connects to (the scheme's default port when it names none); undefined if no URL. */
export function hostPort(url: string): HostPort | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return {
    hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase(),
    port: Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80),
  };
}

/** How the connector connects: its time limit, how names resolve (tests map names to 127.0.0.1), the exempt host. */
export interface ConnectorOptions {
  timeout: number;
  lookup?: LookupFunction;
  /** The source's own host and port, as configured: connected to whatever its address. */
  own?: HostPort;
}

/** undici's connector, refusing any address that is not public except on `own`. */
export function guardedConnector(options: ConnectorOptions): buildConnector.connector {
  const lookup = options.lookup ?? (dnsLookup as LookupFunction);
  const { own } = options;
  const open = buildConnector({ timeout: options.timeout, lookup });
  const guarded = buildConnector({ timeout: options.timeout, lookup: publicOnly(lookup) });
  return (params, callback) => {
    const port = Number(params.port) || (params.protocol === 'https:' ? 443 : 80);
    const hostname = params.hostname.toLowerCase();
    if (own && hostname === own.hostname && port === own.port) {
      open(params, callback);
      return;
    }
    // A literal IP is never looked up: it is checked here.
    if (isIP(hostname)) {
      const kind = addressKind(hostname);
      if (kind !== 'public') {
        callback(new RefusedAddress(hostname, hostname, kind), null);
        return;
      }
    }
    guarded(params, callback);
  };
}

/**
 * A lookup that fails when any address the name resolves to is not public: a name that answers a private
 * address beside public ones is not a publisher's site (a site is never reachable only some of the time).
 */
export function publicOnly(lookup: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) {
        callback(error, '');
        return;
      }
      const addresses = found as LookupAddress[];
      for (const { address } of addresses) {
        const kind = addressKind(address);
        if (kind !== 'public') {
          callback(new RefusedAddress(hostname, address, kind), '');
          return;
        }
      }
      const first = addresses[0];
      // No address is a name not found, whatever was asked: net's connect reads the first of the list.
      if (!first) callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      else if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
