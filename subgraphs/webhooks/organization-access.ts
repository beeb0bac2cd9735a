import type { Caller } from '../../platform/caller.ts';
import { DomainError, ErrorCode } from '../../platform/errors.ts';
import type { WebhookEndpointStore } from '../../platform/webhooks/endpoint-store.ts';
import type { WebhookEndpoint } from '../../platform/webhooks/model.ts';
import { accessPolicies } from '../../policies/access-policies.ts';

/**
 * The row rules @policy cannot express: a partner manages its own organisation's endpoints only;
 * an administrator, or operations (where the schema lets it act), manages any.
 */
const managesAny = (caller: Caller) => accessPolicies.operations.allows(caller);

/** Every field here is @authenticated, so a call without a caller never reaches a resolver; this narrows the type. */
export function callerOf(caller: Caller | null): Caller {
  if (!caller) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Authentication required');
  return caller;
}

/** The organisation the caller acts for: its own unless it names one, which only an administrator or operations may do for another. */
export function organizationActedFor(caller: Caller, named: string | null | undefined): string | undefined {
  if (named && named !== caller.organizationId && !managesAny(caller)) {
    throw new DomainError(ErrorCode.FORBIDDEN, 'A partner acts for its own organisation only', { field: 'organizationId' });
  }
  return named ?? caller.organizationId;
}

/** The endpoint when the caller manages it; undefined when it does not exist or belongs to another organisation, so an id tells nothing. */
export async function managedEndpoint(endpoints: WebhookEndpointStore, caller: Caller, id: string): Promise<WebhookEndpoint | undefined> {
  const endpoint = await endpoints.byId(id);
  return endpoint && (managesAny(caller) || endpoint.organizationId === caller.organizationId) ? endpoint : undefined;
}
