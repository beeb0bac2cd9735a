import type { SubgraphModule } from '../../platform/subgraph/service.ts';
import { subgraphSdl } from '../../schema/catalog.ts';
import { WORKFLOWS_GROUP } from '../domain-events.ts';
import type { OnboardingRecords } from './onboarding-records.ts';
import { resolvers, type WorkflowsContext } from './resolvers.ts';

/**
 * The workflows' own state in the graph: onboardings read from, and started on, the engine of the
 * process that serves it. Its database holds only the kit's tables (idempotency keys): this folder
 * has no migrations of its own.
 */
export const workflowsSubgraph = (onboardings: OnboardingRecords | undefined): SubgraphModule<WorkflowsContext> => ({
  name: 'workflows',
  sdl: subgraphSdl('workflows'),
  migrations: new URL('./', import.meta.url),
  resolvers,
  context: (db) => ({ db, onboardings }),
  operations: () => ({ consumerGroups: [WORKFLOWS_GROUP] }),
});
