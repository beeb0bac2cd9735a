import type { AccessOutcome, AuditEvent } from '../../platform/audit/access-record.ts';
import { DateTimeScalar } from '../../platform/subgraph/scalars.ts';
import { pageSize, requiredText } from '../../platform/validation.ts';
import type { RequestScope } from '../../platform/subgraph/service.ts';
import type { AuditContext } from './context.ts';
import { validWindow } from './validation.ts';
import { serviceOperationsResolver } from '../../platform/subgraph/service-operations.ts';

/** A record, and the patient whose trail it was read in (none in the action trail). */
type TrailEntry = AuditEvent & { trailPatientId?: string };

const outcomes: Record<string, AccessOutcome> = {
  ALLOWED: 'allowed',
  PARTIALLY_DENIED: 'partially_denied',
  DENIED: 'denied',
  ERROR: 'error',
};

// @authenticated, @requiresScopes and @policy on auditTrail and actionTrail are enforced by the gateway, and again by the access rules.
export const resolvers = {
  DateTime: DateTimeScalar,
  AuditOutcome: outcomes,
  Query: {
    auditOperations: serviceOperationsResolver,
    async auditTrail(
      _: unknown,
      args: { patientId: string; from: Date; to: Date; first?: number | null },
      { store, scope }: AuditContext & RequestScope,
    ): Promise<TrailEntry[]> {
      const patientId = requiredText(args.patientId, 'patientId', 100);
      validWindow(args.from, args.to);
      const events = await store.trailOfPatient(patientId, args.from, args.to, pageSize(args.first, 500));
      // Who looked at a patient's record is about that patient: reading it is on record too.
      return scope.released(events, () => patientId).map((event) => ({ ...event, trailPatientId: patientId }));
    },
    async actionTrail(_: unknown, args: { from: Date; to: Date; first?: number | null }, { store }: AuditContext & RequestScope): Promise<TrailEntry[]> {
      validWindow(args.from, args.to);
      return store.actionTrail(args.from, args.to, pageSize(args.first, 500));
    },
  },
  AuditEvent: {
    patient: (event: TrailEntry) => (event.trailPatientId ? { __typename: 'Patient', id: event.trailPatientId } : null),
    actions: (event: TrailEntry) => event.actions ?? [],
  },
};
