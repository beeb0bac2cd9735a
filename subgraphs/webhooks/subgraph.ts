import type { SubgraphModule } from '../../platform/subgraph/service.ts';
import { WEBHOOKS_GROUP } from '../../platform/webhooks/model.ts';
import { webhookMigrations } from '../../platform/webhooks/stores.ts';
import type { TargetPolicy } from '../../platform/webhooks/target-policy.ts';
import { subgraphSdl } from '../../schema/catalog.ts';
import { webhooksContext, type WebhooksContext } from './context.ts';
import { resolvers } from './resolvers.ts';

/**
 * Partners' webhook endpoints and their delivery log. The tables are the platform's
 * (platform/webhooks), shared with the gateway's deliverer that sends the webhooks.
 */
export const webhooksSubgraph = (targets: TargetPolicy): SubgraphModule<WebhooksContext> => ({
  name: 'webhooks',
  sdl: subgraphSdl('webhooks'),
  migrations: webhookMigrations,
  resolvers,
  context: webhooksContext(targets),
  operations: () => ({ consumerGroups: [WEBHOOKS_GROUP] }),
});
