import type { GraphQLFormattedError } from 'graphql';
import type { AccessOutcome } from '../../platform/audit/access-record.ts';

export type { AccessRecord } from '../../platform/audit/access-record.ts';

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
