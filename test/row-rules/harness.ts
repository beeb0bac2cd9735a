import type { Caller } from '../../platform/caller.ts';
import type { EventLog } from '../../platform/events/event-log.ts';
import { startSubgraph, type RunningSubgraph, type SubgraphModule } from '../../platform/subgraph/service.ts';
import { roles, type RoleName } from '../../policies/roles.ts';
import { dropSchemas, uniqueName } from '../support/databases.ts';
import { gatewayStandIn } from '../support/gateway-stand-in.ts';
import { graphql, type GraphQLResponse } from '../support/graphql.ts';

/** A caller of `role` with the role's own scopes, as the gateway would establish it. */
export function callerOf(role: RoleName, binding: Pick<Caller, 'patientId' | 'organizationId'> = {}): Caller {
  const policy = roles[role];
  return {
    subject: `test-${role}`,
    clientId: policy.defaultClientId,
    roles: [role],
    scopes: [...policy.defaultScopes],
    purposeOfUse: policy.defaultPurposeOfUse,
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    ...binding,
  };
}

export const patientCaller = (patientId: string) => callerOf('patient', { patientId });
export const payerCaller = (organizationId: string) => callerOf('payer_partner', { organizationId });

export type Call = (query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse>;

export interface ScopedSubgraph {
  subgraph: RunningSubgraph;
  /** Calls over HTTP on behalf of `caller`, as the gateway would. */
  as(caller: Caller | null): Call;
  close(): Promise<void>;
}

/** A subgraph on a schema of its own, called directly with the gateway stand-in's internal tokens. */
export async function startScoped<T extends object>(module: SubgraphModule<T>, url: string | undefined, eventLog?: EventLog): Promise<ScopedSubgraph> {
  const schema = uniqueName(module.name);
  const gateway = await gatewayStandIn();
  const subgraph = await startSubgraph(module, { port: 0, database: { url, schema }, gatewayPublicKey: gateway.publicKey, eventLog });
  return {
    subgraph,
    as: (caller) => async (query, variables) => graphql(subgraph.url, query, variables, await gateway.headersFor(caller)),
    async close() {
      await subgraph.close();
      await dropSchemas(url, schema);
    },
  };
}
