import { products as catalogue } from './data.ts';
import { federationSdl, type BenchmarkSubgraph } from './subgraph.ts';

export const products: BenchmarkSubgraph = {
  name: 'products',
  typeDefs: federationSdl(`
    type Query {
      topProducts(first: Int = 5): [Product] @listSize(slicingArguments: ["first"])
    }
    type Product @key(fields: "upc") {
      upc: String!
      name: String
      price: Int
      weight: Int
    }
  `),
  resolvers: {
    Query: {
      topProducts: (_: unknown, { first }: { first: number }) => catalogue.slice(0, first),
    },
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => catalogue.find((product) => product.upc === upc),
    },
  },
};
