/** Keeps the promise of `load` once it succeeds; a failure is forgotten so the next call tries again. */
export function onceSucceeded<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
