// Hive Gateway on node:http: `node --import tsx bench/hive-gateway.ts <supergraph>`; PORT;
// SUBGRAPH_AUTHORIZATION, when set, is the Authorization header of every subgraph call;
// HIVE_ISSUER_JWKS, when set, turns on its JWT, authorization and demand control (hive-governance.ts);
// HIVE_RUNTIME=router runs plans with @graphql-hive/router-runtime (Hive Router's Rust query planner
// and its executor) instead of the default runtime.
// Otherwise its defaults, but for inbound request deduplication, which stays off: it would answer
// identical concurrent requests once, and the figures must hold without that.
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { createServer } from 'node:http';
import { setting } from '../platform/config.ts';
import { runUntilSignalled } from '../platform/process.ts';
import { hiveGovernance } from './hive-governance.ts';

const subgraphAuthorization = setting('SUBGRAPH_AUTHORIZATION');
const issuerJwks = setting('HIVE_ISSUER_JWKS');
const routerRuntime = setting('HIVE_RUNTIME') === 'router';

runUntilSignalled(async () => {
  const gateway = createGatewayRuntime({
    supergraph: process.argv[2]!,
    inboundInflightRequestDeduplication: false,
    ...(routerRuntime ? { unifiedGraphHandler } : {}),
    propagateHeaders: subgraphAuthorization ? { fromClientToSubgraphs: () => ({ authorization: subgraphAuthorization }) } : undefined,
    ...(issuerJwks ? hiveGovernance(issuerJwks) : {}),
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(setting('PORT') ?? 4000, '127.0.0.1', resolve));
  return {
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await gateway.dispose();
    },
  };
});
