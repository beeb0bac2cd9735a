import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway, type GatewayProcess } from '../support/gateway-process.ts';
import { graphql } from '../support/graphql.ts';

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])';
const shelves = {
  typeDefs: parse(`${link} type Book @key(fields: "isbn") { isbn: ID! shelf: String! } type Query { books: [Book!]! }`),
  resolvers: {
    Query: { books: () => [{ isbn: '978-0' }, { isbn: '978-1' }] },
    Book: { shelf: ({ isbn }: { isbn: string }) => `shelf-${isbn.slice(-1)}` },
  },
};
const titles = {
  typeDefs: parse(`${link} type Book @key(fields: "isbn") { isbn: ID! title: String! }`),
  resolvers: { Book: { __resolveReference: ({ isbn }: { isbn: string }) => ({ isbn, title: `Title ${isbn}` }) } },
};

describe('the gateway serves any Federation 2 supergraph file given on its command line', () => {
  const servers: ApolloServer[] = [];
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    const urls: Record<string, string> = {};
    for (const [name, module] of Object.entries({ shelves, titles })) {
      const server = new ApolloServer({ schema: buildSubgraphSchema(module) });
      servers.push(server);
      urls[name] = (await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } })).url;
    }
    // The supergraph names URLs nobody listens on; the environment overrides them, as in production.
    const composed = composeServices(
      Object.entries({ shelves, titles }).map(([name, module]) => ({ name, typeDefs: module.typeDefs, url: `http://127.0.0.1:1/${name}` })),
    );
    const file = join(mkdtempSync(join(tmpdir(), 'supergraph-')), 'library.graphql');
    writeFileSync(file, composed.supergraphSdl!);
    gateway = await spawnGateway({ RUN_MODE: 'embedded', SUBGRAPH_SHELVES_URL: urls.shelves!, SUBGRAPH_TITLES_URL: urls.titles! }, [file]);
  });
  afterAll(async () => {
    gateway?.process.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('plans across both subgraphs at the URLs the environment gave', async () => {
    const { data, errors } = await graphql(gateway!.url, '{ books { isbn shelf title } }');
    expect(errors).toBeUndefined();
    expect(data!.books).toEqual([
      { isbn: '978-0', shelf: 'shelf-0', title: 'Title 978-0' },
      { isbn: '978-1', shelf: 'shelf-1', title: 'Title 978-1' },
    ]);
  });
});
