import { childrenLoader, entityLoader } from '../../platform/subgraph/loaders.ts';
import type { Database } from '../../platform/database/database.ts';
import { PatientStore } from './patient-store.ts';

/** Per request: the store and one DataLoader per entity type or nested list. */
export function patientsContext(db: Database) {
  const store = new PatientStore(db);
  return {
    db,
    store,
    patients: entityLoader((ids) => store.patientsByIds(ids), (patient) => patient.id),
    coverages: childrenLoader((ids) => store.coveragesOf(ids), (coverage) => coverage.patientId),
    consents: childrenLoader((ids) => store.consentsOf(ids), (consent) => consent.patientId),
  };
}

export type PatientsContext = ReturnType<typeof patientsContext>;
