import type { SubgraphModule } from '../../platform/subgraph/service.ts';
import { subgraphSdl } from '../../schema/catalog.ts';
import { WORKFLOWS_GROUP } from '../domain-events.ts';
import { OnboardingListings } from './onboarding-listing.ts';
import type { OnboardingRecords } from './onboarding-records.ts';
import { resolvers, type WorkflowsContext } from './resolvers.ts';

/**
 * The workflows' own state in the graph: onboardings read from, and started on, the engine of the
 * process that serves it. Its database holds the kit's tables (idempotency keys, the outbox) and the
 * onboardings' listing their announcements keep, which lists answer from.
 */
export const workflowsSubgraph = (onboardings: OnboardingRecords | undefined): SubgraphModule<WorkflowsContext> => ({
  name: 'workflows',
  sdl: subgraphSdl('workflows'),
  migrations: new URL('./migrations/', import.meta.url),
  resolvers,
  context: (db) => ({ db, onboardings, listings: new OnboardingListings(db) }),
  operations: () => ({ consumerGroups: [WORKFLOWS_GROUP] }),
});
