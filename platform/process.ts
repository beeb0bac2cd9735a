import { setting } from './config.ts';
import { startTracing, tracingSettingsFromEnv } from './observability/tracing.ts';

export interface StopOptions {
  /** What stops the service: SIGINT and SIGTERM; a worker of a pool, only its primary's SIGTERM. */
  signals?: readonly NodeJS.Signals[];
  /** Another way to be told to stop: a worker's primary going away. */
  stopWhen?: (stop: () => void) => void;
  /** False for a service that hands each span's parent over itself (see TracingSettings.implicitContext). */
  implicitTraceContext?: boolean;
}

/**
 * Starts a service and closes it gracefully on SIGINT/SIGTERM (requests in flight finish within
 * SHUTDOWN_DRAIN_MS, then pools and logs close); a second signal, or a close that overruns the drain
 * time by 10 s, exits at once. A failed start exits non-zero.
 */
export function runUntilSignalled(start: () => Promise<{ close(): Promise<void> }>, { signals = ['SIGINT', 'SIGTERM'], stopWhen, implicitTraceContext = true }: StopOptions = {}): void {
  const starting = Promise.resolve().then(() => {
    // Before anything is served, so the first request is traced too (a no-op unless a setting asks for it).
    startTracing(tracingSettingsFromEnv(0, implicitTraceContext));
    return start();
  });
  starting.then(
    (service) => {
      let stopping = false;
      const stop = () => {
        if (stopping) process.exit(1);
        stopping = true;
        setTimeout(() => process.exit(1), setting('SHUTDOWN_DRAIN_MS') + 10_000).unref();
        service.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      for (const signal of signals) process.on(signal, stop);
      stopWhen?.(stop);
    },
    (error: unknown) => {
      console.error(`failed to start: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
