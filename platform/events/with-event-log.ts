import type { EventLog } from './event-log.ts';
import { openEventLog } from './open.ts';

interface Service {
  close(): Promise<void>;
}

/** Starts a service on the event log the environment names (see openEventLog); closing it closes the log after the service. */
export async function withEventLogFromEnv(start: (eventLog: EventLog) => Promise<Service>): Promise<Service> {
  const eventLog = await openEventLog();
  const service = await start(eventLog).catch(async (error: unknown) => {
    await eventLog.close();
    throw error;
  });
  return {
    async close() {
      await service.close();
      await eventLog.close();
    },
  };
}
