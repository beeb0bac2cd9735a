/** A log id (`<ms>-<n>`) as numbers: ids compare as number pairs, not as strings. */
export interface LogPosition {
  ms: number;
  seq: number;
}

let last: { id: string; position: LogPosition } | undefined;

/** Parsed once for the many subscribers one event is offered to in turn. */
export function positionOf(id: string): LogPosition {
  if (last?.id !== id) {
    const [ms, seq] = id.split('-').map(Number) as [number, number];
    last = { id, position: { ms, seq } };
  }
  return last.position;
}

export const isAfter = (position: LogPosition, cursor: LogPosition): boolean =>
  position.ms > cursor.ms || (position.ms === cursor.ms && position.seq > cursor.seq);
