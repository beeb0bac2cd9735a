import { setting } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { sampleOnScrape } from '../observability/metrics-route.ts';
import type { EventLog } from './event-log.ts';
import { consumerGroupMetrics } from './group-metrics.ts';
import { memoryStreamStore } from './memory-stream-store.ts';
import { openRedisStreamStore } from './redis-stream-store.ts';
import { streamEventLog } from './stream-event-log.ts';

export interface EventLogSettings {
  /** Redis Streams when set; in memory (embedded mode) otherwise. */
  redisUrl?: string;
  keyPrefix: string;
  /** Events kept for replay. */
  maxLength: number;
  /** A Redis command not answered by then fails, so appends never hang on a stalled server. */
  commandTimeoutMs: number;
}

/** REDIS_URL, EVENT_LOG_KEY_PREFIX, EVENT_LOG_MAX_LENGTH, EVENT_LOG_COMMAND_TIMEOUT_MS. */
export function eventLogSettingsFromEnv(): EventLogSettings {
  return {
    redisUrl: setting('REDIS_URL'),
    keyPrefix: setting('EVENT_LOG_KEY_PREFIX'),
    maxLength: setting('EVENT_LOG_MAX_LENGTH'),
    commandTimeoutMs: setting('EVENT_LOG_COMMAND_TIMEOUT_MS'),
  };
}

export async function openEventLog(settings = eventLogSettingsFromEnv(), logger: Logger = createLogger('event-log')): Promise<EventLog> {
  const { redisUrl, keyPrefix, maxLength, commandTimeoutMs } = settings;
  const store = redisUrl ? await openRedisStreamStore({ url: redisUrl, keyPrefix, commandTimeoutMs }, logger) : memoryStreamStore();
  const log = streamEventLog(store, { maxLength, logger });
  const stopSampling = sampleOnScrape(consumerGroupMetrics(log));
  return {
    ...log,
    async close() {
      stopSampling();
      await log.close();
    },
  };
}
