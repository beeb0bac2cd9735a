import { Disclosures } from '../audit/disclosures.ts';
import type { Caller } from '../caller.ts';
import { DomainError, ErrorCode } from '../errors.ts';

/**
 * Which rows of patient data a store call may touch, and what it released (design, request flow
 * step 5, and "no store call without a row scope"). Every store takes one: a request's scope is
 * made from its caller; the only scope over every row without a caller is `RowScope.background`,
 * which names the work it is for. No code a request runs reaches it: test/platform/row-scope.test.ts
 * follows the imports of every subgraph's resolvers and context, which is cheaper than marking each
 * request's async work (an AsyncLocalStorage turns on promise hooks for every promise of the process).
 *
 * A row outside the scope is absent, as if it did not exist, so its existence is never revealed.
 * What a request's stores return and refuse is noted in its `Disclosures`, which the subgraph
 * reports to the gateway for the audit trail (audit by data, not by query shape).
 */
type Access =
  | { kind: 'staff' }
  | { kind: 'patient'; patientId: string }
  | { kind: 'payer'; payerId: string }
  | { kind: 'none' }
  | { kind: 'background'; work: string };

/** How a table's rows belong to a patient and to a payer: SQL conditions on a parameter placeholder. Without `payer`, payers see none. */
export interface RowRule {
  patient: (placeholder: string) => string;
  payer?: (placeholder: string) => string;
}

export class RowScope {
  private constructor(
    private readonly access: Access,
    /** Null for background work: nothing it reads leaves the service as a response. */
    readonly disclosures: Disclosures | null,
  ) {}

  /**
   * The most restrictive of the caller's roles wins: a patient is bound to one record, a payer to
   * its members, whatever else they hold. A role-less or unbound caller sees nothing.
   */
  static ofCaller(caller: Caller | null, disclosures = new Disclosures()): RowScope {
    if (!caller || caller.roles.length === 0) return new RowScope({ kind: 'none' }, disclosures);
    if (caller.roles.includes('patient')) {
      return new RowScope(caller.patientId ? { kind: 'patient', patientId: caller.patientId } : { kind: 'none' }, disclosures);
    }
    if (caller.roles.includes('payer_partner')) {
      return new RowScope(caller.organizationId ? { kind: 'payer', payerId: caller.organizationId } : { kind: 'none' }, disclosures);
    }
    return new RowScope({ kind: 'staff' }, disclosures);
  }

  /** Every row, for work no caller asked for (a consumer group, a seed, a script): it says what it is. */
  static background(work: string): RowScope {
    return new RowScope({ kind: 'background', work }, null);
  }

  /** Staff and background work see every row; nobody else does. */
  get everyRow(): boolean {
    return this.access.kind === 'staff' || this.access.kind === 'background';
  }

  /** The patient a patient-bound caller is, if that is what this scope is. */
  get boundPatient(): string | undefined {
    return this.access.kind === 'patient' ? this.access.patientId : undefined;
  }

  /** The payer a payer-bound caller acts for, if that is what this scope is. */
  get boundPayer(): string | undefined {
    return this.access.kind === 'payer' ? this.access.payerId : undefined;
  }

  /** The SQL condition keeping the scope's rows of a table; its parameter is appended to `params`. */
  condition(rule: RowRule, params: unknown[]): string {
    switch (this.access.kind) {
      case 'staff':
      case 'background':
        return 'true';
      case 'none':
        return 'false';
      case 'patient':
        return rule.patient(`$${params.push(this.access.patientId)}`);
      case 'payer':
        return rule.payer ? rule.payer(`$${params.push(this.access.payerId)}`) : 'false';
    }
  }

  /** Notes whose rows these are, as they go back to the request; answers them unchanged. */
  released<T>(rows: T[], patientOf: (row: T) => string | null | undefined): T[] {
    if (this.disclosures) {
      for (const row of rows) {
        const patientId = patientOf(row);
        if (patientId) this.disclosures.released.add(patientId);
      }
    }
    return rows;
  }

  /** Notes the patients whose rows a row rule kept from the request: a denied attempt is evidence too. */
  refused(patientIds: Iterable<string>): void {
    if (this.disclosures) for (const patientId of patientIds) this.disclosures.refused.add(patientId);
  }

  /** Notes an operational action the request took, for the gateway to put on record with who took it. */
  acted(action: string, target: string): void {
    this.disclosures?.actions.push({ action, target });
  }

  /**
   * For records kept outside SQL (Odoo's): whether the scope reaches this patient's, noted as
   * released or refused. A payer reaches none there: no coverage is known to say whose member it is.
   */
  reaches(patientId: string): boolean {
    const reached = this.everyRow || this.boundPatient === patientId;
    if (reached) this.released([patientId], (id) => id);
    else this.refused([patientId]);
    return reached;
  }

  /** Whether asking the owners of rows it did not get is worth a query: only where a row rule can hide rows. */
  get hidesRows(): boolean {
    return !this.everyRow && this.disclosures !== null;
  }

  /** For what only staff do (registering a patient, adding a coverage): no row to hide, so the refusal says so. */
  requireEveryRow(action: string): void {
    if (!this.everyRow) throw new DomainError(ErrorCode.FORBIDDEN, `${action} is not allowed to this caller`);
  }
}

/** A coverage that makes a member today: active, and its period around today. `alias` names the coverage row. */
export const activeCoverage = (alias: string) =>
  `${alias}.status = 'ACTIVE' AND ${alias}.period_start <= current_date AND (${alias}.period_end IS NULL OR ${alias}.period_end >= current_date)`;

/** Data dated `dateSql` falls within the coverage's period. */
export const withinCoverage = (alias: string, dateSql: string) =>
  `${dateSql} >= ${alias}.period_start AND (${alias}.period_end IS NULL OR ${dateSql} <= ${alias}.period_end)`;

/**
 * Rows of the patient in `patientColumn`. A payer sees those of its members: patients with an
 * active coverage of its own in `coverages` (patient_id, payer_id, status, period_start,
 * period_end), and, when the rows are dated (`datedBy`, a date expression), only those dated
 * within that coverage's period.
 */
export const patientRows = (patientColumn: string, coverages: string, datedBy?: string): RowRule => ({
  patient: (id) => `${patientColumn} = ${id}`,
  payer: (id) =>
    `EXISTS (SELECT 1 FROM ${coverages} m WHERE m.patient_id = ${patientColumn} AND m.payer_id = ${id} AND ${activeCoverage('m')}` +
    `${datedBy ? ` AND ${withinCoverage('m', datedBy)}` : ''})`,
});
