import type { Caller } from '../../platform/caller.ts';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import { roles } from '../../policies/roles.ts';

/**
 * What an endpoint receives of an event: what its organisation may see of it, minimized for it,
 * or null when it may see nothing of it (no delivery). The gateway resolves this through its own
 * execution, as for a subscriber, so authorization and minimization apply exactly as for a query.
 */
export type ResolveFor = (caller: Caller, event: DomainEvent) => Promise<unknown | null>;

/** The identity an organisation's endpoints receive events as: its payer partner, acting for payment. */
export function organizationCaller(organizationId: string): Caller {
  const partner = roles.payer_partner;
  return {
    subject: `webhooks:${organizationId}`,
    clientId: 'webhooks',
    roles: ['payer_partner'],
    scopes: [...partner.defaultScopes],
    organizationId,
    purposeOfUse: partner.defaultPurposeOfUse,
    expiresAt: Math.floor(Date.now() / 1000) + 300,
  };
}

/**
 * The simplest view: the envelope's data, for the organisation the event concerns (its
 * `organizationid` routing extension, a claim's payer) and no other. Payloads carry ids only (see
 * the event catalog), so there is nothing further to minimize.
 */
export const ownOrganizationData: ResolveFor = async (caller, event) =>
  event.organizationid !== undefined && event.organizationid === caller.organizationId ? event.data : null;
