import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/service.ts';
import { patientsSubgraph } from '../../subgraphs/patients/subgraph.ts';
import { dropSchemas, uniqueName } from '../support/databases.ts';
import { adminCaller, gatewayStandIn } from '../support/gateway-stand-in.ts';
import { graphql, type GraphQLResponse } from '../support/graphql.ts';

export interface PatientsService {
  subgraph: RunningSubgraph;
  call(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

/** The patients subgraph on its own, empty schema, called as the gateway calls it. */
export async function startPatients(url: string | undefined): Promise<PatientsService> {
  const schema = uniqueName('patients');
  const gateway = await gatewayStandIn();
  const subgraph = await startSubgraph(patientsSubgraph, { port: 0, database: { url, schema }, gatewayPublicKey: gateway.publicKey });
  const headers = await gateway.headersFor(adminCaller);
  return {
    subgraph,
    call: (query, variables) => graphql(subgraph.url, query, variables, headers),
    async close() {
      await subgraph.close();
      await dropSchemas(url, schema);
    },
  };
}
