import { auditMigrations } from '../../platform/audit/audit-store.ts';
import type { SubgraphModule } from '../../platform/subgraph/service.ts';
import { subgraphSdl } from '../../schema/catalog.ts';
import { auditContext, type AuditContext } from './context.ts';
import { resolvers } from './resolvers.ts';

/** The auditor's view of the audit trail. Its tables are the platform's (platform/audit), shared with the gateway that writes them. */
export const auditSubgraph: SubgraphModule<AuditContext> = {
  name: 'audit',
  sdl: subgraphSdl('audit'),
  migrations: auditMigrations,
  resolvers,
  context: auditContext,
};
