import { createClient } from 'redis';
import { domainEvent, type DomainEvent } from '../../platform/events/envelope.ts';
import type { EventLog, LoggedEvent } from '../../platform/events/event-log.ts';
import { openEventLog, type EventLogSettings } from '../../platform/events/open.ts';
import { createLogger } from '../../platform/logger.ts';
import { setting } from '../../platform/config.ts';
import { uniqueName } from '../support/databases.ts';

/** The local Redis CI starts (see .ci/run); TEST_REDIS_URL points elsewhere. */
export const redisUrl = setting('TEST_REDIS_URL');

/** Every event log suite runs on both logs. */
export const eventLogEngines = [
  { engine: 'memory', redisUrl: undefined },
  { engine: 'redis', redisUrl },
] as const;

export interface TestEventLog {
  log: EventLog;
  keyPrefix: string;
  /** Closes the log and deletes its Redis keys. */
  dispose(): Promise<void>;
}

/** A log with keys no other run uses. */
export async function openTestEventLog(url: string | undefined, settings: Partial<EventLogSettings> = {}): Promise<TestEventLog> {
  const keyPrefix = `${uniqueName('test_events')}:`;
  const log = await openEventLog({ redisUrl: url, keyPrefix, maxLength: 10_000, commandTimeoutMs: 1_000, ...settings }, createLogger('event-log-test'));
  return {
    log,
    keyPrefix,
    async dispose() {
      await log.close();
      if (url) await withAdmin(url, async (admin) => {
        for await (const keys of admin.scanIterator({ MATCH: `${keyPrefix}*` })) if (keys.length > 0) await admin.del(keys);
      });
    },
  };
}

/** A plain connection for what the log does not do (inspecting, killing clients). */
export async function withAdmin<T>(url: string, work: (admin: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const admin = createClient({ url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}

/** An appointment booked: one event of aggregate `apt-<n>`. */
export const booked = (n: number, sequence = 1): DomainEvent =>
  domainEvent('org.healthgraph.appointment.booked.v1', { appointmentId: `apt-${n}`, patientId: `pat-${n % 3}`, slotId: `slot-${n}` }, sequence);

export const eventIds = (logged: readonly LoggedEvent[]) => logged.map((entry) => entry.event.id);
