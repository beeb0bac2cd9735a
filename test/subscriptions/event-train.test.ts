import type { ExecutionResult, GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import type { Caller } from '../../platform/caller.ts';
import { deliveryRecords } from '../../gateway/subscriptions/delivery-records.ts';
import { EventTrain, type Rider } from '../../gateway/subscriptions/event-train.ts';
import { SharedOutcome } from '../../gateway/subscriptions/shared-outcome.ts';

/** An audit trail whose writes the test finishes by hand. */
function trail() {
  const writes: { records: AccessRecord[]; finish: (ok: boolean) => void }[] = [];
  const audit = (records: AccessRecord[]) =>
    new Promise<void>((resolve, reject) => writes.push({ records, finish: (ok) => (ok ? resolve() : reject(new Error('trail down'))) }));
  return { writes, records: deliveryRecords(undefined as unknown as GraphQLSchema, audit) };
}

/** A rider that keeps what it was written and how it ended. */
function rider(subject: string) {
  const state = { written: [] as Buffer[], ended: false, why: '' };
  const self: Rider & typeof state = Object.assign(state, {
    caller: { subject, roles: ['front_desk'], scopes: [], clientId: 'portal', expiresAt: 2e9 } as Caller,
    write: (payload: Buffer) => void state.written.push(payload),
    cutOff: () => Object.assign(state, { ended: true, why: 'too slow' }),
    unrecorded: () => Object.assign(state, { ended: true, why: 'unrecorded' }),
  });
  return self;
}

/** An outcome of patient data that the test settles by hand. */
function outcome(n: number) {
  let settle!: () => void;
  const result = new Promise<ExecutionResult>((resolve) => (settle = () => resolve({ data: { appointmentEvents: { id: `${n}-0` } } })));
  return { shared: new SharedOutcome(result, () => ({ patientId: 'p-1', fields: ['Patient.name'], operationHash: 'h' })), settle };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("a group's train: its caught-up subscribers' events taken once for all of them", () => {
  it('writes the same bytes to every rider, only once the one record naming each of them is durable', async () => {
    const { writes, records } = trail();
    const train = new EventTrain(10, (taken, caller) => records.recorded(taken, caller));
    const riders = ['desk-2', 'desk-1', 'desk-2'].map(rider);
    for (const each of riders) train.board(each);
    const event = outcome(1);
    train.push(event.shared);
    event.settle();
    await turn();
    expect(writes.map(({ records: [record] }) => record!.recipients)).toEqual([['desk-1', 'desk-2']]);
    expect(riders.map(({ written }) => written.length)).toEqual([0, 0, 0]);

    writes[0]!.finish(true);
    await turn();
    const [first, ...others] = riders.map(({ written }) => written);
    expect(first).toHaveLength(1);
    for (const written of others) expect(written[0]).toBe(first![0]);
    expect(JSON.parse(first![0]!.toString())).toEqual({ data: { appointmentEvents: { id: '1-0' } } });
  });

  it('keeps log order whatever order resolutions finish in, and gives a rider only the events taken after it boarded', async () => {
    const { writes, records } = trail();
    const train = new EventTrain(10, (taken, caller) => records.recorded(taken, caller));
    const early = rider('early');
    const late = rider('late');
    train.board(early);
    const [first, second] = [outcome(1), outcome(2)];
    train.push(first.shared);
    train.board(late);
    train.push(second.shared);

    second.settle();
    await turn();
    expect(writes).toHaveLength(0);
    first.settle();
    await turn();
    expect(writes.map(({ records: [record] }) => record!.recipients)).toEqual([['early']]);
    writes[0]!.finish(true);
    await turn();
    expect(writes.map(({ records: [record] }) => record!.recipients)).toEqual([['early'], ['early', 'late']]);
    writes[1]!.finish(true);
    await turn();
    const ids = (written: Buffer[]) => written.map((bytes) => JSON.parse(bytes.toString()).data.appointmentEvents.id);
    expect({ early: ids(early.written), late: ids(late.written) }).toEqual({ early: ['1-0', '2-0'], late: ['2-0'] });
  });

  it('sends nothing and closes every rider of an event the trail could not take', async () => {
    const { writes, records } = trail();
    const train = new EventTrain(10, (taken, caller) => records.recorded(taken, caller));
    const riders = ['desk-1', 'desk-2'].map(rider);
    for (const each of riders) train.board(each);
    const event = outcome(1);
    train.push(event.shared);
    event.settle();
    await turn();
    writes[0]!.finish(false);
    await turn();
    expect(riders.map(({ written, why }) => ({ written: written.length, why }))).toEqual([
      { written: 0, why: 'unrecorded' },
      { written: 0, why: 'unrecorded' },
    ]);
  });

  it('cuts off its riders when more events wait than one subscription may hold', () => {
    const train = new EventTrain(2);
    const riders = ['desk-1', 'desk-2'].map(rider);
    for (const each of riders) train.board(each);
    for (const n of [1, 2, 3]) train.push(outcome(n).shared);
    expect(riders.map(({ why }) => why)).toEqual(['too slow', 'too slow']);
  });
});
