import type { RequestScope } from '../../platform/subgraph/service.ts';
import { childrenLoader, entityLoader } from '../../platform/subgraph/loaders.ts';
import type { Database } from '../../platform/database/database.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import { PatientStore } from './patient-store.ts';

/** Per request: the store and one DataLoader per entity type or nested list, all keeping to the caller's rows. */
export function patientsContext(db: Database, scope: RowScope) {
  const store = new PatientStore(db, scope, db.background);
  return {
    db,
    store,
    patients: entityLoader((ids) => store.patientsByIds(ids), (patient) => patient.id),
    coverages: childrenLoader((ids) => store.coveragesOf(ids), (coverage) => coverage.patientId),
    consents: childrenLoader((ids) => store.consentsOf(ids), (consent) => consent.patientId),
  };
}

/** What a resolver gets: the request's scope and caller too. */
export type PatientsContext = ReturnType<typeof patientsContext> & RequestScope;
