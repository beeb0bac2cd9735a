import { LRUCache } from 'lru-cache';

/**
 * Reference data read by id across requests (practitioners, locations): few rows, asked for on
 * nearly every request, changed by an administrator now and then. A row is kept for `ttlMs`, so a
 * change made through another replica shows within that; this process's own writes `forget` it at
 * once. Rows are shared by every request that reads them: nobody may change one in place.
 */
export class ReferenceCache<T extends {}> {
  private readonly rows: LRUCache<string, Readonly<T>>;

  constructor(
    private readonly idOf: (row: T) => string,
    { max = 10_000, ttlMs = 30_000 }: { max?: number; ttlMs?: number } = {},
  ) {
    this.rows = new LRUCache({ max, ttl: ttlMs });
  }

  /** The rows of `ids` that exist: cached ones as they are, the others from `fetch` (and kept). */
  async byIds(ids: readonly string[], fetch: (missing: readonly string[]) => Promise<T[]>): Promise<Readonly<T>[]> {
    const missing = ids.filter((id) => !this.rows.has(id));
    // Unknown ids are not remembered: one created a moment later is found on the next read.
    if (missing.length > 0) for (const row of await fetch(missing)) this.rows.set(this.idOf(row), row);
    return ids.flatMap((id) => this.rows.get(id) ?? []);
  }

  /** After a write to the row (or, without an id, to rows the writer cannot name). */
  forget(id?: string): void {
    if (id === undefined) this.rows.clear();
    else this.rows.delete(id);
  }
}
