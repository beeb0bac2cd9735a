import type { Caller } from '../../platform/caller.ts';
import { badInput, quotaExceeded } from '../../platform/errors.ts';
import { eventCatalog } from '../../platform/events/catalog.ts';
import { optionalText } from '../../platform/validation.ts';
import { validEndpointUrl } from '../../platform/webhooks/endpoint-url.ts';
import type { WebhookEndpointStore } from '../../platform/webhooks/endpoint-store.ts';
import { isSigningSecret } from '../../platform/webhooks/signing-secret.ts';
import type { TargetPolicy } from '../../platform/webhooks/target-policy.ts';
import { quotas } from '../../policies/quotas.ts';
import { organizationActedFor } from './organization-access.ts';

export interface RegistrationInput {
  url: string;
  eventTypes: string[];
  secret?: string | null;
  organizationId?: string | null;
}

/** A checked registration; without a secret, one is generated when the endpoint is created. */
export interface Registration {
  organizationId: string;
  url: string;
  eventTypes: string[];
  secret?: string;
}

const MAX_EVENT_TYPES = 50;

function validEventTypes(eventTypes: readonly string[]): string[] {
  const field = { field: 'input.eventTypes' };
  if (eventTypes.length === 0 || eventTypes.length > MAX_EVENT_TYPES) throw badInput(`eventTypes must name 1 to ${MAX_EVENT_TYPES} event types`, field);
  const unknown = eventTypes.filter((type) => !Object.hasOwn(eventCatalog, type));
  if (unknown.length > 0) throw badInput('eventTypes must be types of the event catalog', { ...field, unknown: unknown.slice(0, 5).map((type) => type.slice(0, 100)) });
  return [...new Set(eventTypes)].sort();
}

/** The registration the caller may make: for its own organisation (an administrator names any), to a URL the policy accepts. */
export function validRegistration(input: RegistrationInput, caller: Caller, targets: TargetPolicy): Registration {
  const organizationId = organizationActedFor(caller, optionalText(input.organizationId, 'input.organizationId', 100));
  if (!organizationId) throw badInput('organizationId is required for a caller acting for no organisation', { field: 'input.organizationId' });
  if (input.secret && !isSigningSecret(input.secret)) {
    throw badInput('secret must be whsec_ followed by the base64 of 24 to 64 random bytes', { field: 'input.secret' });
  }
  return {
    organizationId,
    url: validEndpointUrl(input.url, targets),
    eventTypes: validEventTypes(input.eventTypes),
    ...(input.secret ? { secret: input.secret } : {}),
  };
}

/**
 * The endpoint quotas of policies/quotas.ts, checked in the registering (or enabling) transaction: every active endpoint
 * is one more POST for each event, so an organisation holds a few, and few on any one host.
 */
export async function requireEndpointQuotas(endpoints: WebhookEndpointStore, { organizationId, url }: Pick<Registration, 'organizationId' | 'url'>): Promise<void> {
  const active = await endpoints.lockedActiveUrls(organizationId);
  const { webhookEndpointsPerOrganization: perOrganization, webhookEndpointsPerTarget: perTarget } = quotas;
  if (active.length >= perOrganization) {
    throw quotaExceeded('WEBHOOK_ENDPOINTS_PER_ORGANIZATION', `An organisation holds at most ${perOrganization} active endpoints: disable one first`, perOrganization);
  }
  const host = new URL(url).hostname;
  if (active.filter((other) => new URL(other).hostname === host).length >= perTarget) {
    throw quotaExceeded('WEBHOOK_ENDPOINTS_PER_TARGET', `An organisation holds at most ${perTarget} active endpoints on one host: disable one first`, perTarget);
  }
}
