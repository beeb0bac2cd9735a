import type { GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import type { Caller } from '../../platform/caller.ts';
import { deliveryRecords } from '../../gateway/subscriptions/delivery-records.ts';
import { EventQueue } from '../../gateway/subscriptions/event-queue.ts';
import { EventReads, ReadRecords } from '../../gateway/subscriptions/held-reads.ts';
import { SharedOutcome } from '../../gateway/subscriptions/shared-outcome.ts';

const caller = (subject: string) => ({ subject, role: 'front_desk', clientId: 'portal', scopes: [] }) as unknown as Caller;

/** An audit trail whose writes the test finishes by hand. */
function trail() {
  const writes: { records: AccessRecord[]; finish: (ok: boolean) => void }[] = [];
  const audit = (records: AccessRecord[]) =>
    new Promise<void>((resolve, reject) => writes.push({ records, finish: (ok) => (ok ? resolve() : reject(new Error('trail down'))) }));
  return { writes, audit };
}

/** An outcome of patient data, settled: what members of a group take together. */
async function settledOutcome(reads?: EventReads): Promise<SharedOutcome> {
  const outcome = new SharedOutcome(
    Promise.resolve({ data: { appointmentEvents: { id: '1-0' } } }),
    () => ({ patientId: 'p-1', fields: ['Patient.name'], operationHash: 'h' }),
    reads,
  );
  await outcome.result;
  await Promise.resolve();
  return outcome;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('subscription deliveries on record before they leave, one record per group and event', () => {
  it('writes every member once the one record naming them all is durable: one receipt they all wait on, not a promise each', async () => {
    const { writes, audit } = trail();
    const records = deliveryRecords(undefined as unknown as GraphQLSchema, audit);
    const outcome = await settledOutcome();
    const written: string[] = [];
    const receipts = new Set<unknown>();
    for (const [n, subject] of ['desk-2', 'desk-1', 'desk-2'].entries()) {
      const recorded = (taken: SharedOutcome) => records.recorded(taken, caller(subject));
      receipts.add(recorded(outcome));
      new EventQueue(() => written.push(`member ${n}`), () => undefined, recorded).push(outcome);
    }
    await turn();
    const [receipt] = receipts as Set<{ durable: boolean }>;
    expect({ receipts: receipts.size, durable: receipt!.durable, written }).toEqual({ receipts: 1, durable: false, written: [] });
    expect(writes.map(({ records: [record] }) => record!.recipients)).toEqual([['desk-1', 'desk-2']]);

    writes[0]!.finish(true);
    await turn();
    expect(receipt!.durable).toBe(true);
    expect(written).toEqual(['member 0', 'member 1', 'member 2']);
  });

  it('sends nothing and ends the subscription when the trail cannot take the record', async () => {
    const { writes, audit } = trail();
    const records = deliveryRecords(undefined as unknown as GraphQLSchema, audit);
    const outcome = await settledOutcome();
    const written: string[] = [];
    let unrecorded = 0;
    let ended = 0;
    const queue = new EventQueue(
      () => written.push('sent'),
      () => ended++,
      (taken) => records.recorded(taken, caller('desk-1')),
      () => unrecorded++,
    );
    queue.push(outcome);
    await turn();
    writes[0]!.finish(false);
    await turn();
    expect({ written, unrecorded, ended, isEnded: queue.isEnded }).toEqual({ written: [], unrecorded: 1, ended: 1, isEnded: true });
  });

  it("writes the held records of the reads that resolved an event with its first delivery record, which every other delivery of them waits on", async () => {
    const { writes, audit } = trail();
    const records = deliveryRecords(undefined as unknown as GraphQLSchema, audit);
    // One read through the gateway served two events (a batch): its record is written once.
    const read = new ReadRecords([{ requestId: 'read-1', operationType: 'query', patientIds: ['p-1', 'p-2'] } as AccessRecord]);
    const [first, second] = [new EventReads(), new EventReads()];
    first.add(read);
    second.add(read);
    const written: string[] = [];
    const member = (name: string, outcome: SharedOutcome) =>
      new EventQueue(() => written.push(name), () => undefined, (taken) => records.recorded(taken, caller(name))).push(outcome);
    member('first event', await settledOutcome(first));
    member('second event', await settledOutcome(second));
    await turn();
    expect(writes.map(({ records: batch }) => batch.map((record) => `${record.operationType} ${record.requestId.split('-')[0]}`))).toEqual([
      ['query read', 'subscription delivery'],
      ['subscription delivery'],
    ]);
    // The second event's own record is durable, the read's not yet: it waits.
    writes[1]!.finish(true);
    await turn();
    expect(written).toEqual([]);
    writes[0]!.finish(true);
    await turn();
    expect(written).toEqual(['first event', 'second event']);
  });

  it('writes the held records again with the next delivery when the write that took them failed, and alone when no delivery takes them', async () => {
    const { writes, audit } = trail();
    const records = deliveryRecords(undefined as unknown as GraphQLSchema, audit);
    const reads = new EventReads();
    reads.add(new ReadRecords([{ requestId: 'read-1', operationType: 'query', patientIds: ['p-1'] } as AccessRecord]));
    const outcome = await settledOutcome(reads);
    const sent: string[] = [];
    new EventQueue(() => sent.push('desk-1'), () => undefined, (taken) => records.recorded(taken, caller('desk-1')), () => undefined).push(outcome);
    await turn();
    writes[0]!.finish(false);
    await turn();
    // Reconnected: the cached outcome is taken again, and the read is written with the new delivery.
    new EventQueue(() => sent.push('desk-1 again'), () => undefined, (taken) => records.recorded(taken, caller('desk-1'))).push(outcome);
    await turn();
    expect(writes.map(({ records: batch }) => batch.map((record) => record.operationType))).toEqual([['query', 'subscription'], ['query', 'subscription']]);
    writes[1]!.finish(true);
    await turn();
    expect(sent).toEqual(['desk-1 again']);

    const untaken = new EventReads();
    untaken.add(new ReadRecords([{ requestId: 'read-2', operationType: 'query', patientIds: ['p-2'] } as AccessRecord]));
    records.recordUntaken(untaken);
    records.recordUntaken(untaken);
    expect(writes.slice(2).map(({ records: batch }) => batch.map((record) => record.requestId))).toEqual([['read-2']]);
  });
});
