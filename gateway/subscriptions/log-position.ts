const parts = (id: string) => id.split('-').map(Number) as [number, number];

/** Whether log id `id` (`<ms>-<n>`) comes after `cursor`: ids compare as number pairs, not strings. */
export function isAfter(id: string, cursor: string): boolean {
  const [ms, seq] = parts(id);
  const [cursorMs, cursorSeq] = parts(cursor);
  return ms > cursorMs || (ms === cursorMs && seq > cursorSeq);
}
