import { reviews as allReviews, users, type Review } from './data.ts';
import { federationSdl, type BenchmarkSubgraph } from './subgraph.ts';

export const reviews: BenchmarkSubgraph = {
  name: 'reviews',
  typeDefs: federationSdl(`
    type Review @key(fields: "id") {
      id: ID!
      body: String
      author: User @provides(fields: "username")
      product: Product
    }
    type User @key(fields: "id") {
      id: ID!
      username: String @external
      reviews: [Review] @listSize(assumedSize: 4)
    }
    type Product @key(fields: "upc") {
      upc: String!
      reviews: [Review] @listSize(assumedSize: 3)
    }
  `),
  resolvers: {
    Review: {
      __resolveReference: ({ id }: { id: string }) => allReviews.find((review) => review.id === id),
      // Reviews keep their authors' usernames (@provides), so the gateway need not ask accounts.
      author: ({ authorId }: Review) => ({ id: authorId, username: users.find((user) => user.id === authorId)?.username }),
      product: ({ productUpc }: Review) => ({ upc: productUpc }),
    },
    User: {
      reviews: ({ id }: { id: string }) => allReviews.filter((review) => review.authorId === id),
    },
    Product: {
      reviews: ({ upc }: { upc: string }) => allReviews.filter((review) => review.productUpc === upc),
    },
  },
};
