/**
 * The demo organisation's care team, sites and services: the one list the demo seed and anyone
 * describing the demo read. Names are invented.
 */
export const LOCATIONS = [
  { id: 'loc-01', name: 'Riverside Clinic', city: 'Springfield' },
  { id: 'loc-02', name: 'Lakeview Medical Center', city: 'Madison' },
  { id: 'loc-03', name: 'Cedar Health Pavilion', city: 'Portland' },
  { id: 'loc-04', name: 'Hillcrest Family Practice', city: 'Austin' },
] as const;

/** What a practitioner of each specialty offers in their slots. */
export const SERVICE_TYPE_OF_SPECIALTY = {
  'General practice': 'general-practice',
  Cardiology: 'cardiology',
  Dermatology: 'dermatology',
  Pediatrics: 'pediatrics',
  Physiotherapy: 'physiotherapy',
  Orthopedics: 'orthopedics',
} as const;

export type Specialty = keyof typeof SERVICE_TYPE_OF_SPECIALTY;

export const SERVICE_TYPES = Object.values(SERVICE_TYPE_OF_SPECIALTY);

export interface RosterPractitioner {
  id: string;
  family: string;
  given: string[];
  specialty: Specialty;
  /** Where the practitioner holds their sessions. */
  locationId: (typeof LOCATIONS)[number]['id'];
}

export const PRACTITIONERS: readonly RosterPractitioner[] = [
  { id: 'prac-01', family: 'Okafor', given: ['Adaeze'], specialty: 'General practice', locationId: 'loc-01' },
  { id: 'prac-02', family: 'Lindqvist', given: ['Erik'], specialty: 'General practice', locationId: 'loc-02' },
  { id: 'prac-03', family: 'Moreau', given: ['Camille'], specialty: 'General practice', locationId: 'loc-03' },
  { id: 'prac-04', family: 'Patel', given: ['Ravi', 'Kumar'], specialty: 'General practice', locationId: 'loc-04' },
  { id: 'prac-05', family: 'Haddad', given: ['Layla'], specialty: 'Cardiology', locationId: 'loc-02' },
  { id: 'prac-06', family: 'Novak', given: ['Tomas'], specialty: 'Cardiology', locationId: 'loc-01' },
  { id: 'prac-07', family: 'Tanaka', given: ['Yuki'], specialty: 'Dermatology', locationId: 'loc-03' },
  { id: 'prac-08', family: 'Mensah', given: ['Kofi'], specialty: 'Dermatology', locationId: 'loc-04' },
  { id: 'prac-09', family: 'Rossi', given: ['Giulia'], specialty: 'Pediatrics', locationId: 'loc-01' },
  { id: 'prac-10', family: 'Fischer', given: ['Anna', 'Maria'], specialty: 'Pediatrics', locationId: 'loc-02' },
  { id: 'prac-11', family: 'Alvarez', given: ['Diego'], specialty: 'Physiotherapy', locationId: 'loc-03' },
  { id: 'prac-12', family: "O'Brien", given: ['Siobhan'], specialty: 'Orthopedics', locationId: 'loc-04' },
];
