import { randomUUID } from 'node:crypto';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import type { Caller } from '../../platform/caller.ts';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import { recordedCaller } from '../access-record/access-record.ts';
import { operationHash } from '../access-record/operation-hash.ts';
import { fieldsReturnedIn } from '../access-record/read-response.ts';
import { responseShape } from '../minimization/response-shape.ts';
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

/** Those taking an outcome in one turn of the event loop: one record names them all. */
interface Batch {
  callers: Caller[];
  written: Promise<void>;
}

/** The subjects an outcome is (being) recorded as delivered to, and the batch still gathering. */
interface Receipts {
  recorded: Map<string, Promise<void>>;
  open?: Batch;
}

/**
 * Subscription deliveries on record before they leave (record, then release). The members of a
 * group take an event's shared outcome in one synchronous loop when it settles: their receipts
 * gather into one access record, written once, naming every subject it goes to (`recipients`);
 * each member's frame is written once that record is durable. A member that takes the outcome later
 * (a replay, a late joiner) adds a record of its own. Deliveries that tell no patient's data (an
 * event about no patient) are sent at once.
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
     * Resolves once `caller`'s receipt of the outcome is on record; undefined when nothing needs
     * recording. Rejects when the trail cannot take it: the frame must not be sent.
     */
    recorded(outcome: SharedOutcome, caller: Caller): Promise<void> | undefined {
      const disclosure = outcome.disclosure;
      if (!disclosure) return undefined;
      let state = receipts.get(outcome);
      if (!state) receipts.set(outcome, (state = { recorded: new Map() }));
      const known = state.recorded.get(caller.subject);
      if (known) return known;
      if (!state.open) {
        const receipt = state;
        const batch: Batch = { callers: [], written: Promise.resolve() };
        batch.written = Promise.resolve().then(() => {
          if (receipt.open === batch) receipt.open = undefined;
          return audit([recordOf(disclosure, batch.callers)]);
        });
        // Not on record: those subjects are asked for again when they next take it (a reconnect's replay).
        batch.written.catch(() => batch.callers.forEach(({ subject }) => receipt.recorded.delete(subject)));
        state.open = batch;
      }
      state.open.callers.push(caller);
      state.recorded.set(caller.subject, state.open.written);
      return state.open.written;
    },
  };
}

export type DeliveryRecords = ReturnType<typeof deliveryRecords>;
