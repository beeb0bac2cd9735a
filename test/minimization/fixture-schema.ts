import { buildSchema } from 'graphql';

/**
 * A small schema with an interface and a union. Patient and Practitioner share HumanName and a
 * `birthDate`; only the patient's are minimized. Abstract types resolve by `__typename`.
 */
export const schema = buildSchema(`
  type Query {
    patient(id: ID!): Patient
    patients: [Patient]
    participants: [CareParticipant!]!
    search(text: String!): [SearchResult!]!
    appointment(id: ID!): Appointment
  }
  type Appointment { id: ID!, reason: String, patient: Patient! }
  interface CareParticipant { id: ID!, name: HumanName! }
  type Patient implements CareParticipant {
    id: ID!
    name: HumanName!
    birthDate: String!
    nationalIdentifier: String
    identifiers: [Identifier!]!
  }
  type Practitioner implements CareParticipant { id: ID!, name: HumanName!, birthDate: String! }
  type Location { name: String! }
  union SearchResult = Patient | Practitioner | Location
  type HumanName { text: String!, family: String!, given: [String!]! }
  type Identifier { type: String!, value: String! }
`);

const patient = {
  __typename: 'Patient',
  id: 'pat-1',
  name: { text: 'Jane Doe', family: 'Doe', given: ['Jane'] },
  birthDate: '1980-04-12',
  nationalIdentifier: '123-45-6789',
  identifiers: [
    { type: 'MR', value: 'MRN-1' },
    { type: 'NI', value: '123-45-6789' },
  ],
};
const practitioner = { __typename: 'Practitioner', id: 'prac-1', name: { text: 'Greg House', family: 'House', given: ['Greg'] }, birthDate: '1959-06-11' };
const location = { __typename: 'Location', name: 'North Clinic' };
export const rootValue = {
  patient: () => patient,
  patients: () => [patient, null],
  participants: () => [patient, practitioner],
  search: () => [patient, practitioner, location],
  appointment: () => ({ id: 'apt-1', reason: 'check-up', patient }),
};

