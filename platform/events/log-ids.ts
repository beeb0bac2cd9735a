/** Stream ids, `<ms>-<n>` as Redis gives them: ordered by the millisecond, then the counter. */
const idParts = (id: string) => id.split('-').map(Number) as [number, number];

export function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = idParts(a);
  const [bMs, bSeq] = idParts(b);
  return aMs - bMs || aSeq - bSeq;
}

/** Like Redis: the clock's millisecond, and a counter within it (or when the clock went back). */
export function nextId(last: string): string {
  const [lastMs, lastSeq] = idParts(last);
  const now = Date.now();
  return now > lastMs ? `${now}-0` : `${lastMs}-${lastSeq + 1}`;
}

/** When the entry was appended: its id's millisecond. */
export const appendedAt = (id: string) => new Date(idParts(id)[0]);

/** The smallest id above `id`. */
export function idAfter(id: string): string {
  const [ms, seq] = idParts(id);
  return `${ms}-${seq + 1}`;
}

export const lowestId = (ids: readonly string[]) => ids.reduce((low, id) => (compareIds(id, low) < 0 ? id : low));
