import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAuditEvent } from '../../platform/audit/access-record.ts';
import { createAuditWriter } from '../../platform/audit/audit-writer.ts';
import { verifyAuditChain } from '../../platform/audit/verify-chain.ts';
import { postgresUrl } from '../support/databases.ts';
import { accessRecord, capturingLogger, openAuditTrail, type AuditTrail } from './trail.ts';

// Two gateway replicas: two connection pools on one PostgreSQL schema, each with its own writer.
describe('two audit writers on one PostgreSQL trail', () => {
  let replicas: AuditTrail[];

  beforeAll(async () => {
    const first = await openAuditTrail({ url: postgresUrl });
    replicas = [first, await openAuditTrail({ url: postgresUrl }, first.schema)];
  });
  afterAll(async () => {
    await replicas?.[1]?.db.close();
    await replicas?.[0]?.close();
  });

  it('take turns into one valid chain, each writer in its own order, without failed appends', async () => {
    const perWriter = 300;
    const { logger, lines } = capturingLogger();
    await Promise.all(
      replicas.map(async ({ store }, replica) => {
        const writer = createAuditWriter(store, { maxBatch: 7, deadlineMs: 60_000, logger });
        const records = Array.from({ length: perWriter }, (_, n) => accessRecord({ requestId: `replica-${replica}-${n}` }));
        await Promise.all(records.map((record) => writer.record([record])));
        await writer.close();
      }),
    );
    expect(lines).toEqual([]);
    expect(await verifyAuditChain(replicas[0]!.db)).toEqual({ ok: true, rows: 2 * perWriter });
    const events = (await replicas[0]!.db.query('SELECT * FROM audit_event ORDER BY seq')).map(toAuditEvent);
    for (const replica of [0, 1]) {
      const own = events.filter((event) => event.requestId.startsWith(`replica-${replica}-`)).map((event) => event.requestId);
      expect(own).toEqual(Array.from({ length: perWriter }, (_, n) => `replica-${replica}-${n}`));
    }
  });
});
