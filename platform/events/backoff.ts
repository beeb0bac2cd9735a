import { setTimeout as delay } from 'node:timers/promises';

/** Exponential backoff: `initialMs`, doubling per attempt, never above `maxMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const backoffDelay = ({ initialMs, maxMs }: Backoff, attempt: number) => Math.min(maxMs, initialMs * 2 ** (attempt - 1));

/** Waits `ms`, or less when `signal` aborts: closing never waits out a backoff. */
export const pause = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms, undefined, { signal }).catch(() => undefined);
