import { badInput, DomainError, type ErrorCode } from '../errors.ts';

/**
 * Reference data an organisation loads (issue 14): who offers care, where, when, for what price,
 * and who pays. Each resource type is owned by one subgraph, which imports its rows.
 */
export const ownerOfType = {
  Practitioner: 'appointments',
  Location: 'appointments',
  Schedule: 'appointments',
  ChargeItemDefinition: 'billing',
  Organization: 'billing',
} as const;
export type ReferenceType = keyof typeof ownerOfType;
export const isReferenceType = (type: unknown): type is ReferenceType => typeof type === 'string' && Object.hasOwn(ownerOfType, type);

/**
 * One row of a file, read into the shape of the admin mutation's input for its type (for example
 * PractitionerInput), so that a row and a mutation are checked by the same rules.
 */
export interface ReferenceRow {
  /** 1-based line in the file (the first line of a CSV record). */
  line: number;
  resourceType: ReferenceType;
  input: Record<string, unknown>;
}

/** A row left out, with the stable code and reason the same input gets from the admin mutation. */
export interface RowRejection {
  line: number;
  resourceType: string | null;
  /** The row's natural key (id, or code for a fee), when it has one. */
  key: string | null;
  code: ErrorCode;
  reason: string | null;
  field: string | null;
  message: string;
}

export interface ReferenceFile {
  rows: ReferenceRow[];
  /** Lines that could not be read as a row of a known type. */
  rejected: RowRejection[];
}

export interface ImportReport {
  /** Rows written (created, or updated to what the row says). */
  accepted: number;
  rejected: RowRejection[];
}

/** The rejection of a row for a domain error; anything else (the database is down) ends the import. */
export function rejectionOf(line: number, resourceType: string | null, key: unknown, error: unknown): RowRejection {
  if (!(error instanceof DomainError)) throw error;
  const { code, reason, field } = error.extensions as { code: ErrorCode; reason?: string; field?: string };
  return {
    line,
    resourceType,
    key: typeof key === 'string' && key !== '' ? key : null,
    code,
    reason: reason ?? null,
    field: field ?? null,
    message: error.message,
  };
}

/** One report for the rows of several importers, rejections in line order. */
export function mergeReports(...reports: ImportReport[]): ImportReport {
  return {
    accepted: reports.reduce((sum, report) => sum + report.accepted, 0),
    rejected: reports.flatMap((report) => report.rejected).sort((a, b) => a.line - b.line),
  };
}

/**
 * Runs `check` on each row of the given types (in file order), keeping those it accepts and noting
 * the others; a row whose key an earlier row of the same type already used is rejected (DUPLICATE).
 */
export function checkedRows<T>(
  rows: readonly ReferenceRow[],
  types: readonly ReferenceType[],
  keyOf: (input: Record<string, unknown>) => unknown,
  check: (row: ReferenceRow) => T,
): { valid: Array<{ row: ReferenceRow; value: T }>; rejected: RowRejection[] } {
  const valid: Array<{ row: ReferenceRow; value: T }> = [];
  const rejected: RowRejection[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (!types.includes(row.resourceType)) continue;
    const key = keyOf(row.input);
    try {
      const seenKey = `${row.resourceType}/${String(key)}`;
      if (seen.has(seenKey)) throw badInput(`${row.resourceType} ${String(key)} is named by an earlier row of the file`, { reason: 'DUPLICATE', field: 'id' });
      const value = check(row);
      seen.add(seenKey);
      valid.push({ row, value });
    } catch (error) {
      rejected.push(rejectionOf(row.line, row.resourceType, key, error));
    }
  }
  return { valid, rejected };
}

export const malformed = (message: string) => badInput(message, { reason: 'MALFORMED_ROW' });
export const unknownType = () =>
  badInput(`resourceType is not a type of reference data (${Object.keys(ownerOfType).join(', ')})`, { field: 'resourceType', reason: 'UNKNOWN_RESOURCE_TYPE' });
