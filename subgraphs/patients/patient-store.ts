import type { Queryable, Row } from '../../platform/database/database.ts';
import { newId } from '../../platform/ids.ts';
import { activeCoverage, patientRows, type RowRule, type RowScope } from '../../platform/subgraph/row-scope.ts';
import { indexPatient, type MatchablePatient } from './match-index.ts';
import type { RegistryStatistics } from './matching/trained.ts';
import type { Consent, Coverage, DemographicsChange, NewConsent, NewCoverage, NewPatient, Patient } from './model.ts';
import { registryStatistics } from './registry-statistics.ts';

/** What the matcher compares of a patient row. */
const toMatchable = (row: Row) => ({
  id: row.id as string,
  name: { family: row.family_name as string, given: row.given_names as string[] },
  birthDate: row.birth_date as string,
  gender: row.gender as string,
  nationalIdentifier: (row.national_identifier as string | null) ?? null,
  telecom: row.telecom as Patient['telecom'],
  address: (row.address as Patient['address']) ?? null,
});

export const toPatient = (row: Row): Patient => ({
  ...toMatchable(row),
  mrn: row.mrn as string,
  registeredAt: row.registered_at as Date,
  replacedBy: (row.replaced_by as string | null) ?? null,
});

const period = (row: Row) => ({ start: row.period_start as string, end: (row.period_end as string | null) ?? null });

const toCoverage = (row: Row): Coverage => ({
  id: row.id as string,
  patientId: row.patient_id as string,
  payerId: row.payer_id as string,
  memberId: row.member_id as string,
  plan: row.plan as string,
  status: row.status as string,
  period: period(row),
});

const toConsent = (row: Row): Consent => ({
  id: row.id as string,
  patientId: row.patient_id as string,
  category: row.category as string,
  decision: row.decision as string,
  status: row.status as string,
  period: period(row),
  recordedAt: row.recorded_at as Date,
});

/** An identifier's kind, as FHIR codes it: medical record number, national identifier, member id with a payer. */
export type IdentifierKind = 'MR' | 'NI' | 'MB';

export interface PatientSearchCriteria {
  /** Lower-cased name prefix, LIKE wildcards already escaped. */
  namePrefix?: string;
  birthDate?: string;
  birthYear?: number;
  /** An identifier's exact value, matched among the kinds given only. */
  identifier?: { value: string; kinds: readonly IdentifierKind[] };
}

export interface SearchPosition {
  familyName: string;
  id: string;
}

/**
 * A payer's members are the patients it covers today; of their coverages it sees its own active
 * ones, never those with another payer. Consents are the patient's and staff's only.
 */
const rules: Record<'patient' | 'coverage' | 'consent', RowRule & { owner: string }> = {
  patient: { ...patientRows('patient.id', 'coverage'), owner: 'id' },
  coverage: {
    patient: (id) => `coverage.patient_id = ${id}`,
    payer: (id) => `coverage.payer_id = ${id} AND ${activeCoverage('coverage')}`,
    owner: 'patient_id',
  },
  consent: { patient: (id) => `consent.patient_id = ${id}`, owner: 'patient_id' },
};

/** SQL for the patients subgraph's own schema. Every read keeps to `scope`'s rows and notes whose they were; writes are checked by the resolvers. */
export class PatientStore {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
    /** A connection outside the request's, for work it should not wait for (counting the registry's statistics). */
    private readonly background?: Queryable,
  ) {}

  /** Rows of `table` whose `column` is one of `ids`, within the scope. Ids looked up and kept from the caller are noted as refused. */
  private async ofIds(table: keyof typeof rules, column: string, ids: readonly string[], orderBy = 'id'): Promise<Row[]> {
    const rule = rules[table];
    const params: unknown[] = [ids];
    const visible = this.scope.condition(rule, params);
    const rows = await this.db.query(`SELECT * FROM ${table} WHERE ${column} = ANY($1) AND ${visible} ORDER BY ${orderBy}`, params);
    if (column === 'id' && rows.length < ids.length && this.scope.hidesRows) {
      const found = new Set(rows.map((row) => row.id));
      const hidden = await this.db.query(`SELECT ${rule.owner} AS owner FROM ${table} WHERE id = ANY($1)`, [ids.filter((id) => !found.has(id))]);
      this.scope.refused(hidden.map((row) => row.owner as string));
    }
    return this.scope.released(rows, (row) => row[rule.owner] as string);
  }

  async patientsByIds(ids: readonly string[]): Promise<Patient[]> {
    return (await this.ofIds('patient', 'id', ids)).map(toPatient);
  }

  async coveragesOf(patientIds: readonly string[]): Promise<Coverage[]> {
    return (await this.ofIds('coverage', 'patient_id', patientIds, 'period_start DESC, id')).map(toCoverage);
  }

  async consentsOf(patientIds: readonly string[]): Promise<Consent[]> {
    return (await this.ofIds('consent', 'patient_id', patientIds, 'recorded_at DESC, id')).map(toConsent);
  }

  /** Keyset pagination on (lower(family_name), id): stable under inserts, no OFFSET scans. */
  /** A page of `limit` patients, and whether more follow; only the page is released to the caller. */
  async search(criteria: PatientSearchCriteria, limit: number, after?: SearchPosition): Promise<{ patients: Patient[]; hasNextPage: boolean }> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (criteria.namePrefix !== undefined) {
      const prefix = param(`${criteria.namePrefix}%`);
      conditions.push(`(lower(family_name) LIKE ${prefix} OR EXISTS (SELECT 1 FROM unnest(given_names) g WHERE lower(g) LIKE ${prefix}))`);
    }
    if (criteria.birthDate !== undefined) conditions.push(`birth_date = ${param(criteria.birthDate)}`);
    if (criteria.birthYear !== undefined) {
      conditions.push(`birth_date >= make_date(${param(criteria.birthYear)}, 1, 1) AND birth_date < make_date(${param(criteria.birthYear + 1)}, 1, 1)`);
    }
    if (criteria.identifier !== undefined) {
      const { value, kinds } = criteria.identifier;
      const identifier = param(value);
      const matches: Record<IdentifierKind, () => string> = {
        MR: () => `mrn = ${identifier}`,
        NI: () => `national_identifier = ${identifier}`,
        // A member id of a coverage the caller sees: a payer's own, never another payer's.
        MB: () => `EXISTS (SELECT 1 FROM coverage WHERE coverage.patient_id = patient.id AND coverage.member_id = ${identifier} AND ${this.scope.condition(rules.coverage, params)})`,
      };
      conditions.push(`(${kinds.map((kind) => matches[kind]()).join(' OR ')})`);
    }
    if (after) conditions.push(`(lower(family_name), id) > (${param(after.familyName)}, ${param(after.id)})`);
    conditions.push(this.scope.condition(rules.patient, params));
    // One row more than the page tells whether another page follows; the caller never gets it.
    const sql = `SELECT * FROM patient WHERE ${conditions.join(' AND ')} ORDER BY lower(family_name), id LIMIT ${param(limit + 1)}`;
    const rows = await this.db.query(sql, params);
    return { patients: this.scope.released(rows.slice(0, limit), (row) => row.id as string).map(toPatient), hasNextPage: rows.length > limit };
  }

  /**
   * Patients sharing at least one blocking key (hashed, see match-index.ts) with a proposed
   * patient, within the scope, at most `limit`; a record merged into another is none. None is released here: the matcher releases the
   * candidates it answers with (`releaseMatches`), as search releases only its page.
   */
  async matchCandidates(hashedKeys: readonly string[], limit = 1000): Promise<Patient[]> {
    if (hashedKeys.length === 0) return [];
    const params: unknown[] = [hashedKeys, limit];
    const visible = this.scope.condition(rules.patient, params);
    const rows = await this.db.query(
      `SELECT * FROM patient WHERE id IN (SELECT patient_id FROM patient_match_key WHERE key = ANY($1)) AND replaced_by IS NULL AND ${visible} ORDER BY id LIMIT $2`,
      params,
    );
    return rows.map(toPatient);
  }

  /** The patients in use and how often two share each compared field's value (as kept for the registry, counted in the background: see registry-statistics.ts). */
  registryStatistics(): Promise<RegistryStatistics> {
    return registryStatistics(this.db, this.background);
  }

  /** Up to `limit` patients after `afterId` in id order, within the scope: a batch job's walk through the records in use (none merged), with only the values the matcher compares (a batch deduplication reads a million). */
  async matchablePatientsAfter(afterId: string | null, limit: number): Promise<MatchablePatient[]> {
    const params: unknown[] = [afterId ?? '', limit];
    const visible = this.scope.condition(rules.patient, params);
    const rows = await this.db.query(
      `SELECT id, family_name, given_names, birth_date, gender, national_identifier, telecom, address
         FROM patient WHERE id > $1 AND replaced_by IS NULL AND ${visible} ORDER BY id LIMIT $2`,
      params,
    );
    return this.scope.released(rows, (row) => row.id as string).map(toMatchable);
  }

  /** How many patients `matchablePatientsAfter` would walk through after `afterId`, in the database's own order of ids. */
  async countAfter(afterId: string): Promise<number> {
    const params: unknown[] = [afterId];
    const visible = this.scope.condition(rules.patient, params);
    const [row] = await this.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM patient WHERE id > $1 AND replaced_by IS NULL AND ${visible}`, params);
    return row!.count;
  }

  /** Like `matchablePatientsAfter`, only those with no key in the match index (registered before it). */
  async unindexedPatientsAfter(afterId: string | null, limit: number): Promise<Patient[]> {
    const params: unknown[] = [afterId ?? '', limit];
    const visible = this.scope.condition(rules.patient, params);
    const rows = await this.db.query(
      `SELECT * FROM patient WHERE id > $1 AND replaced_by IS NULL AND ${visible}
         AND NOT EXISTS (SELECT 1 FROM patient_match_key WHERE patient_match_key.patient_id = patient.id) ORDER BY id LIMIT $2`,
      params,
    );
    return this.scope.released(rows, (row) => row.id as string).map(toPatient);
  }

  releaseMatches(patients: Patient[]): Patient[] {
    return this.scope.released(patients, (patient) => patient.id);
  }

  async register(patient: NewPatient, id = newId('pat')): Promise<string> {
    await this.db.query(
      `INSERT INTO patient (id, mrn, family_name, given_names, birth_date, gender, national_identifier, telecom, address)
       VALUES ($1, 'MRN' || nextval('mrn_sequence'), $2, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        patient.name.family,
        patient.name.given,
        patient.birthDate,
        patient.gender,
        patient.nationalIdentifier ?? null,
        JSON.stringify(patient.telecom ?? []),
        patient.address ? JSON.stringify(patient.address) : null,
      ],
    );
    await indexPatient(this.db, { id, ...patient });
    return id;
  }

  /** Returns false when there is no such patient. */
  async updateDemographics(id: string, change: DemographicsChange): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE patient SET
         family_name = COALESCE($2, family_name),
         given_names = COALESCE($3, given_names),
         birth_date = COALESCE($4, birth_date),
         gender = COALESCE($5, gender),
         telecom = COALESCE($6, telecom),
         address = COALESCE($7, address),
         updated_at = now()
       WHERE id = $1 RETURNING *`,
      [
        id,
        change.name?.family ?? null,
        change.name?.given ?? null,
        change.birthDate ?? null,
        change.gender ?? null,
        change.telecom ? JSON.stringify(change.telecom) : null,
        change.address ? JSON.stringify(change.address) : null,
      ],
    );
    const [row] = rows;
    if (row) await indexPatient(this.db, toPatient(row));
    return row !== undefined;
  }

  async patientExists(id: string): Promise<boolean> {
    return (await this.patientsByIds([id])).length > 0;
  }

  async addCoverage(patientId: string, coverage: NewCoverage, id = newId('cov')): Promise<string> {
    await this.db.query(
      `INSERT INTO coverage (id, patient_id, payer_id, member_id, plan, status, period_start, period_end)
       VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6, $7)`,
      [id, patientId, coverage.payerId, coverage.memberId, coverage.plan, coverage.start, coverage.end ?? null],
    );
    return id;
  }

  /** A new consent supersedes the patient's active one of the same category. */
  async recordConsent(patientId: string, consent: NewConsent, id = newId('cns')): Promise<string> {
    await this.db.query(`UPDATE consent SET status = 'INACTIVE' WHERE patient_id = $1 AND category = $2 AND status = 'ACTIVE'`, [
      patientId,
      consent.category,
    ]);
    await this.db.query(
      `INSERT INTO consent (id, patient_id, category, decision, status, period_start, period_end)
       VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $6)`,
      [id, patientId, consent.category, consent.decision, consent.start, consent.end ?? null],
    );
    return id;
  }

  async coverageById(id: string): Promise<Coverage | null> {
    const [row] = await this.ofIds('coverage', 'id', [id]);
    return row ? toCoverage(row) : null;
  }

  async consentById(id: string): Promise<Consent | null> {
    const [row] = await this.ofIds('consent', 'id', [id]);
    return row ? toConsent(row) : null;
  }
}
