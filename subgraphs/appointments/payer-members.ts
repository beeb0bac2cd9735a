import type { Database, Queryable } from '../../platform/database/database.ts';
import type { CoverageNotice } from '../../platform/events/catalog.ts';
import type { EventLog } from '../../platform/events/event-log.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { patientMergeReaction } from '../../platform/events/patient-references.ts';
import { reaction, startReactions } from '../../platform/events/reaction.ts';
import type { Logger } from '../../platform/logger.ts';

/**
 * Records who covers whom and when (payer_coverage), a coverage by its id: a replay, or a later
 * notice of the same coverage, leaves one row with the latest status and period.
 */
export async function recordCoverages(db: Queryable, coverages: readonly CoverageNotice[]): Promise<void> {
  if (coverages.length === 0) return;
  const column = <K extends keyof CoverageNotice>(key: K) => coverages.map((coverage) => coverage[key] ?? null);
  await db.query(
    `INSERT INTO payer_coverage (coverage_id, patient_id, payer_id, status, period_start, period_end)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[])
     ON CONFLICT (coverage_id) DO UPDATE SET status = EXCLUDED.status, period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end`,
    [column('coverageId'), column('patientId'), column('payerId'), column('status'), column('periodStart'), column('periodEnd')],
  );
}

/** A patient covered by a payer becomes its member here, for the coverage's period: the payer then sees the appointments dated within it. */
const payerCoverages = reaction('appointments-payer-members', 'org.healthgraph.coverage.added.v1', (tx, coverage) => recordCoverages(tx, [coverage]));

/** A merged patient's appointments and coverages become the survivor's (and theirs again on unmerge). */
const patientMerges = patientMergeReaction('appointments-patient-merges', [
  { table: 'appointment', key: 'id' },
  { table: 'payer_coverage', key: 'coverage_id' },
]);

const appointmentsReactions = [payerCoverages, patientMerges];

/** The appointments service's consumer groups. */
export const appointmentsConsumerGroups = appointmentsReactions.map((reaction) => reaction.group);

/** Retried a while (1, 2, 4... up to 30 s apart), then dead-lettered. */
export const startAppointmentsWorkers = (db: Database, eventLog: EventLog, logger: Logger): RunningLoop =>
  startReactions(db, eventLog, appointmentsReactions, { maxAttempts: 8, backoff: { initialMs: 1_000, maxMs: 30_000 } }, logger);
