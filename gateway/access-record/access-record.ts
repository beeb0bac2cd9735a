import type { GraphQLFormattedError } from 'graphql';
import type { AccessOutcome, AccessRecord } from '../../platform/audit/access-record.ts';
import type { Caller } from '../../platform/caller.ts';

export type { AccessRecord } from '../../platform/audit/access-record.ts';

/** Who a record is about. An anonymous caller can only have been denied; the trail still says so. */
export const recordedCaller = (caller: Caller | null): Pick<AccessRecord, 'subject' | 'clientId' | 'roles' | 'purposeOfUse'> => ({
  subject: caller?.subject ?? 'anonymous',
  clientId: caller?.clientId ?? 'anonymous',
  roles: caller?.roles ?? [],
  purposeOfUse: caller?.purposeOfUse,
});

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
