import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse, type DocumentNode } from 'graphql';

/** One benchmark subgraph: its name, SDL and resolvers over the in-memory data. */
export interface BenchmarkSubgraph {
  name: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<unknown>;
}

/**
 * Federation 2 SDL with the directives the four subgraphs use. Lists carry @listSize, as every list
 * in a schema under our cost limits must: without it demand control assumes 10 items per list and
 * prices the nested benchmark query above any client's limit. Other gateways ignore it.
 */
export const federationSdl = (body: string): DocumentNode =>
  parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@external", "@provides", "@requires", "@shareable", "@listSize"])\n${body}`);
