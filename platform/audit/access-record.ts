import type { Row } from '../database/database.ts';
import type { OperationalAction } from './disclosures.ts';

export const accessOutcomes = ['allowed', 'partially_denied', 'denied', 'error'] as const;
export type AccessOutcome = (typeof accessOutcomes)[number];

/** What the gateway saw one request do: who, for which patients, which fields, and the verdict. */
export interface AccessRecord {
  requestId: string;
  subject: string;
  clientId: string;
  roles: string[];
  /** HL7 purpose of use the caller declared (TREAT, HPAYMT...). */
  purposeOfUse?: string;
  operationName?: string;
  /** sha256 of the operation document: identifies the query without storing its variables. */
  operationHash: string;
  operationType: string;
  patientIds: string[];
  /** Field coordinates such as `Patient.birthDate`. */
  fieldsReturned: string[];
  fieldsDenied: string[];
  outcome: AccessOutcome;
  at: Date;
  /**
   * For a delivery to several subscribers at once (one event to a group sharing one read): every
   * subject it went to, the caller's included. Absent for a request, whose caller is the subject.
   */
  recipients?: string[];
  /** The operational actions the request took (see OperationalAction); absent when it took none. */
  actions?: OperationalAction[];
}

/** A record as stored: its place in the hash chain. */
export interface AuditEvent extends AccessRecord {
  seq: number;
  previousHash: string;
  hash: string;
}

// PostgreSQL text holds neither NUL nor lone UTF-16 surrogates: such a string would be refused
// (blocking its batch) or stored altered (breaking its hash), so it is refused up front.
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** Throws a TypeError naming the field when a record could not be stored exactly as given. */
export function assertStorable(record: AccessRecord): void {
  if (!(record.at instanceof Date) || Number.isNaN(record.at.getTime())) throw new TypeError('AccessRecord.at must be a valid Date');
  if (!accessOutcomes.includes(record.outcome)) throw new TypeError('AccessRecord.outcome is not an access outcome');
  const texts = {
    requestId: [record.requestId],
    subject: [record.subject],
    clientId: [record.clientId],
    roles: record.roles,
    purposeOfUse: [record.purposeOfUse ?? ''],
    operationName: [record.operationName ?? ''],
    operationHash: [record.operationHash],
    operationType: [record.operationType],
    patientIds: record.patientIds,
    fieldsReturned: record.fieldsReturned,
    fieldsDenied: record.fieldsDenied,
    recipients: record.recipients ?? [],
    actions: (record.actions ?? []).flatMap(({ action, target }) => [action, target]),
  };
  for (const [field, values] of Object.entries(texts)) {
    if (!Array.isArray(values) || values.some((value) => typeof value !== 'string' || UNSTORABLE.test(value))) {
      throw new TypeError(`AccessRecord.${field} must be text without NUL characters or lone surrogates`);
    }
  }
}

/** The record's columns in audit_event, in the order `recordValues` gives them. */
export const recordColumns = [
  'request_id',
  'subject',
  'client_id',
  'roles',
  'purpose_of_use',
  'operation_name',
  'operation_hash',
  'operation_type',
  'patient_ids',
  'fields_returned',
  'fields_denied',
  'outcome',
  'at',
  'recipients',
  'actions',
];

/** An action as stored: `<action>:<target>` (an action is a GraphQL field name, which holds no colon). */
const storedAction = ({ action, target }: OperationalAction) => `${action}:${target}`;

function actionOf(stored: string): OperationalAction {
  const colon = stored.indexOf(':');
  return { action: stored.slice(0, colon), target: stored.slice(colon + 1) };
}

/**
 * The record's values in a fixed order, absent optional fields as null: what is stored. What is
 * hashed leaves `recipients` and `actions` out when there are none, so rows written before they
 * existed still verify.
 */
export const recordValues = (record: AccessRecord): unknown[] => [
  ...requestValues(record),
  record.recipients ?? null,
  record.actions ? record.actions.map(storedAction) : null,
];

/**
 * What the chain hash covers: `recordValues`, with `recipients` only when the record has them and
 * `actions` only when it took some, tagged so that neither can pass for the other.
 */
export const hashedValues = (record: AccessRecord): unknown[] => [
  ...requestValues(record),
  ...(record.recipients ? [record.recipients] : []),
  ...(record.actions ? [{ actions: record.actions.map(storedAction) }] : []),
];

const requestValues = (record: AccessRecord): unknown[] => [
  record.requestId,
  record.subject,
  record.clientId,
  record.roles,
  record.purposeOfUse ?? null,
  record.operationName ?? null,
  record.operationHash,
  record.operationType,
  record.patientIds,
  record.fieldsReturned,
  record.fieldsDenied,
  record.outcome,
  record.at,
];

export const toAuditEvent = (row: Row): AuditEvent => ({
  // bigint arrives as a string (pg) or a bigint (PGlite); seqs stay far below 2^53.
  seq: Number(row.seq),
  requestId: row.request_id as string,
  subject: row.subject as string,
  clientId: row.client_id as string,
  roles: row.roles as string[],
  purposeOfUse: (row.purpose_of_use as string | null) ?? undefined,
  operationName: (row.operation_name as string | null) ?? undefined,
  operationHash: row.operation_hash as string,
  operationType: row.operation_type as string,
  patientIds: row.patient_ids as string[],
  fieldsReturned: row.fields_returned as string[],
  fieldsDenied: row.fields_denied as string[],
  outcome: row.outcome as AccessOutcome,
  at: row.at as Date,
  ...(row.recipients ? { recipients: row.recipients as string[] } : {}),
  ...(row.actions ? { actions: (row.actions as string[]).map(actionOf) } : {}),
  previousHash: row.previous_hash as string,
  hash: row.hash as string,
});
