import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAuditEvent } from '../../platform/audit/access-record.ts';
import { AuditStore, type ChainTail } from '../../platform/audit/audit-store.ts';
import { chainHash } from '../../platform/audit/chain-hash.ts';
import { verifyAuditChain } from '../../platform/audit/verify-chain.ts';
import type { Database } from '../../platform/database/database.ts';
import { databaseEngines } from '../support/databases.ts';
import { accessRecord, openAuditTrail, verdictAfterTampering, type AuditTrail } from './trail.ts';

describe.each(databaseEngines)('the hash-chained audit trail on $engine', ({ url }) => {
  let trail: AuditTrail;
  const records = Array.from({ length: 5 }, (_, n) =>
    accessRecord({ patientIds: [`pat-000${n + 1}`], at: new Date(Date.UTC(2026, 10, 24, 9, n)) }),
  );

  beforeAll(async () => {
    trail = await openAuditTrail({ url });
    await trail.store.append(records.slice(0, 2));
    await trail.store.append(records.slice(2));
  });
  afterAll(() => trail?.close());

  it('stores each record as given, chained in order, and verifies intact', async () => {
    const events = (await trail.db.query('SELECT * FROM audit_event ORDER BY seq')).map(toAuditEvent);
    expect(events.map(({ seq, previousHash, hash, ...record }) => record)).toEqual(records);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[1]!.previousHash).toBe(events[0]!.hash);
    expect(await verifyAuditChain(trail.db)).toEqual({ ok: true, rows: 5 });
  });

  it('names an edited row by seq', async () => {
    expect(await verdictAfterTampering(trail.db, `UPDATE audit_event SET fields_returned = '{}' WHERE seq = 3`)).toEqual({
      ok: false,
      firstBadSeq: 3,
      reason: 'hash mismatch',
    });
  });

  it('notices an edit whose hash was recomputed, at the next row', async () => {
    const [row] = await trail.db.query('SELECT * FROM audit_event WHERE seq = 3');
    const forged = { ...toAuditEvent(row!), subject: 'someone-else' };
    const hash = chainHash(3, forged, forged.previousHash);
    expect(await verdictAfterTampering(trail.db, `UPDATE audit_event SET subject = 'someone-else', hash = '${hash}' WHERE seq = 3`)).toEqual({
      ok: false,
      firstBadSeq: 4,
      reason: 'broken link',
    });
  });

  it('notices a deleted row', async () => {
    expect(await verdictAfterTampering(trail.db, 'DELETE FROM audit_event WHERE seq = 3')).toEqual({
      ok: false,
      firstBadSeq: 3,
      reason: 'gap in sequence',
    });
  });

  it('notices rows cut from the tail', async () => {
    expect(await verdictAfterTampering(trail.db, 'DELETE FROM audit_event WHERE seq >= 4')).toEqual({
      ok: false,
      firstBadSeq: 4,
      reason: 'gap in sequence',
    });
  });

  it('notices reordered rows', async () => {
    const swapTwoAndThree = [
      'UPDATE audit_event SET seq = CASE seq WHEN 2 THEN -3 ELSE -2 END WHERE seq IN (2, 3)',
      'UPDATE audit_event SET seq = -seq WHERE seq < 0',
    ];
    expect(await verdictAfterTampering(trail.db, ...swapTwoAndThree)).toEqual({ ok: false, firstBadSeq: 2, reason: 'broken link' });
  });

  it('refuses UPDATE, DELETE and TRUNCATE while the trigger stands', async () => {
    for (const sql of [
      `UPDATE audit_event SET subject = 'someone-else' WHERE seq = 1`,
      'DELETE FROM audit_event WHERE seq = 5',
      'TRUNCATE audit_event',
      'DELETE FROM audit_chain_head',
    ]) {
      await expect(trail.db.query(sql)).rejects.toThrow(/append-only/);
    }
    expect(await verifyAuditChain(trail.db)).toEqual({ ok: true, rows: 5 });
  });

  it('keeps optional fields absent and empty lists empty', async () => {
    const sparse = accessRecord({ purposeOfUse: undefined, operationName: undefined, patientIds: [], fieldsReturned: [], outcome: 'denied' });
    await trail.store.append([sparse]);
    const [row] = await trail.db.query('SELECT * FROM audit_event ORDER BY seq DESC LIMIT 1');
    expect(toAuditEvent(row!)).toMatchObject(sparse);
    expect(await verifyAuditChain(trail.db)).toMatchObject({ ok: true });
  });

  it('keeps one chain under concurrent appends on one handle', async () => {
    const [before] = await trail.db.query<{ rows: number }>('SELECT count(*)::int AS rows FROM audit_event');
    await Promise.all(Array.from({ length: 10 }, () => trail.store.append([accessRecord(), accessRecord()])));
    expect(await verifyAuditChain(trail.db)).toEqual({ ok: true, rows: before!.rows + 20 });
  });

  // On a request's path every round trip is latency: BEGIN, the append and COMMIT would be three.
  it('appends after a known tail in one statement of its own: one round trip, no explicit transaction', async () => {
    const sent: string[] = [];
    const watched: Database = {
      ...trail.db,
      query: (sql, params) => (sent.push(sql), trail.db.query(sql, params)),
      transaction: (work) => (sent.push('BEGIN'), trail.db.transaction(work)),
    };
    const store = new AuditStore(watched);
    await store.append([accessRecord()]);
    sent.length = 0;
    let prepared: ChainTail | undefined;
    const tail = await store.append([accessRecord(), accessRecord()], { prepared: (next) => (prepared = next) });
    expect(sent).toEqual(['SELECT last_seq, last_hash FROM audit_append($1, $2, $3, $4)']);
    expect(prepared).toEqual(tail);
    expect(await store.holds(tail)).toBe(true);
    expect(await verifyAuditChain(trail.db)).toMatchObject({ ok: true });
  });
});

describe.each(databaseEngines)('a delivery record naming its recipients on $engine', ({ url }) => {
  let trail: AuditTrail;
  beforeAll(async () => {
    trail = await openAuditTrail({ url });
    await trail.store.append([accessRecord({ operationType: 'subscription', recipients: ['desk-one', 'desk-two'] }), accessRecord()]);
  });
  afterAll(() => trail?.close());

  it('stores the recipients, chains them, and tells a record without them from one with none', async () => {
    const events = (await trail.db.query('SELECT * FROM audit_event ORDER BY seq')).map(toAuditEvent);
    expect(events.map((event) => event.recipients)).toEqual([['desk-one', 'desk-two'], undefined]);
    expect(await verifyAuditChain(trail.db)).toMatchObject({ ok: true, rows: 2 });
    expect(await verdictAfterTampering(trail.db, `UPDATE audit_event SET recipients = ARRAY['desk-one'] WHERE seq = 1`)).toEqual({
      ok: false,
      firstBadSeq: 1,
      reason: 'hash mismatch',
    });
  });
});

describe.each(databaseEngines)('a record of operational actions on $engine', ({ url }) => {
  let trail: AuditTrail;
  beforeAll(async () => {
    trail = await openAuditTrail({ url });
    await trail.store.append([
      accessRecord({ operationType: 'mutation', patientIds: [], actions: [{ action: 'retryOdooSync', target: 'inv-1' }, { action: 'replayBillingDeadLetters', target: 'billing-encounters' }] }),
      accessRecord(),
    ]);
  });
  afterAll(() => trail?.close());

  it('stores who did what to which id, chains it, and notices an action edited or moved to the recipients', async () => {
    const events = (await trail.db.query('SELECT * FROM audit_event ORDER BY seq')).map(toAuditEvent);
    expect(events.map((event) => event.actions)).toEqual([
      [
        { action: 'retryOdooSync', target: 'inv-1' },
        { action: 'replayBillingDeadLetters', target: 'billing-encounters' },
      ],
      undefined,
    ]);
    expect(await verifyAuditChain(trail.db)).toMatchObject({ ok: true, rows: 2 });
    expect(await verdictAfterTampering(trail.db, `UPDATE audit_event SET actions = ARRAY['retryOdooSync:inv-2'] WHERE seq = 1`)).toMatchObject({ ok: false, firstBadSeq: 1 });
    expect(await verdictAfterTampering(trail.db, `UPDATE audit_event SET recipients = actions, actions = NULL WHERE seq = 1`)).toMatchObject({ ok: false, firstBadSeq: 1 });
  });
});
