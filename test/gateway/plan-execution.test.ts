import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts } from '../../bench/federation-benchmark/accounts.ts';
import { inventory } from '../../bench/federation-benchmark/inventory.ts';
import { products } from '../../bench/federation-benchmark/products.ts';
import { federationBenchmarkQuery } from '../../bench/federation-benchmark/query.ts';
import { reviews } from '../../bench/federation-benchmark/reviews.ts';
import { PlanningGateway } from '../../gateway/execution/planning-gateway.ts';
import { openSubgraphConnection, type SubgraphConnection } from '../../gateway/subgraph-connection.ts';

/** Counts the requests each gateway sends its subgraphs, and the operations in them. */
class CountingDataSource extends RemoteGraphQLDataSource {
  static sent: string[] = [];
  /** Per subgraph, how much later than it could its answers arrive: a slower service. */
  static slower: Record<string, number> = {};
  override willSendRequest({ request }: GraphQLDataSourceProcessOptions): void {
    CountingDataSource.sent.push(request.query!);
  }
  override async process(options: GraphQLDataSourceProcessOptions) {
    const response = await super.process(options);
    const ms = CountingDataSource.slower[this.url!.split('/')[2]!] ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    return response;
  }
}

// The benchmark's four subgraphs, with one failing field to compare errors too.
const subgraphs = [accounts, inventory, products, reviews];

describe('our executor runs @apollo/gateway plans', () => {
  const servers: ApolloServer[] = [];
  const connections: SubgraphConnection[] = [];
  let supergraphSdl: string;
  let ours: ApolloServer;
  let apollo: ApolloServer;
  const hostOf: Record<string, string> = {};

  beforeAll(async () => {
    const services = [];
    for (const { name, typeDefs, resolvers } of subgraphs) {
      const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers }) });
      const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
      servers.push(server);
      services.push({ name, url, typeDefs });
      hostOf[name] = new URL(url).host;
    }
    const composed = composeServices(services);
    if (composed.errors) throw composed.errors[0];
    supergraphSdl = composed.supergraphSdl;
    const buildService = ({ url }: { url?: string }) => {
      const connection = openSubgraphConnection(url!, 10_000);
      connections.push(connection);
      return new CountingDataSource({ url, fetcher: connection.fetch });
    };
    ours = new ApolloServer({ gateway: new PlanningGateway({ supergraphSdl, buildService }) });
    apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl, buildService }) });
    await Promise.all([ours.start(), apollo.start()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([ours?.stop(), apollo?.stop()]);
    await Promise.all([...connections.map((connection) => connection.close()), ...servers.map((server) => server.stop())]);
  });

  async function run(server: ApolloServer, query: string, variables?: Record<string, unknown>) {
    CountingDataSource.sent = [];
    const response = await server.executeOperation({ query, variables });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { result: JSON.parse(JSON.stringify(response.body.singleResult)), sent: CountingDataSource.sent };
  }

  it('answers the nested benchmark query as @apollo/gateway does, in fewer subgraph requests', async () => {
    const expected = await run(apollo, federationBenchmarkQuery);
    const actual = await run(ours, federationBenchmarkQuery);
    expect(actual.result).toEqual(expected.result);
    expect(expected.sent).toHaveLength(10);
    // Hive Gateway's runtimes send 7. Ours: entity fetches of parallel branches to one subgraph share
    // a request however their inputs' answers interleave, so every run sends the same few.
    const counts = new Set<number>([actual.sent.length]);
    for (const slower of subgraphs) {
      CountingDataSource.slower = { [hostOf[slower.name]!]: 15 };
      try {
        const { result, sent } = await run(ours, federationBenchmarkQuery);
        expect(result).toEqual(expected.result);
        counts.add(sent.length);
      } finally {
        CountingDataSource.slower = {};
      }
    }
    expect([...counts]).toEqual([actual.sent.length]);
    expect(actual.sent.length).toBeLessThanOrEqual(7);
  });

  it('sends an entity asked for at several places once', async () => {
    const { sent } = await run(ours, '{ topProducts { upc reviews { author { id username reviews { product { upc name } } } } } }');
    const entityFetches = sent.filter((query) => query.includes('_entities'));
    expect(entityFetches.length).toBeGreaterThan(0);
    const expected = await run(apollo, '{ topProducts { upc reviews { author { id username reviews { product { upc name } } } } } }');
    expect((await run(ours, '{ topProducts { upc reviews { author { id username reviews { product { upc name } } } } } }')).result).toEqual(expected.result);
  });

  it('answers errors, variables and conditions as @apollo/gateway does', async () => {
    for (const [query, variables] of [
      ['query($withStock: Boolean!) { topProducts(first: 2) { upc inStock @include(if: $withStock) shippingEstimate } }', { withStock: false }],
      ['query($withStock: Boolean!) { topProducts(first: 2) { upc inStock @include(if: $withStock) shippingEstimate } }', { withStock: true }],
      ['{ me { id nope } }', undefined],
      ['{ __typename me { __typename id } }', undefined],
      ['{ __schema { queryType { name } } }', undefined],
    ] as const) {
      const expected = await run(apollo, query, variables);
      expect((await run(ours, query, variables)).result, query).toEqual(expected.result);
    }
  });
});
