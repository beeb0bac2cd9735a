import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
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

  it("answers a writer whose tail another has moved at once, not after the head's lock: it rehashes holding no lock", async () => {
    const [first, second] = replicas;
    const head = async () => (await first!.db.query<{ last_seq: string; last_hash: string }>('SELECT last_seq, last_hash FROM audit_chain_head'))[0]!;
    const stale = await head();
    await second!.store.append([accessRecord()]);
    const moved = await head();
    // Another writer's transaction holds the head, as while it sends its commit.
    const holder = new pg.Client({ connectionString: postgresUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM ${first!.schema}.audit_chain_head FOR UPDATE`);
      const appending = first!.db.query<{ last_seq: string; last_hash: string }>('SELECT last_seq, last_hash FROM audit_append($1, $2, $3)', [stale.last_seq, stale.last_hash, '[{}]']);
      const answer = await Promise.race([appending, delay(2_000).then(() => 'still waiting for the lock')]);
      expect(answer).toEqual([moved]);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});
