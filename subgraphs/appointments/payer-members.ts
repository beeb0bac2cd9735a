import type { Database, Queryable } from '../../platform/database/database.ts';
import type { EventLog } from '../../platform/events/event-log.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { reaction, startReactions } from '../../platform/events/reaction.ts';
import type { Logger } from '../../platform/logger.ts';

export interface Membership {
  patientId: string;
  payerId: string;
}

/** Records who covers whom; a membership already known is left as it is, so replays change nothing. */
export async function addPayerMembers(db: Queryable, members: readonly Membership[]): Promise<void> {
  if (members.length === 0) return;
  await db.query(
    `INSERT INTO payer_member (patient_id, payer_id)
     SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
    [members.map((member) => member.patientId), members.map((member) => member.payerId)],
  );
}

/** A patient covered by a payer becomes its member here: the payer then sees the patient's appointments. */
const payerMembers = reaction('appointments-payer-members', 'org.healthgraph.coverage.added.v1', (tx, { patientId, payerId }) =>
  addPayerMembers(tx, [{ patientId, payerId }]),
);

/** Retried a while (1, 2, 4... up to 30 s apart), then dead-lettered. */
export const startAppointmentsWorkers = (db: Database, eventLog: EventLog, logger: Logger): RunningLoop =>
  startReactions(db, eventLog, [payerMembers], { maxAttempts: 8, backoff: { initialMs: 1_000, maxMs: 30_000 } }, logger);
