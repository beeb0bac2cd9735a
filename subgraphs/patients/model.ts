/** The patients subgraph's records, as its resolvers see them. */
export interface HumanName {
  family: string;
  given: string[];
}

export interface ContactPoint {
  system: 'PHONE' | 'EMAIL' | 'SMS';
  value: string;
  use: 'HOME' | 'WORK' | 'MOBILE';
}

export interface Address {
  line: string[];
  city: string;
  state?: string | null;
  postalCode: string;
  country: string;
}

export interface Patient {
  id: string;
  mrn: string;
  name: HumanName;
  birthDate: string;
  gender: string;
  nationalIdentifier: string | null;
  telecom: ContactPoint[];
  address: Address | null;
  registeredAt: Date;
  /** The survivor this record was merged into (FHIR Patient.link replaced-by); null for a record in use. */
  replacedBy: string | null;
}

export interface Period {
  start: string;
  end: string | null;
}

export interface Coverage {
  id: string;
  patientId: string;
  payerId: string;
  memberId: string;
  plan: string;
  status: string;
  period: Period;
}

export interface Consent {
  id: string;
  patientId: string;
  category: string;
  decision: string;
  status: string;
  period: Period;
  recordedAt: Date;
}

export interface NewPatient {
  name: HumanName;
  birthDate: string;
  gender: string;
  nationalIdentifier?: string | null;
  telecom?: ContactPoint[];
  address?: Address | null;
}

export type DemographicsChange = Partial<Pick<NewPatient, 'name' | 'birthDate' | 'gender' | 'telecom' | 'address'>>;

export interface NewCoverage {
  payerId: string;
  memberId: string;
  plan: string;
  start: string;
  end?: string | null;
}

export interface NewConsent {
  category: string;
  decision: string;
  start: string;
  end?: string | null;
}
