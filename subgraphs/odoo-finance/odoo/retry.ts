import { backoffDelay } from '../../../platform/events/backoff.ts';

export interface RetryPolicy {
  /** Further attempts after the first one. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 2, baseDelayMs: 100, maxDelayMs: 2_000 };

/** The shared exponential backoff with full jitter, so clients that failed together do not retry together. */
const jitteredDelay = ({ baseDelayMs, maxDelayMs }: RetryPolicy, retry: number) =>
  Math.random() * backoffDelay({ initialMs: baseDelayMs, maxMs: maxDelayMs }, retry + 1);

/** Runs `operation`, trying again after a backoff while `shouldRetry` says the failure allows it. */
export async function withRetries<T>(
  operation: () => Promise<T>,
  policy: RetryPolicy,
  shouldRetry: (error: unknown) => boolean,
  onRetry: (retry: number, delayMs: number, error: unknown) => void,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await operation();
    } catch (error) {
      if (retry >= policy.attempts || !shouldRetry(error)) throw error;
      const delayMs = jitteredDelay(policy, retry);
      onRetry(retry + 1, delayMs, error);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
