import type { EventLog } from '../../../platform/events/event-log.ts';
import type { OdooClient } from '../odoo/client.ts';
import { OdooTransientError, OdooUnavailableError } from '../odoo/errors.ts';

/** Failures that say Odoo could not be reached (the code describeFailure gives them): the events were fine, the moment was not. */
const OUTAGES = new Set([OdooTransientError.name, OdooUnavailableError.name]);

/**
 * Once Odoo answers again, hands the group the dead letters an outage left. Every handler looks
 * in Odoo before it creates, so a replay makes nothing twice; letters that failed for another
 * reason are replayed with them and fail again, and no longer trigger a replay on their own.
 */
export async function replayAfterOutage(log: EventLog, odoo: OdooClient, group: string): Promise<number> {
  const letters = await log.deadLetters(group);
  if (!letters.some((letter) => OUTAGES.has(letter.error.code))) return 0;
  // Rejects while Odoo is still away, and the caller tries again later.
  await odoo.searchRead('res.partner', [], { fields: ['id'], limit: 1 });
  return log.replayDeadLetters(group);
}
