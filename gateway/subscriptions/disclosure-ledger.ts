import { randomUUID } from 'node:crypto';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import type { AccessRecord } from '../../platform/audit/access-record.ts';
import type { Caller } from '../../platform/caller.ts';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import type { Logger } from '../../platform/logger.ts';
import { recordedCaller } from '../access-record/access-record.ts';
import { operationHash } from '../access-record/operation-hash.ts';
import { LruCache } from '../authorization/lru-cache.ts';
import { fieldsReturnedIn } from '../access-record/read-response.ts';
import { responseShape } from '../minimization/response-shape.ts';
import type { SharedSelection } from './shared-selection.ts';

/** What one event's result, as a group's members receive it, tells about a patient. */
export interface Disclosure {
  patientId: string;
  /** Schema coordinates with a value in the result: `Patient.name`. */
  fields: readonly string[];
}

/** One subscription's deliveries since its last record. */
export interface DisclosureAccount {
  disclosed(disclosure: Disclosure): void;
  /** The subscription ended: what is left is recorded at the next flush. */
  close(): void;
}

export interface DisclosureLedger {
  /** Read once per group and event: the members' results are the same bytes. */
  disclosureOf(selection: SharedSelection, event: DomainEvent, result: ExecutionResult): Disclosure | undefined;
  open(caller: Caller, selection: SharedSelection): DisclosureAccount;
  /** Records what is left and stops. */
  close(): Promise<void>;
}

export interface DisclosureLedgerSettings {
  /** The subscription schema the selections are of. */
  schema: GraphQLSchema;
  /** The audit trail, as the access-record plugin writes to it. */
  audit: (records: AccessRecord[]) => Promise<void>;
  logger: Logger;
  /** How long a delivery may wait for its record. */
  flushIntervalMs?: number;
}

interface Account {
  caller: Caller;
  /** Every record of one subscription carries it, so the trail tells one subscription's records apart. */
  subscriptionId: string;
  operationHash: string;
  patientIds: Set<string>;
  /** The interned field lists delivered: usually one, so a delivery adds nothing here. */
  fieldLists: Set<readonly string[]>;
  open: boolean;
}

/**
 * Who was sent which patients' data over subscriptions. A group's read through the gateway is
 * recorded under one member, its reader; every member's deliveries are recorded here, each
 * subscription's gathered into one access record every few seconds (an event a second to
 * thousands of subscribers would otherwise be thousands of rows a second). A delivery is recorded
 * at most `flushIntervalMs` after it left; while the trail is down, reads fail closed and nothing
 * new is delivered.
 */
export function disclosureLedger({ schema, audit, logger, flushIntervalMs = 5_000 }: DisclosureLedgerSettings): DisclosureLedger {
  const accounts = new Set<Account>();
  // A selection's results return the same few field lists: one array each, so accounts compare
  // them by identity (an evicted list only means two equal arrays in an account, merged at flush).
  const fieldLists = new LruCache<string, readonly string[]>(1_000);
  const interned = (fields: string[]) => {
    const key = fields.join(' ');
    return fieldLists.get(key) ?? fieldLists.set(key, fields);
  };

  async function flush(): Promise<void> {
    const at = new Date();
    const records: AccessRecord[] = [];
    for (const account of accounts) {
      if (!account.open) accounts.delete(account);
      if (account.patientIds.size === 0) continue;
      records.push(recordOf(account, at));
      account.patientIds.clear();
      account.fieldLists.clear();
    }
    await Promise.all(
      records.map((record) =>
        audit([record]).catch((error: unknown) => logger.error({ err: { name: (error as Error).name }, subscriptionId: record.requestId }, 'subscription deliveries not recorded')),
      ),
    );
  }

  const timer = setInterval(() => void flush(), flushIntervalMs);
  timer.unref();

  return {
    disclosureOf(selection, event, result) {
      if (!event.patientid || !result.data) return undefined;
      const shape = responseShape(schema, selection.document, null);
      return { patientId: event.patientid, fields: interned(shape ? fieldsReturnedIn(shape, result.data) : []) };
    },
    open(caller, selection) {
      const account: Account = {
        caller,
        subscriptionId: `subscription-${randomUUID()}`,
        operationHash: operationHash(undefined, selection.document),
        patientIds: new Set(),
        fieldLists: new Set(),
        open: true,
      };
      accounts.add(account);
      return {
        disclosed({ patientId, fields }) {
          account.patientIds.add(patientId);
          account.fieldLists.add(fields);
        },
        close: () => void (account.open = false),
      };
    },
    async close() {
      clearInterval(timer);
      for (const account of accounts) account.open = false;
      await flush();
    },
  };
}

function recordOf({ caller, subscriptionId, operationHash, patientIds, fieldLists }: Account, at: Date): AccessRecord {
  return {
    requestId: subscriptionId,
    ...recordedCaller(caller),
    operationHash,
    operationType: 'subscription',
    patientIds: [...patientIds].sort(),
    fieldsReturned: [...new Set([...fieldLists].flat())].sort(),
    fieldsDenied: [],
    outcome: 'allowed',
    at,
  };
}
