import type { Caller } from '../caller.ts';
import { DomainError, ErrorCode } from '../errors.ts';

/**
 * Which rows of patient data a caller may see (design, request flow step 5). A row outside the
 * scope is absent, as if it did not exist, so its existence is never revealed.
 */
export type RowScope = { kind: 'all' } | { kind: 'patient'; patientId: string } | { kind: 'payer'; payerId: string } | { kind: 'none' };

export const everyRow: RowScope = { kind: 'all' };
const noRow: RowScope = { kind: 'none' };

/**
 * The most restrictive of the caller's roles wins: a patient is bound to one record, a payer to its
 * members, whatever else they hold. A role-less or unbound caller sees nothing.
 */
export function rowScopeOf(caller: Caller | null): RowScope {
  if (!caller || caller.roles.length === 0) return noRow;
  if (caller.roles.includes('patient')) return caller.patientId ? { kind: 'patient', patientId: caller.patientId } : noRow;
  if (caller.roles.includes('payer_partner')) return caller.organizationId ? { kind: 'payer', payerId: caller.organizationId } : noRow;
  return everyRow;
}

/** How a table's rows belong to a patient and to a payer: SQL conditions on a parameter placeholder. Without `payer`, payers see none. */
export interface RowRule {
  patient: (placeholder: string) => string;
  payer?: (placeholder: string) => string;
}

/** Rows of the patient in `patientColumn`; a payer sees those of its members, listed in `memberships` (patient_id, payer_id). */
export const patientRows = (patientColumn: string, memberships: string): RowRule => ({
  patient: (id) => `${patientColumn} = ${id}`,
  payer: (id) => `EXISTS (SELECT 1 FROM ${memberships} m WHERE m.patient_id = ${patientColumn} AND m.payer_id = ${id})`,
});

/** The SQL condition keeping the scope's rows; its parameter is appended to `params`. */
export function rowCondition(scope: RowScope, rule: RowRule, params: unknown[]): string {
  switch (scope.kind) {
    case 'all':
      return 'true';
    case 'none':
      return 'false';
    case 'patient':
      return rule.patient(`$${params.push(scope.patientId)}`);
    case 'payer':
      return rule.payer ? rule.payer(`$${params.push(scope.payerId)}`) : 'false';
  }
}

/** For what only staff do (registering a patient, adding a coverage): no row to hide, so the refusal says so. */
export function requireEveryRow(scope: RowScope, action: string): void {
  if (scope.kind !== 'all') throw new DomainError(ErrorCode.FORBIDDEN, `${action} is not allowed to this caller`);
}
