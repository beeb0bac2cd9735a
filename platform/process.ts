import { startTracing, tracingSettingsFromEnv } from './observability/tracing.ts';

/** Starts a service and closes it cleanly on SIGINT/SIGTERM; a failed start exits non-zero. */
export function runUntilSignalled(start: () => Promise<{ close(): Promise<void> }>): void {
  const starting = Promise.resolve().then(() => {
    // Before anything is served, so the first request is traced too (a no-op unless a setting asks for it).
    startTracing(tracingSettingsFromEnv());
    return start();
  });
  starting.then(
    (service) => {
      const stop = () => {
        service.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`failed to start: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
