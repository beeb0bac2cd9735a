import type { Caller } from '../../platform/caller.ts';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import { LruCache } from '../authorization/lru-cache.ts';
import { callerClassOf } from './caller-class.ts';
import type { ReadAs } from './gateway-reads.ts';

const MEMBERSHIP = /* GraphQL */ `query SubscriptionAudience($patientId: ID!) { patient(id: $patientId) { coverages { status payer { id } } } }`;

interface Coverage {
  status: string;
  payer: { id: string } | null;
}

/** Who may learn that an event happened at all, before anything about it is resolved. */
export interface EventAudience {
  admits(caller: Caller, event: DomainEvent): Promise<boolean>;
  /** A coverage changed: memberships are read again. */
  forgetMemberships(): void;
}

export interface AudienceOptions {
  membershipTtlMs?: number;
  capacity?: number;
}

/**
 * Row rules by the event's routing extensions. A caller bound to a patient hears of that patient's
 * events only; one bound to an organisation, of events naming it, or else of events about its
 * members (an active coverage with it), read through the gateway as that caller. The subgraphs do
 * not narrow rows to a payer's members yet, so without this a payer would learn of every
 * appointment; once they do, the membership read answers null for a non-member and this agrees.
 * Unbound callers (staff) are left to the entity's own resolution.
 */
export function eventAudience(readAs: ReadAs, { membershipTtlMs = 60_000, capacity = 10_000 }: AudienceOptions = {}): EventAudience {
  let memberships = new LruCache<string, { until: number; member: Promise<boolean> }>(capacity);

  async function readMembership(caller: Caller, patientId: string): Promise<boolean> {
    const { data, errors } = await readAs(caller, MEMBERSHIP, { patientId });
    // Not knowing is not being a member; a failed read is not remembered.
    if (errors?.length) throw new Error('membership unknown');
    const coverages = ((data?.patient as { coverages?: Coverage[] | null } | null)?.coverages ?? []);
    return coverages.some((coverage) => coverage.status === 'ACTIVE' && coverage.payer?.id === caller.organizationId);
  }

  function isMember(caller: Caller, patientId: string): Promise<boolean> {
    const key = `${callerClassOf(caller)}\n${patientId}`;
    const known = memberships.get(key);
    if (known && known.until > Date.now()) return known.member;
    const member = readMembership(caller, patientId).catch(() => {
      memberships.set(key, { until: 0, member });
      return false;
    });
    memberships.set(key, { until: Date.now() + membershipTtlMs, member });
    return member;
  }

  return {
    async admits(caller, event) {
      if (caller.patientId) return event.patientid === caller.patientId;
      if (!caller.organizationId) return true;
      if (event.organizationid) return event.organizationid === caller.organizationId;
      return event.patientid ? isMember(caller, event.patientid) : false;
    },
    forgetMemberships() {
      memberships = new LruCache(capacity);
    },
  };
}
