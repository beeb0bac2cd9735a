import DataLoader from 'dataloader';

/**
 * One query per entity type per request: `fetch` gets every id asked for in the same tick.
 * Missing ids resolve to null (an unknown reference is not an error of the whole batch).
 */
export function entityLoader<T>(fetch: (ids: readonly string[]) => Promise<T[]>, idOf: (entity: T) => string) {
  return new DataLoader<string, T | null>(async (ids) => {
    const byId = new Map((await fetch(ids)).map((entity) => [idOf(entity), entity]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Same batching for one-to-many: every parent id's children, in one query. */
export function childrenLoader<T>(fetch: (parentIds: readonly string[]) => Promise<T[]>, parentOf: (child: T) => string) {
  return new DataLoader<string, T[]>(async (parentIds) => {
    const groups = new Map<string, T[]>(parentIds.map((id) => [id, []]));
    for (const child of await fetch(parentIds)) groups.get(parentOf(child))?.push(child);
    return parentIds.map((id) => groups.get(id) ?? []);
  });
}
