// Redis through @keyv/redis on one node-redis client, with SET NX, INCR and short Lua scripts for the atomic steps.
import KeyvRedis, { createClient } from '@keyv/redis';
import type { KeyvStoreAdapter } from 'keyv';
import type { Backend, LeaseResult } from './backend.js';

/** Acquire or renew: KEYS lease, token; ARGV holder, ttl ms. Returns {held 0|1, token}. */
const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('INCR', KEYS[2])}
end
return {0, tonumber(redis.call('GET', KEYS[2]) or '0')}`;

/** Every key or none: KEYS the keys, ARGV their values. Returns 1 if it wrote them, 0 if one existed. */
const SET_ALL_IF_ABSENT = `
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then return 0 end
end
for i, key in ipairs(KEYS) do redis.call('SET', key, ARGV[i]) end
return 1`;

/** Release if owner: KEYS lease; ARGV holder. Returns 1 if released. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** How long the first connection, handshake included, may take. */
const CONNECT_MS = 5_000;

/** Connects to `url` (failing at once if the first connection fails) and returns the backend for `scope`. */
export async function openRedis(url: string, scope: string): Promise<Backend> {
  let connected = false;
  const client = createClient({
    url,
    // A command that cannot be sent now fails now: queued commands would run when Redis returns, long after
    // the caller was told the store was not answering (a subscription made after its refusal).
    disableOfflineQueue: true,
    // A connection that went silent (a network partition) is noticed within seconds, not at the TCP timeout.
    pingInterval: 5000,
    socket: {
      connectTimeout: 3000,
      // Reconnect after a drop, but let the first connection fail so start-up can say so.
      reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 2000) : cause),
    },
  });
  client.on('error', () => {}); // reported through the failing command instead
  // connectTimeout bounds the TCP connect only: a server that accepts and never answers the handshake
  // would hold the caller forever. The whole connect is bounded too, and the client torn down after it.
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CONNECT_MS} ms`)), CONNECT_MS);
      }),
    ]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  connected = true;
  const leaseKey = (name: string) => `${scope}:lease:${name}`;
  const tokenKey = (name: string) => `${scope}:lease-token:${name}`;
  const namespaced = (namespace: string) => `${scope}:${namespace}`;

  return {
    kind: 'redis',
    store: (namespace) => {
      // keyv passes its namespace on to the store, which writes `namespace::key`.
      // Each KeyvRedis adds an 'error' listener to the shared client: one namespace each, not a leak, so the
      // client's limit grows with them (Node would otherwise warn past ten, at every start).
      client.setMaxListeners(client.getMaxListeners() + 1);
      const store = new KeyvRedis(client, { namespace: namespaced(namespace), throwOnErrors: true });
      // @keyv/redis's iterator SCANs 10 keys a round trip and yields a key deleted between SCAN and its
      // read without a value, which keyv cannot read. This one asks for 1,000 a round trip and skips
      // keys that are gone by the time they are read.
      store.iterator = async function* (ns?: string) {
        const prefix = `${ns ?? namespaced(namespace)}::`;
        let cursor = '0';
        do {
          const result = await client.scan(cursor, { MATCH: `${prefix}*`, COUNT: 1000, TYPE: 'string' });
          cursor = String(result.cursor);
          if (result.keys.length === 0) continue;
          const values = await client.mGet(result.keys);
          for (const [i, key] of result.keys.entries()) {
            const value = values[i];
            if (value !== null && value !== undefined) yield [key.slice(prefix.length), value];
          }
        } while (cursor !== '0');
      } as typeof store.iterator;
      return { store: store as unknown as KeyvStoreAdapter, namespace: namespaced(namespace), useKeyPrefix: false };
    },
    rawKey: (namespace, key) => `${namespaced(namespace)}::${key}`,
    setIfAbsent: async (rawKey, serialized) => (await client.set(rawKey, serialized, { condition: 'NX' })) === 'OK',
    setManyIfAbsent: async (items) => {
      if (items.length === 0) return 0;
      const pipeline = client.multi();
      for (const [key, value] of items) pipeline.set(key, value, { condition: 'NX' });
      return (await pipeline.execAsPipeline()).filter((reply) => String(reply) === 'OK').length;
    },
    setAllIfAbsent: async (items) =>
      items.length === 0 ||
      (await client.eval(SET_ALL_IF_ABSENT, {
        keys: items.map(([key]) => key),
        arguments: items.map(([, value]) => value),
      })) === 1,
    acquireLease: async (name, holder, ttlMs): Promise<LeaseResult> => {
      const [held, token] = (await client.eval(ACQUIRE, {
        keys: [leaseKey(name), tokenKey(name)],
        arguments: [holder, String(Math.max(1, Math.round(ttlMs)))],
      })) as [number, number];
      return { held: held === 1, token: Number(token) };
    },
    releaseLease: async (name, holder) =>
      (await client.eval(RELEASE, { keys: [leaseKey(name)], arguments: [holder] })) === 1,
    destroy: async () => {
      const keys: string[] = [];
      for await (const batch of client.scanIterator({ MATCH: `${scope}:*`, COUNT: 500 })) keys.push(...batch);
      if (keys.length > 0) await client.del(keys);
    },
    close: async () => {
      await client.close();
    },
  };
}
