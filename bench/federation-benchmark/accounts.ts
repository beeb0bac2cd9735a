import { users } from './data.ts';
import { federationSdl, type BenchmarkSubgraph } from './subgraph.ts';

const byId = (id: string) => users.find((user) => user.id === id);

export const accounts: BenchmarkSubgraph = {
  name: 'accounts',
  typeDefs: federationSdl(`
    type Query {
      me: User
      user(id: ID!): User
      users: [User] @listSize(assumedSize: 4)
    }
    type User @key(fields: "id") {
      id: ID!
      name: String
      username: String @shareable
      birthday: Int
    }
  `),
  resolvers: {
    Query: {
      // The signed-in user of the public benchmark is always the first one.
      me: () => users[0],
      user: (_: unknown, { id }: { id: string }) => byId(id),
      users: () => users,
    },
    User: {
      __resolveReference: ({ id }: { id: string }) => byId(id),
    },
  },
};
