import type { Database } from '../../../platform/database/database.ts';
import type { ConsumeOptions, EventLog } from '../../../platform/events/event-log.ts';
import type { RunningLoop } from '../../../platform/events/loop.ts';
import { startReactions } from '../../../platform/events/reaction.ts';
import type { Logger } from '../../../platform/logger.ts';
import { bookedAppointments, noShowAppointments } from './appointment-notices.ts';
import { cancelledAppointmentCharges } from './cancelled-appointments.ts';
import { encounterCharges } from './encounter-charges.ts';
import { odooPayments } from './odoo-payments.ts';
import { patientMerges } from './patient-merges.ts';

const billingReactions = [bookedAppointments, encounterCharges, cancelledAppointmentCharges, noShowAppointments, odooPayments, patientMerges];

/**
 * About a minute and a half of retries (1, 2, 4... up to 30 s apart) before an event is
 * dead-lettered: a database restart is waited out, a code missing from the fee schedule is not.
 */
const retries: ConsumeOptions = { maxAttempts: 8, backoff: { initialMs: 1_000, maxMs: 30_000 } };

/** Billing's consumer groups, one per reaction. */
export const billingConsumerGroups = billingReactions.map((reaction) => reaction.group);

/** Billing's reactions to other domains' events, one consumer group each. */
export function startBillingWorkers(db: Database, eventLog: EventLog, logger: Logger, options: ConsumeOptions = {}): RunningLoop {
  return startReactions(db, eventLog, billingReactions, { ...retries, ...options }, logger);
}
