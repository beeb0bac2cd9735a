// Issue 11, finding 6 (a): the access record came after the data. While the writer was healthy the
// gateway answered first and wrote the record afterwards; reads refused AUDIT_UNAVAILABLE were later
// written to the trail as `allowed`. The crash half of the finding is gateway-crash.test.ts.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { codesOf } from '../support/graphql.ts';
import { postgresUrl } from '../support/databases.ts';
import { pick, startSeededSystem, type Answer, type Call, type SeededSystem } from './harness.ts';

const CHART = 'query Chart($id: ID!) { patient(id: $id) { id name { text } birthDate } }';

/** The answer, or a failure saying there was none within `ms`. */
function answeredWithin<T>(answer: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const none = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms while the trail could not be written`)), ms);
  });
  return Promise.race([answer, none]).finally(() => clearTimeout(timer));
}

describe('finding 6: record, then release (the audit trail in PostgreSQL)', () => {
  let seeded: SeededSystem;
  let clinician: Call;
  let patientIds: string[];

  beforeAll(async () => {
    seeded = await startSeededSystem({ databaseUrl: postgresUrl });
    clinician = await seeded.as({ role: 'clinician' });
    patientIds = await pick<string>(seeded.db.patients, 'SELECT id FROM patient ORDER BY id', [], 20);
  });
  afterAll(() => seeded?.close());

  it('has the record in the table by the time the client has the response', async () => {
    const missing: string[] = [];
    for (const id of patientIds) {
      const answer = await clinician(CHART, { id });
      expect(answer.data!.patient.id).toBe(id);
      // No waiting: the record must already be durable.
      if ((await seeded.recordsOf(answer.requestId)).length === 0) missing.push(answer.requestId);
    }
    expect(missing, `${missing.length} of ${patientIds.length} responses arrived before their access record`).toEqual([]);
  });

  it('refuses patient reads AUDIT_UNAVAILABLE while the trail cannot be written, and never records them as allowed', async () => {
    // Another session holds the trail's tables: no append can commit until it lets go.
    const locker = new pg.Client({ connectionString: postgresUrl });
    await locker.connect();
    let refused: Answer[] = [];
    try {
      await locker.query('BEGIN');
      const schema = seeded.db.audit.schema;
      await locker.query(`LOCK TABLE ${schema}.audit_event, ${schema}.audit_chain_head IN ACCESS EXCLUSIVE MODE`);
      // A gateway that waits for the record must still answer: refused, within its fail-closed timeout (bounded here generously).
      refused = await Promise.all(patientIds.slice(0, 5).map((id) => answeredWithin(clinician(CHART, { id }), 20_000)));
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    for (const answer of refused) {
      expect(codesOf(answer)).toEqual(['AUDIT_UNAVAILABLE']);
      expect(answer.data ?? null).toBeNull();
    }

    // Once the store is back, a new read is recorded; whatever was queued before it is written by then.
    const after = await clinician(CHART, { id: patientIds[5] });
    expect(after.errors).toBeUndefined();
    await vi.waitFor(async () => expect(await seeded.recordsOf(after.requestId)).not.toEqual([]), { timeout: 30_000, interval: 100 });
    for (const answer of refused) {
      const outcomes = (await seeded.recordsOf(answer.requestId)).map((record) => record.outcome);
      // Absent, or saying the caller got nothing: never that data was returned.
      const gotNothing = outcomes.filter((outcome) => outcome === 'error' || outcome === 'denied');
      expect({ requestId: answer.requestId, outcomes }).toEqual({ requestId: answer.requestId, outcomes: gotNothing });
    }
  }, 120_000);
});
