import { composeServices } from '@apollo/composition';
import { buildSchema, parse, type GraphQLSchema } from 'graphql';

/** Two small subgraphs importing the Federation 2.9 demand-control directives, for the cost tests. */
const link = '@link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost", "@listSize"])';

const patients = /* GraphQL */ `
  extend schema ${link}
  type Query {
    patients(first: Int = 20): [Patient!]! @listSize(slicingArguments: ["first"])
    patient(id: ID!): Patient
    patientSearch(filter: PatientFilter!, first: Int, last: Int): PatientConnection!
      @listSize(slicingArguments: ["first", "last"], sizedFields: ["nodes"])
  }
  type Mutation { registerPatient(input: PatientInput!): Patient @cost(weight: 5) }
  type Patient @key(fields: "id") {
    id: ID!
    name: String
    riskScore: Float @cost(weight: 8)
    status: PatientStatus
  }
  enum PatientStatus { ACTIVE INACTIVE }
  type PatientConnection { totalCount: Int!, nodes: [Patient!]! }
  input PatientFilter { name: String @cost(weight: 2), status: PatientStatus }
  input PatientInput { name: String!, identifiers: [String!] @cost(weight: 3) }
`;

const appointments = /* GraphQL */ `
  extend schema ${link}
  type Query { slots(day: String!): [Slot!]! }
  type Patient @key(fields: "id") {
    id: ID!
    appointments(limit: Int = 10): [Appointment!]! @listSize(slicingArguments: ["limit"])
  }
  type Appointment @key(fields: "id") @cost(weight: 2) { id: ID!, start: String! }
  type Slot { start: String!, free: Boolean! }
`;

export function composeSupergraph(subgraphs: Record<string, string>): { supergraphSdl: string; apiSchema: GraphQLSchema } {
  const result = composeServices(Object.entries(subgraphs).map(([name, sdl]) => ({ name, typeDefs: parse(sdl) })));
  if (result.errors) throw new Error(result.errors.map(String).join('\n'));
  return { supergraphSdl: result.supergraphSdl, apiSchema: result.schema.toAPISchema().toGraphQLJSSchema() };
}

export const { supergraphSdl, apiSchema } = composeSupergraph({ patients, appointments });
/** What the gateway hands the cost plugin: the supergraph, with @cost and @listSize under the cost spec's @link. */
export const supergraphSchema = buildSchema(supergraphSdl);
