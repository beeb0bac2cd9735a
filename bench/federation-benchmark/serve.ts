// The four benchmark subgraphs in one process on free loopback ports:
// `node --import tsx bench/federation-benchmark/serve.ts <supergraph file>` (started by bench/run.ts).
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphqlHandler } from '../../platform/http/graphql-handler.ts';
import { startHttpService } from '../../platform/http/server.ts';
import { createLogger } from '../../platform/logger.ts';
import { runUntilSignalled } from '../../platform/process.ts';
import { announceReady } from '../process/child.ts';
import { countSubgraphRequests } from '../process/subgraph-requests.ts';
import { writeSupergraph } from '../supergraph.ts';
import { accounts } from './accounts.ts';
import { inventory } from './inventory.ts';
import { products } from './products.ts';
import { reviews } from './reviews.ts';
import type { BenchmarkSubgraph } from './subgraph.ts';

async function serve({ name, typeDefs, resolvers }: BenchmarkSubgraph) {
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    // As our own subgraphs: federated traces only feed Apollo Studio.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const http = await startHttpService({
    name,
    port: 0,
    logger: createLogger(name),
    checks: [],
    routes: { '/graphql': graphqlHandler(apollo, { bodyLimitBytes: 1_000_000, context: async () => ({}) }) },
  });
  return {
    service: { name, url: `${http.url}/graphql`, typeDefs },
    server: http.server,
    async close() {
      await http.close();
      await apollo.stop();
    },
  };
}

runUntilSignalled(async () => {
  const supergraphFile = process.argv[2];
  if (!supergraphFile) throw new Error('usage: serve.ts <supergraph file>');
  const running = await Promise.all([accounts, inventory, products, reviews].map(serve));
  writeSupergraph(supergraphFile, running.map(({ service }) => service));
  countSubgraphRequests(running.map(({ server }) => server));
  announceReady({ supergraphFile, subgraphUrls: Object.fromEntries(running.map(({ service }) => [service.name, service.url])) });
  return { close: async () => void (await Promise.all(running.map((subgraph) => subgraph.close()))) };
});
