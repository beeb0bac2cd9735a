// What the events:* commands share: the consumer group named by --group, on the event log the
// environment names (REDIS_URL, EVENT_LOG_KEY_PREFIX). Exits 2 when the command could not run.
import { parseArgs } from 'node:util';
import { checkSettings, setting } from '../platform/config.ts';
import type { EventLog } from '../platform/events/event-log.ts';
import { describeFailure } from '../platform/events/failure.ts';
import { openEventLog } from '../platform/events/open.ts';

function groupArgument(command: string): string | undefined {
  try {
    const { values } = parseArgs({ options: { group: { type: 'string' } } });
    if (values.group) return values.group;
  } catch {
    // An unknown option: answered with the usage below.
  }
  console.error(`usage: npm run ${command} -- --group <consumer group, e.g. billing-encounters>`);
  return undefined;
}

export async function onGroup(command: string, work: (log: EventLog, group: string) => Promise<void>): Promise<void> {
  const group = groupArgument(command);
  if (!group) return void (process.exitCode = 2);
  try {
    checkSettings('events:*');
  } catch (error) {
    console.error((error as Error).message);
    return void (process.exitCode = 2);
  }
  // Without Redis the log is the running service's memory, out of this command's reach.
  if (!setting('REDIS_URL')) {
    console.error(`${command} needs REDIS_URL: an in-memory event log lives and dies with its service`);
    return void (process.exitCode = 2);
  }
  let log: EventLog | undefined;
  try {
    log = await openEventLog();
    await work(log, group);
  } catch (error) {
    const { code, message } = describeFailure(error);
    console.error(`${command} failed: ${code}: ${message}`);
    process.exitCode = 2;
  } finally {
    await log?.close();
  }
}
