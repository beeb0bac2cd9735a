import type { Queryable } from '../../platform/database/database.ts';
import type { DemographicField } from '../../platform/events/catalog.ts';
import { emit } from '../../platform/events/outbox.ts';
import type { RowScope } from '../../platform/subgraph/row-scope.ts';
import type { DemographicsChange, NewConsent, NewCoverage, NewPatient } from './model.ts';
import { PatientStore } from './patient-store.ts';

/** Changes to patient records, each announced in the caller's transaction. Events name fields, never their values. */
export class PatientChanges {
  private readonly store: PatientStore;

  /** Who may make a change is the caller's check; `scope` is theirs, or a named background one. */
  constructor(
    private readonly tx: Queryable,
    scope: RowScope,
  ) {
    this.store = new PatientStore(tx, scope);
  }

  async register(patient: NewPatient): Promise<string> {
    const patientId = await this.store.register(patient);
    await emit(this.tx, 'org.healthgraph.patient.registered.v1', { patientId });
    return patientId;
  }

  /** Returns false when there is no such patient. A change that names no field is not announced. */
  async updateDemographics(patientId: string, change: DemographicsChange): Promise<boolean> {
    if (!(await this.store.updateDemographics(patientId, change))) return false;
    const changed = (Object.keys(change) as DemographicField[]).filter((field) => change[field] !== undefined);
    if (changed.length > 0) await emit(this.tx, 'org.healthgraph.patient.updated.v1', { patientId, changed });
    return true;
  }

  async addCoverage(patientId: string, coverage: NewCoverage): Promise<string> {
    const coverageId = await this.store.addCoverage(patientId, coverage);
    const { payerId, start: periodStart, end: periodEnd } = coverage;
    await emit(this.tx, 'org.healthgraph.coverage.added.v1', { coverageId, patientId, payerId, status: 'ACTIVE', periodStart, periodEnd: periodEnd ?? null });
    return coverageId;
  }

  async recordConsent(patientId: string, consent: NewConsent): Promise<string> {
    const consentId = await this.store.recordConsent(patientId, consent);
    const { category, decision } = consent;
    await emit(this.tx, 'org.healthgraph.consent.recorded.v1', { consentId, patientId, category, decision });
    return consentId;
  }
}
