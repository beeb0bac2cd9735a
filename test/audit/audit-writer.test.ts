import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import type { AuditStore, ChainTail } from '../../platform/audit/audit-store.ts';
import { createAuditWriter, type AuditWriterOptions } from '../../platform/audit/audit-writer.ts';
import { verifyAuditChain } from '../../platform/audit/verify-chain.ts';
import { databaseEngines } from '../support/databases.ts';
import { accessRecord, capturingLogger, openAuditTrail, type AuditTrail } from './trail.ts';

type Append = AuditStore['append'];

/**
 * The trail's store behind a connection that fails while `failuresLeft` lasts (Infinity: down),
 * and can lose a commit's answer: `loseAnswer` 'after commit' commits and then fails, 'before
 * commit' fails once the rows were prepared, without committing.
 */
function unreliable(store: AuditStore) {
  const link = {
    failuresLeft: 0,
    /** Appends refused so far. */
    failed: 0,
    loseAnswer: undefined as 'after commit' | 'before commit' | undefined,
    /** Held up before the transaction (a lock), or after its commit (the answer slow to come back). */
    delayMs: 0,
    answerDelayMs: 0,
    async append(records: Parameters<Append>[0], options?: Parameters<Append>[1]): Promise<ChainTail> {
      if (link.delayMs > 0) await pause(link.delayMs);
      if (link.failuresLeft > 0) {
        link.failuresLeft -= 1;
        link.failed += 1;
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      }
      const lost = link.loseAnswer;
      link.loseAnswer = undefined;
      if (lost === 'before commit') {
        options?.prepared?.({ seq: 1e9, hash: 'f'.repeat(64) });
        throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
      }
      const tail = await store.append(records, options);
      if (link.answerDelayMs > 0) await pause(link.answerDelayMs);
      if (lost === 'after commit') throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
      return tail;
    },
    holds: (tail: ChainTail) => store.holds(tail),
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

  const written = async (prefix: string) =>
    trail.db.query<{ request_id: string; outcome: string; fields_returned: string[] }>(
      'SELECT request_id, outcome, fields_returned FROM audit_event WHERE request_id LIKE $1 ORDER BY seq',
      [`${prefix}%`],
    );
  const writtenRequestIds = async (prefix: string) => (await written(prefix)).map((row) => row.request_id);

  it('writes a lone record at once, in a transaction of one statement, and resolves once it is in the trail', async () => {
    const writer = createAuditWriter(trail.store, { maxBatch: 50 });
    // The store's first append also learns where the chain ends.
    await writer.record([accessRecord({ requestId: 'lone-0' })]);
    const before = trail.db.statementCount;
    await writer.record([accessRecord({ requestId: 'lone-1' })]);
    expect(trail.db.statementCount - before).toBe(1);
    expect(await writtenRequestIds('lone-')).toEqual(['lone-0', 'lone-1']);
    await writer.close();
  });

  it('commits in groups: what arrives while a transaction is in flight goes together in the next', async () => {
    const tails: ChainTail[] = [];
    const writer = createAuditWriter(trail.store, { maxBatch: 50, onCommitted: (tail) => tails.push(tail) });
    const before = trail.db.statementCount;
    await Promise.all(Array.from({ length: 100 }, (_, n) => writer.record([accessRecord({ requestId: `group-${n}` })])));
    // The first alone (nothing was in flight), then the 99 that queued behind it, 50 at most a transaction.
    expect(trail.db.statementCount - before).toBe(3);
    expect(tails.map((tail) => tail.seq - tails[0]!.seq)).toEqual([0, 50, 99]);
    expect(writer.pending()).toBe(0);
    expect(await writtenRequestIds('group-')).toEqual(Array.from({ length: 100 }, (_, n) => `group-${n}`));
    await writer.close();
  });

  it("writes a request's records together, in one statement", async () => {
    const writer = createAuditWriter(trail.store, { maxBatch: 50 });
    const before = trail.db.statementCount;
    await writer.record([accessRecord({ requestId: 'pair-1' }), accessRecord({ requestId: 'pair-1', outcome: 'denied', patientIds: ['pat-0002'] })]);
    expect(trail.db.statementCount - before).toBe(1);
    expect((await written('pair-')).map((row) => row.outcome)).toEqual(['allowed', 'denied']);
    await writer.close();
  });

  it('keeps records through an outage and writes every one, in order, logging counts only', async () => {
    const link = unreliable(trail.store);
    link.failuresLeft = 3;
    const { logger, lines } = capturingLogger();
    const writer = createAuditWriter(link, { maxBatch: 8, deadlineMs: 60_000, logger, ...fast });
    const ids = Array.from({ length: 20 }, (_, n) => `outage-${n}`);
    await Promise.all(ids.map((requestId) => writer.record([accessRecord({ requestId, patientIds: ['pat-secret'] })])));
    expect(await writtenRequestIds('outage-')).toEqual(ids);
    expect(await verifyAuditChain(trail.db)).toMatchObject({ ok: true });
    expect(lines.filter((line) => line.msg === 'audit store unavailable; records stay queued')).toHaveLength(3);
    expect(lines[0]).toMatchObject({ failures: 1, err: { code: 'ECONNREFUSED' } });
    expect(lines.at(-1)).toMatchObject({ msg: 'audit store available again', failures: 3 });
    expect(JSON.stringify(lines)).not.toMatch(/pat-secret|user-clinician|ECONNREFUSED 127/);
    await writer.close();
  });

  it('refuses a request whose records are still queued at its deadline, and later writes them as refused', async () => {
    const link = unreliable(trail.store);
    link.failuresLeft = Infinity;
    const writer = createAuditWriter(link, { maxBatch: 10, deadlineMs: 100, ...fast });
    const started = Date.now();
    await expect(writer.record([accessRecord({ requestId: 'refused-1' })])).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(writer.pending()).toBe(1);
    link.failuresLeft = 0;
    await writer.close();
    // What the caller got: an error and nothing returned, never "allowed".
    expect(await written('refused-')).toEqual([{ request_id: 'refused-1', outcome: 'error', fields_returned: [] }]);
  });

  it('waits for a request whose records are committing at its deadline: served once the commit is answered', async () => {
    const link = unreliable(trail.store);
    link.answerDelayMs = 300;
    const writer = createAuditWriter(link, { maxBatch: 10, deadlineMs: 50, ...fast });
    await writer.record([accessRecord({ requestId: 'slow-1' })]);
    expect(await written('slow-')).toEqual([{ request_id: 'slow-1', outcome: 'allowed', fields_returned: ['Patient.name', 'Patient.birthDate'] }]);
    await writer.close();
  });

  it('refuses a request whose batch is held up before its statement is sent, and takes its records back', async () => {
    const link = unreliable(trail.store);
    link.delayMs = 300;
    const writer = createAuditWriter(link, { maxBatch: 10, deadlineMs: 50, ...fast });
    await expect(writer.record([accessRecord({ requestId: 'stalled-1' })])).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE' });
    link.delayMs = 0;
    await writer.close();
    expect(await written('stalled-')).toEqual([{ request_id: 'stalled-1', outcome: 'error', fields_returned: [] }]);
  });

  it('asks the trail when a commit\'s answer is lost: a landed batch is not written twice', async () => {
    const link = unreliable(trail.store);
    link.loseAnswer = 'after commit';
    const writer = createAuditWriter(link, { maxBatch: 10, ...fast });
    await writer.record([accessRecord({ requestId: 'landed-1' })]);
    expect(await writtenRequestIds('landed-')).toEqual(['landed-1']);
    expect(await verifyAuditChain(trail.db)).toMatchObject({ ok: true });
    await writer.close();
  });

  it('asks the trail when a commit\'s answer is lost: a batch that did not land is written once', async () => {
    const link = unreliable(trail.store);
    link.loseAnswer = 'before commit';
    const writer = createAuditWriter(link, { maxBatch: 10, ...fast });
    await writer.record([accessRecord({ requestId: 'unlanded-1' })]);
    expect(await writtenRequestIds('unlanded-')).toEqual(['unlanded-1']);
    await writer.close();
  });

  it('does not answer a request while its records cannot be written', async () => {
    const link = unreliable(trail.store);
    link.failuresLeft = Infinity;
    const writer = createAuditWriter(link, { maxBatch: 10, deadlineMs: 60_000, ...fast });
    const records = [1, 2, 3].map((n) => writer.record([accessRecord({ requestId: `held-${n}` })]));
    const states = records.map(settled);
    // Several writes refused, retried each time: still no answer.
    await vi.waitFor(() => expect(link.failed).toBeGreaterThanOrEqual(3));
    expect(states.some((state) => state.settled)).toBe(false);
    expect(writer.pending()).toBe(3);
    link.failuresLeft = 0;
    await Promise.all(records);
    expect(await writtenRequestIds('held-')).toEqual(['held-1', 'held-2', 'held-3']);
    await writer.close();
  });

  it('refuses records beyond its bound rather than growing without limit', async () => {
    const link = unreliable(trail.store);
    link.failuresLeft = Infinity;
    const writer = createAuditWriter(link, { maxBatch: 10, deadlineMs: 60_000, maxQueued: 3, ...fast });
    const accepted = [1, 2, 3].map((n) => writer.record([accessRecord({ requestId: `bound-${n}` })]));
    await expect(writer.record([accessRecord({ requestId: 'bound-4' })])).rejects.toMatchObject({ reason: 'queue full' });
    link.failuresLeft = 0;
    await Promise.all(accepted);
    expect(await writtenRequestIds('bound-')).toEqual(['bound-1', 'bound-2', 'bound-3']);
    await writer.close();
  });

  it('refuses a record PostgreSQL could not store as given, without queueing it', async () => {
    const writer = createAuditWriter(trail.store, { maxBatch: 10 });
    await expect(writer.record([accessRecord({ subject: 'nul\u0000' })])).rejects.toThrow(/AccessRecord.subject/);
    await expect(writer.record([accessRecord({ at: new Date(Number.NaN) })])).rejects.toThrow(/AccessRecord.at/);
    expect(writer.pending()).toBe(0);
    await writer.close();
  });

  it('writes what is queued on close, then refuses new records', async () => {
    const link = unreliable(trail.store);
    link.answerDelayMs = 50;
    const writer = createAuditWriter(link, { maxBatch: 10 });
    const queued = [writer.record([accessRecord({ requestId: 'close-1' })]), writer.record([accessRecord({ requestId: 'close-2' })])];
    await writer.close();
    await Promise.all(queued);
    expect(await writtenRequestIds('close-')).toEqual(['close-1', 'close-2']);
    await expect(writer.record([accessRecord()])).rejects.toMatchObject({ reason: 'closed' });
  });
});
