import { describe, expect, it, vi } from 'vitest';
import { ReferenceCache } from '../../platform/subgraph/reference-cache.ts';

interface Practitioner {
  id: string;
  name: string;
}

/** A table the cache reads from, counting which ids each read asked for. */
function practitionerTable(rows: Practitioner[]) {
  const asked: string[][] = [];
  return {
    rows,
    asked,
    fetch: async (ids: readonly string[]) => {
      asked.push([...ids]);
      return rows.filter((row) => ids.includes(row.id)).map((row) => ({ ...row }));
    },
  };
}

describe('reference data cached across requests', () => {
  it('reads only the ids it does not hold, and answers in the order asked', async () => {
    const table = practitionerTable([{ id: 'pr-1', name: 'Okafor' }, { id: 'pr-2', name: 'Lindqvist' }]);
    const cache = new ReferenceCache<Practitioner>((row) => row.id);
    expect((await cache.byIds(['pr-1'], table.fetch)).map((row) => row.name)).toEqual(['Okafor']);
    expect((await cache.byIds(['pr-2', 'pr-1'], table.fetch)).map((row) => row.name)).toEqual(['Lindqvist', 'Okafor']);
    expect(table.asked).toEqual([['pr-1'], ['pr-2']]);
  });

  it('does not remember an unknown id: a practitioner created a moment later is found', async () => {
    const table = practitionerTable([]);
    const cache = new ReferenceCache<Practitioner>((row) => row.id);
    expect(await cache.byIds(['pr-9'], table.fetch)).toEqual([]);
    table.rows.push({ id: 'pr-9', name: 'Haddad' });
    expect((await cache.byIds(['pr-9'], table.fetch)).map((row) => row.name)).toEqual(['Haddad']);
  });

  it("shows this process's own change once the writer forgets the row", async () => {
    const table = practitionerTable([{ id: 'pr-1', name: 'Okafor' }]);
    const cache = new ReferenceCache<Practitioner>((row) => row.id);
    await cache.byIds(['pr-1'], table.fetch);
    table.rows[0]!.name = 'Okafor-Reyes';
    expect((await cache.byIds(['pr-1'], table.fetch))[0]!.name).toBe('Okafor');
    cache.forget('pr-1');
    expect((await cache.byIds(['pr-1'], table.fetch))[0]!.name).toBe('Okafor-Reyes');
  });

  it("shows another replica's change once the row's time is up", async () => {
    const table = practitionerTable([{ id: 'pr-1', name: 'Okafor' }]);
    const cache = new ReferenceCache<Practitioner>((row) => row.id, { ttlMs: 1 });
    await cache.byIds(['pr-1'], table.fetch);
    table.rows[0]!.name = 'Okafor-Reyes';
    // lru-cache reads a clock it refreshes by timer: on a busy machine the 1 ms may show a little later.
    await vi.waitFor(async () => expect((await cache.byIds(['pr-1'], table.fetch))[0]!.name).toBe('Okafor-Reyes'), { timeout: 2_000, interval: 5 });
  });
});
