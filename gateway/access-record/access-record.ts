import type { GraphQLFormattedError, OperationTypeNode } from 'graphql';

export type AccessOutcome = 'allowed' | 'partially_denied' | 'denied' | 'error';

/** What the audit trail records of one operation that touched patient data: who saw which patient's which fields, why. */
export interface AccessRecord {
  requestId: string;
  /** Null for an anonymous caller (who can only have been denied). */
  subject: string | null;
  clientId: string | null;
  roles: string[];
  purposeOfUse: string | null;
  operationName: string | null;
  /** sha256 of the printed document the caller sent. */
  operationHash: string;
  operationType: OperationTypeNode;
  patientIds: string[];
  /** Coordinates with a value in the response, after authorization and before minimization. */
  fieldsReturned: string[];
  /** Coordinates the authorization plugin removed. */
  fieldsDenied: string[];
  outcome: AccessOutcome;
  at: Date;
}

/** The authorization plugin's own errors say what was denied; any other error makes the outcome 'error'. */
const FORBIDDEN = 'FORBIDDEN';

export function accessOutcome(
  errors: readonly GraphQLFormattedError[] | undefined,
  fieldsDenied: readonly string[],
  fieldsReturned: readonly string[],
): AccessOutcome {
  if (errors?.some((error) => error.extensions?.code !== FORBIDDEN)) return 'error';
  if (fieldsDenied.length === 0) return 'allowed';
  return fieldsReturned.length > 0 ? 'partially_denied' : 'denied';
}
