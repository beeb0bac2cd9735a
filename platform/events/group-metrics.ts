import { deadLetters, eventLogLag, eventLogPending } from '../observability/metrics.ts';
import type { Sampler } from '../observability/metrics-route.ts';
import type { EventLog } from './event-log.ts';

/** Lag, pending and dead letters of every consumer group, read from the log at scrape time. */
export const consumerGroupMetrics =
  (log: EventLog): Sampler =>
  async () => {
    for (const { group, lag, pending, deadLetters: dead } of await log.groups()) {
      eventLogLag.set({ group }, lag);
      eventLogPending.set({ group }, pending);
      deadLetters.set({ group }, dead);
    }
  };
