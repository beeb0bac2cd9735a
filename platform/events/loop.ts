import type { Logger } from '../logger.ts';
import { backoffDelay, pause, type Backoff } from './backoff.ts';
import { describeFailure } from './failure.ts';

/** A background reader or writer of the log; `close()` stops it after the step in hand. */
export interface RunningLoop {
  close(): Promise<void>;
}

/** Calls `listener` each time what the loop waits for is reachable again; answers how to stop calling it. */
export type OnReconnect = (listener: () => void) => () => void;

/**
 * Runs `step` until closed. A failing step (the log or the database unreachable) is retried with
 * backoff, so an outage neither spins the loop nor stops it. With `onReconnect`, a reconnection ends
 * the backoff at once and starts it afresh: after a long outage the loop resumes in moments, not
 * after the longest backoff.
 */
export function runLoop(name: string, logger: Logger, backoff: Backoff, step: (signal: AbortSignal) => Promise<void>, onReconnect?: OnReconnect): RunningLoop {
  const stop = new AbortController();
  let reconnected = new AbortController();
  const stopListening = onReconnect?.(() => reconnected.abort());
  const done = (async () => {
    let failures = 0;
    let backoffAttempt = 0;
    while (!stop.signal.aborted) {
      try {
        await step(stop.signal);
        if (failures > 0) logger.info({ loop: name, failures }, 'recovered');
        failures = 0;
        backoffAttempt = 0;
      } catch (error) {
        if (stop.signal.aborted) break;
        failures++;
        // The code only: a database or handler message may quote data.
        logger.warn({ loop: name, failures, code: describeFailure(error).code }, 'step failed; backing off');
        await pause(backoffDelay(backoff, ++backoffAttempt), AbortSignal.any([stop.signal, reconnected.signal]));
        if (reconnected.signal.aborted) {
          reconnected = new AbortController();
          backoffAttempt = 0;
        }
      }
    }
  })();
  return {
    async close() {
      stopListening?.();
      stop.abort();
      await done;
    },
  };
}

/** Closes the loop and, at the same time, the reader its step may be waiting on. */
export function closingReader(loop: RunningLoop, reader: { close(): Promise<void> }): RunningLoop {
  return {
    async close() {
      await Promise.all([loop.close(), reader.close()]);
    },
  };
}
