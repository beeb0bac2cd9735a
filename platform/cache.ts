import { LRUCache } from 'lru-cache';

/**
 * The caches of every room: the lru-cache package, bounded by entry count, least recently used out
 * first, so a flood of one-off keys (tokens, documents, callers) cannot grow memory.
 */
export const boundedCache = <K extends {}, V extends {}>(max: number): LRUCache<K, V> => new LRUCache<K, V>({ max });

/** The value cached for `key`, or `compute()`'s, then cached. */
export function cachedOr<K extends {}, V extends {}>(cache: LRUCache<K, V>, key: K, compute: () => V): V {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute();
  cache.set(key, value);
  return value;
}

/** A bounded cache whose entries end at an instant of the wall clock: a token's expiry, never past it. */
export interface ExpiringCache<V> {
  get(key: string): V | undefined;
  /** Nothing is kept when `expiresAtMs` has passed already. */
  set(key: string, value: V, expiresAtMs: number): void;
}

export function expiringCache<V extends {}>(max: number): ExpiringCache<V> {
  // Ages are read from Date.now (what token expiries are in), on every read: no cached clock tick.
  const cache = new LRUCache<string, V>({ max, ttlResolution: 0, perf: { now: () => Date.now() } });
  return {
    get: (key) => cache.get(key),
    set(key, value, expiresAtMs) {
      // lru-cache ages an entry out once its age is above the ttl; gone at `expiresAtMs` itself is
      // one millisecond less. A ttl of 0 would mean "forever" to it: nothing is kept then.
      const ttl = expiresAtMs - Date.now() - 1;
      if (ttl > 0) cache.set(key, value, { ttl });
    },
  };
}
