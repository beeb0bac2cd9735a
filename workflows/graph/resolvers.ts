import { createHash, randomUUID } from 'node:crypto';
import type { Caller } from '../../platform/caller.ts';
import { once } from '../../platform/database/idempotency.ts';
import type { Database } from '../../platform/database/database.ts';
import { badInput, DomainError, ErrorCode } from '../../platform/errors.ts';
import { cursorSealOf } from '../../platform/subgraph/cursors.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import type { RequestScope } from '../../platform/subgraph/service.ts';
import { DateScalar, DateTimeScalar } from '../../platform/subgraph/scalars.ts';
import { replayDeadLettersResolver, serviceOperationsResolver } from '../../platform/subgraph/service-operations.ts';
import { pageSize } from '../../platform/validation.ts';
import type { StartOnboarding } from '../onboarding/start.ts';
import { CURRENT_ONBOARDING } from '../registry.ts';
import { listEndedByEngine, listQueued, type ListingPosition, type OnboardingListings, type OnboardingOrder } from './onboarding-listing.ts';
import type { OnboardingRecord, OnboardingRecords } from './onboarding-records.ts';
import { onboardingView } from './onboarding-view.ts';

export interface WorkflowsContext {
  db: Database;
  /** Absent where this process runs no workflow engine (the launcher with WORKFLOWS=false). */
  onboardings: OnboardingRecords | undefined;
  /** What the workflows announced of each onboarding: lists read it, with or without an engine here. */
  listings: OnboardingListings;
}

type Context = WorkflowsContext & RequestScope;

function engineOf({ onboardings }: WorkflowsContext): OnboardingRecords {
  if (!onboardings) throw new DomainError(ErrorCode.UPSTREAM_UNAVAILABLE, 'The workflows do not run in this process', { reason: 'WORKFLOWS_NOT_RUNNING' });
  return onboardings;
}

/**
 * An onboarding as the caller may see it: one about a registered patient when the row scope reaches
 * that patient (noted released or refused, for the access record); one with no patient yet, staff only.
 */
function visible(record: OnboardingRecord | null, scope: RowScope) {
  if (!record) return null;
  const patientId = record.state?.patientId;
  const seen = patientId ? scope.reaches(patientId) : scope.everyRow;
  return seen ? onboardingView(record) : null;
}

/**
 * The onboarding an idempotency key names: the same for the same caller and key, so a start retried
 * after its answer was lost (or after the key's record failed to commit) enqueues the same one.
 */
function onboardingIdOf(caller: Caller | null, key: string | null | undefined): string {
  if (!key) return `onb-${randomUUID()}`;
  const digest = createHash('sha256').update(JSON.stringify([caller?.subject ?? '', caller?.clientId ?? '', key])).digest('base64url');
  return `onb-${digest.slice(0, 32)}`;
}

interface OnboardingsArgs {
  filter: { statuses: string[]; waitingOn?: string | null };
  order?: OnboardingOrder | null;
  first?: number | null;
  after?: string | null;
}

const isListingPosition = (value: unknown): value is ListingPosition =>
  typeof value === 'object' && value !== null && typeof (value as ListingPosition).at === 'string' && typeof (value as ListingPosition).id === 'string';

// @authenticated, @requiresScopes and @policy are enforced by the gateway and again by the access rules.
export const resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: {
    workflowsOperations: serviceOperationsResolver,
    async onboarding(_: unknown, { id }: { id: string }, context: Context) {
      return visible(await engineOf(context).read(id), context.scope);
    },
    async onboardings(_: unknown, { filter, order, first, after }: OnboardingsArgs, { db, listings, onboardings, scope }: Context) {
      if (filter.statuses.length === 0) throw badInput('filter.statuses must name at least one status', { field: 'filter.statuses' });
      const limit = pageSize(first, 100);
      // Failures no announcement tells of, brought into the listing before it is read (where the engine runs here).
      if (onboardings && filter.statuses.includes('FAILED')) await listEndedByEngine(db, (ids) => onboardings.endedByEngine(ids));
      const query = { statuses: [...new Set(filter.statuses)].sort(), waitingOn: filter.waitingOn ?? null, order: order ?? 'NEWEST_FIRST' };
      const seal = await cursorSealOf(db);
      // A cursor continues the same list only: the same statuses, party and order.
      const boundTo = `onboardings:${JSON.stringify(query)}`;
      const { page, hasNextPage } = await listings.list(scope, { ...query, limit, ...(after && { after: seal.open(after, boundTo, isListingPosition) }) });
      const last = page.at(-1);
      return { nodes: page.map(({ listing }) => listing), hasNextPage, endCursor: last ? seal.seal(last.position, boundTo) : null };
    },
  },
  Mutation: {
    replayWorkflowsDeadLetters: replayDeadLettersResolver,
    async startPatientOnboarding(_: unknown, { input, idempotencyKey }: { input: Omit<StartOnboarding, 'timing'>; idempotencyKey?: string | null }, context: Context) {
      const { caller, db, scope } = context;
      const onboardings = engineOf(context);
      scope.requireEveryRow('startPatientOnboarding');
      const { id } = await db.transaction((tx) =>
        once(tx, { key: idempotencyKey, caller, operation: 'startPatientOnboarding' }, input, async () => {
          const started = onboardingIdOf(caller, idempotencyKey);
          // Listed before the engine has it, so an announcement never precedes the listing's row.
          await listQueued(tx, started, CURRENT_ONBOARDING);
          await onboardings.start(input, started);
          return { id: started };
        }),
      );
      return visible(await onboardings.read(id), scope);
    },
  },
};
