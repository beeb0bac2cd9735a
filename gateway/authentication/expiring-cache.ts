/**
 * A bounded map whose entries end at a given instant. Least recently used entries go first when
 * full, so a hot caller stays cached while a flood of one-off tokens cannot grow memory.
 * (lru-cache would do; it is not a dependency, and this is all we need of it.)
 */
export class ExpiringCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAtMs: number }>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (Date.now() >= entry.expiresAtMs) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, expiresAtMs: number): void {
    if (Date.now() >= expiresAtMs) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAtMs });
  }
}
