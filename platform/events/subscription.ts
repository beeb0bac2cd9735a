import type { Logger } from '../logger.ts';
import type { EventHandler, SubscribeOptions } from './event-log.ts';
import { describeFailure } from './failure.ts';
import { loggedEvent } from './log-entries.ts';
import { closingReader, runLoop, type RunningLoop } from './loop.ts';
import type { StreamStore } from './stream-store.ts';

export const readDefaults = { batchSize: 100, blockMs: 5_000, backoff: { initialMs: 100, maxMs: 30_000 } };

/** Tails one stream from `afterId`: each entry handed over once, resuming after the last one handled. */
export function subscribeTo(store: StreamStore, stream: string, afterId: string, handler: EventHandler, options: SubscribeOptions, logger: Logger): RunningLoop {
  const { batchSize, blockMs, backoff } = { ...readDefaults, ...options };
  const reader = store.openReader(blockMs);
  let cursor = afterId;
  const loop = runLoop('subscription', logger, backoff, async (signal) => {
    for (const entry of await reader.read(stream, cursor, batchSize)) {
      if (signal.aborted) return;
      const logged = loggedEvent(entry);
      try {
        await handler(logged);
      } catch (error) {
        logger.warn({ logId: logged.logId, eventId: logged.event.id, code: describeFailure(error).code }, 'subscriber failed on an event; skipped');
      }
      cursor = entry.id;
    }
  });
  return closingReader(loop, reader);
}
