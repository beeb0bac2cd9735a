import { insertRows } from '../../platform/database/bulk-insert.ts';
import type { Queryable, Row } from '../../platform/database/database.ts';
import type { RowRule, RowScope } from '../../platform/subgraph/row-scope.ts';

/**
 * Records are named like their tables: a camelCase field (amountCents) is the snake_case column of
 * the same name (amount_cents), so rows and records convert without a mapper per table.
 */
const columnOf = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const fieldOf = (column: string) => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

const recordOf = <T>(row: Row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [fieldOf(column), value])) as T;

/** The rows a query answers, as records. Reference data only (payers, the fee schedule): patient rows go through a TableStore. */
export async function selectRecords<T>(db: Queryable, sql: string, params?: readonly unknown[]): Promise<T[]> {
  return (await db.query(sql, params)).map((row) => recordOf<T>(row));
}

/** The platform's bulk insertRows, for records. */
export async function insertRecords(db: Queryable, table: string, records: readonly object[]): Promise<void> {
  const fields = Object.keys(records[0] ?? {});
  const rows = records.map((record) => fields.map((field) => (record as Record<string, unknown>)[field]));
  await insertRows(db, table, fields.map(columnOf), rows);
}

/** How a table's rows belong to patients and payers, and the SQL of a row's patient (e.g. `claim.patient_id`). */
export interface PatientTable extends RowRule {
  owner: string;
}

/** The column a statement answers each row's patient in; taken out before the row becomes a record. */
const OWNER = 'row_patient_id';

/**
 * What every billing table of patient data does the same way, always within `scope`: every
 * statement, reads, locks and updates alike, carries the scope's condition, and every row read is
 * noted as released to the scope (or, looked up by id and hidden, as refused).
 */
export abstract class TableStore<T extends object> {
  protected abstract readonly table: string;
  protected abstract readonly rows: PatientTable;

  constructor(
    protected readonly db: Queryable,
    protected readonly scope: RowScope,
  ) {}

  /** The SQL condition keeping the scope's rows of this table; its parameter is appended to `params`. */
  protected visible(params: unknown[]): string {
    return this.scope.condition(this.rows, params);
  }

  /**
   * This table's rows matching `where` (with `$1…` of `params`) and the scope, optionally joined
   * (`join`, with more `columns`), ordered and locked as asked.
   */
  protected async select(where: string, params: unknown[], { orderBy = `${this.table}.id`, lock = false, join = '', columns = '' } = {}): Promise<T[]> {
    const sql =
      `SELECT ${this.table}.*${columns ? `, ${columns}` : ''}, ${this.rows.owner} AS ${OWNER} FROM ${this.table} ${join}` +
      ` WHERE ${where} AND ${this.visible(params)} ORDER BY ${orderBy}${lock ? ' FOR UPDATE' : ''}`;
    return this.released(await this.db.query(sql, params));
  }

  /** An UPDATE of the rows matching `where` and the scope, answering the changed rows. */
  protected async update(set: string, where: string, params: unknown[]): Promise<T[]> {
    const sql = `UPDATE ${this.table} SET ${set} WHERE ${where} AND ${this.visible(params)} RETURNING ${this.table}.*, ${this.rows.owner} AS ${OWNER}`;
    return this.released(await this.db.query(sql, params));
  }

  /** Rows by id; ids looked up and hidden by the row rule are noted as refused, with whose rows they were. */
  byIds(ids: readonly string[]): Promise<T[]> {
    return this.withRefusals(ids, this.select(`${this.table}.id = ANY($1)`, [ids]));
  }

  /** Locks the row until the transaction ends: whoever locks it next waits and then reads the committed change. */
  async lock(id: string): Promise<T | null> {
    const [record] = await this.lockByIds([id]);
    return record ?? null;
  }

  /** Locks the rows in id order (so two lockers cannot deadlock) until the transaction ends. */
  protected lockByIds(ids: readonly string[]): Promise<T[]> {
    return this.withRefusals(ids, this.select(`${this.table}.id = ANY($1)`, [ids], { lock: true }));
  }

  protected ofParents(column: string, parentIds: readonly string[], orderBy: string): Promise<T[]> {
    return this.select(`${this.table}.${column} = ANY($1)`, [parentIds], { orderBy });
  }

  add(records: readonly T[]): Promise<void> {
    return insertRecords(this.db, this.table, records);
  }

  private released(rows: Row[]): T[] {
    return this.scope.released(rows, (row) => row[OWNER] as string).map(({ [OWNER]: _owner, ...row }) => recordOf<T>(row));
  }

  private async withRefusals(ids: readonly string[], found: Promise<T[]>): Promise<T[]> {
    const records = await found;
    if (records.length < ids.length && this.scope.hidesRows) {
      const seen = new Set(records.map((record) => (record as { id?: string }).id));
      const hidden = await this.db.query(`SELECT ${this.rows.owner} AS ${OWNER} FROM ${this.table} WHERE ${this.table}.id = ANY($1)`, [
        ids.filter((id) => !seen.has(id)),
      ]);
      this.scope.refused(hidden.map((row) => row[OWNER] as string));
    }
    return records;
  }
}
