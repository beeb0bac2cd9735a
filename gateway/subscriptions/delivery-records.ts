import { randomUUID } from 'node:crypto';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import type { Caller } from '../../platform/caller.ts';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import { recordedCaller } from '../access-record/access-record.ts';
import { operationHash } from '../access-record/operation-hash.ts';
import { fieldsReturnedIn } from '../access-record/read-response.ts';
import { responseShape } from '../minimization/response-shape.ts';
import type { EventReads } from './held-reads.ts';
import type { SharedOutcome } from './shared-outcome.ts';
import type { SharedSelection } from './shared-selection.ts';

/** What one event's result, as a group's members receive it, tells about a patient. */
export interface Disclosure {
  patientId: string;
  /** Schema coordinates with a value in the result: `Patient.name`. */
  fields: string[];
  /** The selection the members subscribed with. */
  operationHash: string;
}

/** A queue waiting for its receipt of an outcome to be on record. */
export interface ReceiptWaiter {
  deliverSettled(): void;
}

/**
 * Those taking an outcome in one turn of the event loop: one record names them all, and the
 * members waiting on it are told in one synchronous loop once it is written, with no promise each.
 */
export class Receipt {
  durable = false;
  failed = false;
  readonly callers: Caller[] = [];
  private waiters: ReceiptWaiter[] = [];

  /** `waiter` is told once the record is written, or could not be. */
  wait(waiter: ReceiptWaiter): void {
    this.waiters.push(waiter);
  }

  settle(durable: boolean): void {
    this.durable = durable;
    this.failed = !durable;
    for (const waiter of this.waiters.splice(0)) waiter.deliverSettled();
  }
}

/** The subjects an outcome is (being) recorded as delivered to, and the receipt still gathering. */
interface Receipts {
  recorded: Map<string, Receipt>;
  open?: Receipt;
}

/**
 * Subscription deliveries on record before they leave (record, then release). The members of a
 * group take an event's shared outcome in one synchronous loop when it settles: their receipts
 * gather into one access record, written once, naming every subject it goes to (`recipients`);
 * each member's frame is written once that record is durable. A member that takes the outcome later
 * (a replay, a late joiner) adds a record of its own. The access records of the reads that resolved
 * the outcome go in the first of these transactions (held-reads.ts), and every delivery waits for
 * them too. Deliveries that tell no patient's data and read none (an event about no patient) are
 * sent at once.
 */
export function deliveryRecords(schema: GraphQLSchema, audit: (records: AccessRecord[]) => Promise<void>) {
  const receipts = new WeakMap<SharedOutcome, Receipts>();
  const hashes = new WeakMap<SharedSelection, string>();

  function recordOf(disclosure: Disclosure, callers: readonly Caller[]): AccessRecord {
    const recipients = [...new Set(callers.map((caller) => caller.subject))].sort();
    return {
      requestId: `delivery-${randomUUID()}`,
      ...recordedCaller(callers[0]!),
      operationHash: disclosure.operationHash,
      operationType: 'subscription',
      patientIds: [disclosure.patientId],
      fieldsReturned: disclosure.fields,
      fieldsDenied: [],
      outcome: 'allowed',
      at: new Date(),
      recipients,
    };
  }

  return {
    /** Read once per group and event: the members' results are the same bytes. */
    disclosureOf(selection: SharedSelection, event: DomainEvent, result: ExecutionResult): Disclosure | undefined {
      if (!event.patientid || !result.data) return undefined;
      const shape = responseShape(schema, selection.document, null);
      const hash = hashes.get(selection) ?? hashes.set(selection, operationHash(undefined, selection.document)).get(selection)!;
      return { patientId: event.patientid, fields: shape ? fieldsReturnedIn(shape, result.data) : [], operationHash: hash };
    },

    /**
     * `caller`'s receipt of the outcome, durable once on record; undefined when nothing needs
     * recording. A failed one means the trail could not take it: the frame must not be sent.
     */
    recorded(outcome: SharedOutcome, caller: Caller): Receipt | undefined {
      const disclosure = outcome.disclosure;
      if (!disclosure && !outcome.reads?.any) return undefined;
      let state = receipts.get(outcome);
      if (!state) receipts.set(outcome, (state = { recorded: new Map() }));
      const known = state.recorded.get(caller.subject);
      if (known) return known;
      if (!state.open) {
        const gathering = state;
        const receipt = new Receipt();
        state.open = receipt;
        // After this turn's members have joined it: one record for all of them.
        const written = Promise.resolve().then(() => {
          if (gathering.open === receipt) gathering.open = undefined;
          const records = disclosure ? [recordOf(disclosure, receipt.callers)] : [];
          return outcome.reads ? outcome.reads.recordWith(audit, records) : audit(records);
        });
        written.then(
          () => receipt.settle(true),
          () => {
            // Not on record: those subjects are asked for again when they next take it (a reconnect's replay).
            for (const { subject } of receipt.callers) gathering.recorded.delete(subject);
            receipt.settle(false);
          },
        );
      }
      state.open.callers.push(caller);
      state.recorded.set(caller.subject, state.open);
      return state.open;
    },

    /**
     * The reads' records that no delivery took by the end of the turn the outcome settled in (it was
     * withheld, or its members are still sending earlier events): written alone, waited on by nobody.
     * A failed write is logged by the writer, which still puts its records on record as refused.
     */
    recordUntaken(reads: EventReads): void {
      reads.recordWith(audit, []).catch(() => undefined);
    },
  };
}

export type DeliveryRecords = ReturnType<typeof deliveryRecords>;
