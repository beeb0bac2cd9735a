// Bare @apollo/gateway, the baseline: ApolloServer + ApolloGateway on the standalone server, no plugins.
// `node --import tsx bench/bare-apollo-gateway.ts <supergraph>`; PORT; SUBGRAPH_AUTHORIZATION, when
// set, is the Authorization header of every subgraph call (the healthcare subgraphs require one);
// SUBGRAPH_FETCHER=undici calls subgraphs over our keep-alive undici pools (gateway/subgraph-connection.ts)
// instead of @apollo/gateway's default fetcher, and changes nothing else.
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';
import { executableSupergraph } from '../gateway/authorization/executable-supergraph.ts';
import { openSubgraphConnection } from '../gateway/subgraph-connection.ts';
import { disableApolloTelemetry } from '../platform/apollo-offline.ts';
import { setting } from '../platform/config.ts';
import { runUntilSignalled } from '../platform/process.ts';

const subgraphAuthorization = setting('SUBGRAPH_AUTHORIZATION');
const undiciFetcher = setting('SUBGRAPH_FETCHER') === 'undici';

class FixedIdentityDataSource extends RemoteGraphQLDataSource {
  override willSendRequest({ request }: GraphQLDataSourceProcessOptions): void {
    request.http?.headers.set('authorization', subgraphAuthorization!);
  }
}

runUntilSignalled(async () => {
  // The baseline calls out no more than ours does.
  disableApolloTelemetry();
  const gateway = new ApolloGateway({
    // @apollo/gateway refuses the `for: SECURITY` links of the healthcare supergraph; this one
    // enforces nothing, so the links become plain metadata (on a supergraph without them, a no-op).
    supergraphSdl: executableSupergraph(readFileSync(process.argv[2]!, 'utf8')),
    buildService: ({ url }) => {
      const options = undiciFetcher ? { url, fetcher: openSubgraphConnection(url!, 10_000).fetch } : { url };
      return subgraphAuthorization ? new FixedIdentityDataSource(options) : new RemoteGraphQLDataSource(options);
    },
  });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: setting('PORT') ?? 4000 } });
  return { close: () => server.stop() };
});
