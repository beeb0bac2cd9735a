import { inStock } from './data.ts';
import { federationSdl, type BenchmarkSubgraph } from './subgraph.ts';

interface ProductReference {
  upc: string;
  price: number;
  weight: number;
}

export const inventory: BenchmarkSubgraph = {
  name: 'inventory',
  typeDefs: federationSdl(`
    type Product @key(fields: "upc") {
      upc: String!
      weight: Int @external
      price: Int @external
      inStock: Boolean
      shippingEstimate: Int @requires(fields: "price weight")
    }
  `),
  resolvers: {
    Product: {
      // The gateway sends price and weight with the reference (@requires): the estimate needs both.
      __resolveReference: (reference: ProductReference) => ({ ...reference, inStock: inStock[reference.upc] ?? false }),
      shippingEstimate: ({ price, weight }: ProductReference) => (price > 1000 ? 0 : Math.round(weight / 2)),
    },
  },
};
