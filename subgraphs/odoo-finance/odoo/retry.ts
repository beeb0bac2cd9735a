export interface RetryPolicy {
  /** Further attempts after the first one. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 2, baseDelayMs: 100, maxDelayMs: 2_000 };

/** Exponential backoff with full jitter, so clients that failed together do not retry together. */
export const backoffDelay = (policy: RetryPolicy, retry: number) =>
  Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);

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
      const delayMs = backoffDelay(policy, retry);
      onRetry(retry + 1, delayMs, error);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
