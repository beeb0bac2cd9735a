import type { Logger } from '../logger.ts';
import { contextFrom, inSpan, SpanKind } from '../observability/tracing.ts';
import { backoffDelay, pause } from './backoff.ts';
import type { ConsumeOptions, EventHandler, LoggedEvent } from './event-log.ts';
import { describeFailure, type Failure } from './failure.ts';
import { deadLetterFields, loggedEvent } from './log-entries.ts';
import { closingReader, runLoop, type RunningLoop } from './loop.ts';
import type { GroupEntry, StreamStore } from './stream-store.ts';
import { readDefaults } from './subscription.ts';

const consumeDefaults = { ...readDefaults, batchSize: 20, maxAttempts: 5, claimIdleMs: 60_000 };

/** Where a group reads (the log, then what was replayed to it) and where it gives up events. */
export interface GroupStreams {
  sources: readonly [log: string, redeliveries: string];
  deadLetters: string;
  maxLength: number;
}

async function attempt(handler: EventHandler, logged: LoggedEvent): Promise<Failure | undefined> {
  try {
    await handler(logged);
    return undefined;
  } catch (error) {
    return describeFailure(error);
  }
}

/**
 * One consumer of a group. Each cycle first takes over entries a dead or stuck consumer left
 * unacknowledged, then waits for new ones. A failing handler is retried with backoff in place
 * (the entry stays claimed meanwhile), then dead-lettered; ack and dead letter are one step.
 */
export function consumeGroup(
  store: StreamStore,
  streams: GroupStreams,
  group: string,
  consumer: string,
  handler: EventHandler,
  options: ConsumeOptions,
  logger: Logger,
): RunningLoop {
  const { batchSize, blockMs, backoff, maxAttempts, claimIdleMs } = { ...consumeDefaults, ...options };
  if (backoff.maxMs >= claimIdleMs) throw new Error('backoff.maxMs must be shorter than claimIdleMs, or a retried event is claimed by another consumer');
  const log = logger.child({ group, consumer });

  async function handle(entry: GroupEntry, signal: AbortSignal): Promise<void> {
    const logged = loggedEvent(entry);
    for (let attempts = 1; ; attempts++) {
      // Each attempt continues the trace the event was announced in.
      const failure = await inSpan(
        `process ${logged.event.type}`,
        { kind: SpanKind.CONSUMER, parent: contextFrom(logged.event), attributes: { 'healthgraph.service': group, 'messaging.consumer.group.name': group, 'messaging.message.id': logged.event.id, 'healthgraph.attempt': attempts } },
        () => attempt(handler, logged),
      );
      if (!failure) return store.ack(entry.stream, group, entry.id);
      if (attempts >= maxAttempts) {
        log.warn({ logId: logged.logId, eventId: logged.event.id, attempts, code: failure.code }, 'event dead-lettered');
        return store.ackAndAdd(entry.stream, group, entry.id, streams.deadLetters, deadLetterFields(logged, attempts, failure), streams.maxLength);
      }
      await pause(backoffDelay(backoff, attempts), signal);
      // Closing mid-retry leaves the entry unacknowledged: a consumer claims it after claimIdleMs.
      if (signal.aborted) return;
      await store.keepClaimed(entry.stream, group, consumer, entry.id);
    }
  }

  const reader = store.openReader(blockMs);
  let joined = false;
  const loop = runLoop(`consumer ${group}`, log, backoff, async (signal) => {
    try {
      if (!joined) await store.createGroup(streams.sources, group);
      joined = true;
      const claimed = (await Promise.all(streams.sources.map((source) => store.claimIdle(source, group, consumer, claimIdleMs, batchSize)))).flat();
      const entries = claimed.length > 0 ? claimed : await reader.readGroup(group, consumer, streams.sources, batchSize);
      for (const entry of entries) {
        if (signal.aborted) return;
        await handle(entry, signal);
      }
    } catch (error) {
      // The group may be gone with its stream (a flushed Redis): join again before the next read.
      joined = false;
      throw error;
    }
  }, store.onReconnect);
  return closingReader(loop, reader);
}
