import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import type { AuditStore } from '../../platform/audit/audit-store.ts';
import { createAuditWriter, type AuditWriterOptions } from '../../platform/audit/audit-writer.ts';
import { verifyAuditChain } from '../../platform/audit/verify-chain.ts';
import { databaseEngines } from '../support/databases.ts';
import { accessRecord, capturingLogger, openAuditTrail, type AuditTrail } from './trail.ts';

/** The trail's store behind a connection that fails while `failuresLeft` lasts (Infinity: down). */
function unreliable(store: AuditStore) {
  const link = {
    failuresLeft: 0,
    async append(records: readonly AccessRecord[]) {
      if (link.failuresLeft > 0) {
        link.failuresLeft -= 1;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      }
      await store.append(records);
    },
  };
  return link;
}

const settled = (promise: Promise<unknown>) => {
  const state = { settled: false };
  promise.then(() => (state.settled = true), () => (state.settled = true));
  return state;
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(databaseEngines)('the audit writer on $engine', ({ url }) => {
  let trail: AuditTrail;
  const fast: Pick<AuditWriterOptions, 'retry'> = { retry: { initialMs: 5, maxMs: 20 } };

  beforeAll(async () => {
    trail = await openAuditTrail({ url });
  });
  afterAll(() => trail?.close());

  const writtenRequestIds = async (prefix: string) =>
    (await trail.db.query<{ request_id: string }>('SELECT request_id FROM audit_event WHERE request_id LIKE $1 ORDER BY seq', [`${prefix}%`])).map(
      (row) => row.request_id,
    );

  it('writes many records per transaction, a full batch at once', async () => {
    const writer = createAuditWriter(trail.store, { maxBatch: 50, flushIntervalMs: 60_000, failClosed: false });
    const before = trail.db.statementCount;
    await Promise.all(Array.from({ length: 100 }, (_, n) => writer.record(accessRecord({ requestId: `batch-${n}` }))));
    expect(trail.db.statementCount - before).toBe(2 * 3);
    expect(writer.pending()).toBe(0);
    expect(await writtenRequestIds('batch-')).toHaveLength(100);
    await writer.close();
  });

  it('writes a partial batch after flushIntervalMs', async () => {
    const writer = createAuditWriter(trail.store, { maxBatch: 50, flushIntervalMs: 20, failClosed: false });
    const before = trail.db.statementCount;
    await Promise.all([1, 2, 3].map((n) => writer.record(accessRecord({ requestId: `partial-${n}` }))));
    expect(trail.db.statementCount - before).toBe(3);
    await writer.close();
  });

  it('keeps records through an outage and writes every one, in order, logging counts only', async () => {
    const link = unreliable(trail.store);
    link.failuresLeft = 3;
    const { logger, lines } = capturingLogger();
    const writer = createAuditWriter(link, { maxBatch: 8, flushIntervalMs: 5, failClosed: false, logger, ...fast });
    const ids = Array.from({ length: 20 }, (_, n) => `outage-${n}`);
    await Promise.all(ids.map((requestId) => writer.record(accessRecord({ requestId, patientIds: ['pat-secret'] }))));
    expect(await writtenRequestIds('outage-')).toEqual(ids);
    expect(await verifyAuditChain(trail.db)).toMatchObject({ ok: true });
    expect(lines.filter((line) => line.msg === 'audit store unavailable; records stay queued')).toHaveLength(3);
    expect(lines[0]).toMatchObject({ queued: 20, failures: 1, err: { code: 'ECONNREFUSED' } });
    expect(lines.at(-1)).toMatchObject({ msg: 'audit store available again', failures: 3 });
    expect(JSON.stringify(lines)).not.toMatch(/pat-secret|user-clinician|ECONNREFUSED 127/);
    await writer.close();
  });

  it('fails closed: refuses after the timeout, and still writes the record once the store is back', async () => {
    const link = unreliable(trail.store);
    link.failuresLeft = Infinity;
    const writer = createAuditWriter(link, { maxBatch: 10, flushIntervalMs: 5, failClosed: true, failClosedTimeoutMs: 100, ...fast });
    const started = Date.now();
    await expect(writer.record(accessRecord({ requestId: 'closed-1' }))).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(writer.pending()).toBe(1);
    link.failuresLeft = 0;
    await writer.close();
    expect(await writtenRequestIds('closed-')).toEqual(['closed-1']);
  });

  it('fails open: keeps queueing while the store is down', async () => {
    const link = unreliable(trail.store);
    link.failuresLeft = Infinity;
    const writer = createAuditWriter(link, { maxBatch: 10, flushIntervalMs: 5, failClosed: false, ...fast });
    const records = [1, 2, 3].map((n) => writer.record(accessRecord({ requestId: `open-${n}` })));
    const states = records.map(settled);
    await pause(150);
    expect(states.some((state) => state.settled)).toBe(false);
    expect(writer.pending()).toBe(3);
    link.failuresLeft = 0;
    await Promise.all(records);
    expect(await writtenRequestIds('open-')).toEqual(['open-1', 'open-2', 'open-3']);
    await writer.close();
  });

  it('refuses records beyond its bound rather than growing without limit', async () => {
    const link = unreliable(trail.store);
    link.failuresLeft = Infinity;
    const writer = createAuditWriter(link, { maxBatch: 10, flushIntervalMs: 5, failClosed: false, maxQueued: 3, ...fast });
    const accepted = [1, 2, 3].map((n) => writer.record(accessRecord({ requestId: `bound-${n}` })));
    await expect(writer.record(accessRecord({ requestId: 'bound-4' }))).rejects.toMatchObject({ reason: 'queue full' });
    link.failuresLeft = 0;
    await Promise.all(accepted);
    expect(await writtenRequestIds('bound-')).toEqual(['bound-1', 'bound-2', 'bound-3']);
    await writer.close();
  });

  it('refuses a record PostgreSQL could not store as given, without queueing it', async () => {
    const writer = createAuditWriter(trail.store, { maxBatch: 10, flushIntervalMs: 5, failClosed: false });
    await expect(writer.record(accessRecord({ subject: 'nul\u0000' }))).rejects.toThrow(/AccessRecord.subject/);
    await expect(writer.record(accessRecord({ at: new Date(Number.NaN) }))).rejects.toThrow(/AccessRecord.at/);
    expect(writer.pending()).toBe(0);
    await writer.close();
  });

  it('writes what is queued on close, then refuses new records', async () => {
    const writer = createAuditWriter(trail.store, { maxBatch: 10, flushIntervalMs: 60_000, failClosed: false });
    const queued = writer.record(accessRecord({ requestId: 'close-1' }));
    await writer.close();
    await queued;
    expect(await writtenRequestIds('close-')).toEqual(['close-1']);
    await expect(writer.record(accessRecord())).rejects.toMatchObject({ reason: 'closed' });
  });
});
