import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { billingTypeDefs, patientsTypeDefs } from './fixture-supergraph.ts';

const practitioner = { id: 'd1', name: 'Dr Grey', phone: '555-0101', licence: 'LIC-1' };
const patient = {
  id: 'p1',
  name: 'Ada',
  phone: '555-0100',
  birthDate: '1990-01-01',
  nationalIdentifier: 'NI-123',
  medicalRecordNumber: 'MRN-1',
  socialSecurityNumber: '123-45-6789',
  sex: 'female',
  note: { text: 'stable', author: practitioner },
  careTeam: [practitioner],
};
const kindOf = (object: object) => ('licence' in object ? 'Practitioner' : 'Patient');

const patientsSchema = buildSubgraphSchema({
  typeDefs: parse(patientsTypeDefs),
  resolvers: {
    Query: {
      patient: () => patient,
      patients: () => [patient],
      search: () => [patient, practitioner],
      careParticipants: () => [patient, practitioner],
      node: () => patient,
      serverVersion: () => '1.0',
    },
    Patient: { __resolveReference: () => patient },
    Practitioner: { __resolveReference: () => practitioner },
    CareParticipant: { __resolveType: kindOf },
    SearchResult: { __resolveType: kindOf },
    Node: { __resolveType: kindOf },
  },
});

const invoice = { id: 'i1', total: 120.5, status: 'ISSUED' };
const billingSchema = buildSubgraphSchema({
  typeDefs: parse(billingTypeDefs),
  resolvers: {
    Query: { invoice: () => invoice },
    Mutation: { voidInvoice: () => ({ ...invoice, status: 'VOID' }) },
    Patient: { invoices: () => [invoice], balance: () => 120.5 },
  },
});

/** A subgraph on node:http (Apollo Server's standalone server) that records every query the gateway sends it. */
export interface RecordingSubgraph {
  url: string;
  queries: string[];
  close(): Promise<void>;
}

async function serve(schema: GraphQLSchema): Promise<RecordingSubgraph> {
  const queries: string[] = [];
  const server = new ApolloServer({
    schema,
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      { requestDidStart: async ({ request }) => void queries.push(request.query ?? '') },
    ],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, queries, close: () => server.stop() };
}

export const startSubgraphs = async () => ({ patients: await serve(patientsSchema), billing: await serve(billingSchema) });
