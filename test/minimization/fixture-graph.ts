import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse, type GraphQLSchema } from 'graphql';
import type { Caller } from '../../platform/caller.ts';
import { disclosurePlugin } from '../../platform/subgraph/disclosures.ts';
import { RowScope } from '../../platform/subgraph/row-scope.ts';

/**
 * Two small subgraphs with our schema's type names (Patient, HumanName, Identifier, Address,
 * ContactPoint, Appointment, Practitioner), each on node:http.
 */
const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@policy"])';

const patientsTypeDefs = `${link}
scalar Date
type Query { patient(id: ID!): Patient, patients: [Patient!]! }
type Patient @key(fields: "id") {
  id: ID!
  mrn: String!
  "Staff only, as in the real schema."
  nationalIdentifier: String @policy(policies: [["staff"]])
  name: HumanName!
  birthDate: Date!
  identifiers: [Identifier!]!
  telecom: [ContactPoint!]!
  address: Address
}
type HumanName @shareable { family: String!, given: [String!]!, text: String! }
type Identifier { system: String!, value: String!, type: IdentifierType! }
enum IdentifierType { MR NI MB }
type ContactPoint { system: String!, value: String! }
type Address { line: [String!]!, city: String!, postalCode: String! }
`;

const appointmentsTypeDefs = `${link}
type Query { appointment(id: ID!): Appointment }
type Appointment @key(fields: "id") { id: ID!, reason: String, patient: Patient @policy(policies: [["staff"]]), practitioner: Practitioner! }
type Practitioner @key(fields: "id") { id: ID!, name: HumanName! }
type HumanName @shareable { family: String!, given: [String!]!, text: String! }
type Patient @key(fields: "id") { id: ID!, appointments: [Appointment!]! }
`;

export const jane = {
  id: 'pat-1',
  mrn: 'MRN-0001',
  nationalIdentifier: '123-45-6789',
  name: { family: 'Doe', given: ['Jane', 'Ann'], text: 'Jane Ann Doe' },
  birthDate: '1980-04-12',
  identifiers: [
    { system: 'urn:mrn', value: 'MRN-0001', type: 'MR' },
    { system: 'urn:ssn', value: '123-45-6789', type: 'NI' },
  ],
  telecom: [{ system: 'PHONE', value: '+1 217 555 0100' }],
  address: { line: ['1 Main St'], city: 'Springfield', postalCode: '62704' },
};
const appointment = { id: 'apt-1', reason: 'check-up', patient: { id: jane.id }, practitioner: { id: 'prac-1', name: { family: 'House', given: ['Greg'], text: 'Greg House' } } };

/** Jane, the only patient these subgraphs' callers may see; another id is one a row rule hides (reported as refused). */
type Scoped = { scope: RowScope };
const janeIf = (id: string, { scope }: Scoped) => {
  if (id !== jane.id) return scope.refused([id]), null;
  return scope.released([jane], (patient) => patient.id)[0];
};

const patientsSchema = buildSubgraphSchema({
  typeDefs: parse(patientsTypeDefs),
  resolvers: <GraphQLResolverMap<unknown>>{
    Query: {
      patient: (_: unknown, { id }: { id: string }, context: Scoped) => janeIf(id, context),
      patients: (_: unknown, __: unknown, { scope }: Scoped) => scope.released([jane], (patient) => patient.id),
    },
    Patient: { __resolveReference: ({ id }: { id: string }, context: Scoped) => janeIf(id, context) },
  },
});
const appointmentsSchema = buildSubgraphSchema({
  typeDefs: parse(appointmentsTypeDefs),
  resolvers: <GraphQLResolverMap<unknown>>{
    Query: { appointment: (_: unknown, __: unknown, { scope }: Scoped) => scope.released([appointment], (row) => row.patient.id)[0] },
    Patient: { appointments: (_: unknown, __: unknown, { scope }: Scoped) => scope.released([appointment], (row) => row.patient.id) },
  },
});

/** A subgraph on node:http, on a free port, reporting what its resolvers released as ours do. */
async function serve(schema: GraphQLSchema) {
  const server = new ApolloServer<Scoped>({ schema, plugins: [ApolloServerPluginInlineTraceDisabled(), disclosurePlugin()] });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' }, context: async () => ({ scope: RowScope.ofCaller(null) }) });
  return { url, close: () => server.stop() };
}

export async function startSubgraphs() {
  const patients = await serve(patientsSchema);
  const appointments = await serve(appointmentsSchema);
  const composed = composeServices([
    { name: 'patients', url: patients.url, typeDefs: parse(patientsTypeDefs) },
    { name: 'appointments', url: appointments.url, typeDefs: parse(appointmentsTypeDefs) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map(String).join('\n'));
  return {
    patients,
    appointments,
    supergraphSdl: composed.supergraphSdl,
    apiSchema: composed.schema.toAPISchema().toGraphQLJSSchema(),
  };
}

export const callerWith = (roles: string[], purposeOfUse: string, overrides: Partial<Caller> = {}): Caller => ({
  subject: `user-${roles.join('-')}`,
  clientId: 'portal-staff',
  roles,
  scopes: [],
  purposeOfUse,
  expiresAt: 4_102_444_800,
  ...overrides,
});
