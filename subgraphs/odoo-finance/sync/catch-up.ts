import type { EventLog } from '../../../platform/events/event-log.ts';
import type { OdooClient } from '../odoo/client.ts';
import { OdooTransientError, OdooUnavailableError } from '../odoo/errors.ts';
import { SyncStore } from '../sync-store.ts';
import { pushInvoiceToOdoo } from './invoice-push.ts';
import type { SyncContext } from './sync-context.ts';

/** Invoices read at a time. */
const PASS_SIZE = 100;

/**
 * Pushes to Odoo what the sync's own records say it lacks: invoices not synced, payments not
 * registered. This, not the event log, is what catches up after an Odoo outage, even one during
 * which Redis lost the events and their dead letters. Rejects at the first failure (Odoo still
 * away), leaving the rest for the next pass; resolves with how many invoices it went through.
 */
export async function catchUpFromRecords(sync: SyncContext): Promise<number> {
  let pushed = 0;
  for (let after = ''; ; ) {
    const behind = await new SyncStore(sync.db).invoicesBehind(after, PASS_SIZE);
    for (const invoiceId of behind) await pushInvoiceToOdoo(sync, invoiceId);
    pushed += behind.length;
    if (behind.length < PASS_SIZE) return pushed;
    after = behind.at(-1)!;
  }
}

/** Failures that say Odoo could not be reached (the code describeFailure gives them): the events were fine, the moment was not. */
const OUTAGES = new Set([OdooTransientError.name, OdooUnavailableError.name]);

/**
 * Once Odoo answers again, hands the group the dead letters an outage left, so they do not stay
 * listed: the catch-up already did their work, and every handler looks in Odoo before it creates,
 * so replaying them changes nothing. Letters that failed for another reason are replayed with them
 * and fail again, and no longer trigger a replay on their own.
 */
export async function clearOutageLetters(log: EventLog, odoo: OdooClient, group: string): Promise<number> {
  const letters = await log.deadLetters(group);
  if (!letters.some((letter) => OUTAGES.has(letter.error.code))) return 0;
  // Rejects while Odoo is still away, and the caller tries again later.
  await odoo.ping();
  return log.replayDeadLetters(group);
}
