import { insertRows } from '../../platform/database/bulk-insert.ts';
import type { Queryable, Row } from '../../platform/database/database.ts';
import { rowCondition, type RowRule, type RowScope } from '../../platform/subgraph/row-scope.ts';

/**
 * Records are named like their tables: a camelCase field (amountCents) is the snake_case column of
 * the same name (amount_cents), so rows and records convert without a mapper per table.
 */
const columnOf = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const fieldOf = (column: string) => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

const recordOf = <T>(row: Row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [fieldOf(column), value])) as T;

/** The rows a query answers, as records. */
export async function selectRecords<T>(db: Queryable, sql: string, params?: readonly unknown[]): Promise<T[]> {
  return (await db.query(sql, params)).map((row) => recordOf<T>(row));
}

/** The platform's bulk insertRows, for records. */
export async function insertRecords(db: Queryable, table: string, records: readonly object[]): Promise<void> {
  const fields = Object.keys(records[0] ?? {});
  const rows = records.map((record) => fields.map((field) => (record as Record<string, unknown>)[field]));
  await insertRows(db, table, fields.map(columnOf), rows);
}

/**
 * What every billing table answers the same way: records by id, by a parent's ids (for DataLoaders),
 * one locked, new ones. Those reads keep to `scope`'s rows.
 */
export abstract class TableStore<T extends object> {
  protected abstract readonly table: string;
  /** How the table's rows belong to patients and payers; null for reference data, which every caller sees. */
  protected abstract readonly rows: RowRule | null;

  constructor(
    protected readonly db: Queryable,
    private readonly scope: RowScope,
  ) {}

  /** The condition keeping the scope's rows of this table; its parameter is appended to `params`. */
  protected visible(params: unknown[]): string {
    return this.rows ? rowCondition(this.scope, this.rows, params) : 'true';
  }

  byIds(ids: readonly string[]): Promise<T[]> {
    const params: unknown[] = [ids];
    return selectRecords(this.db, `SELECT * FROM ${this.table} WHERE id = ANY($1) AND ${this.visible(params)}`, params);
  }

  protected ofParents(column: string, parentIds: readonly string[], orderBy: string): Promise<T[]> {
    const params: unknown[] = [parentIds];
    return selectRecords(this.db, `SELECT * FROM ${this.table} WHERE ${column} = ANY($1) AND ${this.visible(params)} ORDER BY ${orderBy}`, params);
  }

  /** Locks the row until the transaction ends: whoever locks it next waits and then reads the committed change. */
  async lock(id: string): Promise<T | null> {
    const params: unknown[] = [id];
    const [record] = await selectRecords<T>(this.db, `SELECT * FROM ${this.table} WHERE id = $1 AND ${this.visible(params)} FOR UPDATE`, params);
    return record ?? null;
  }

  add(records: readonly T[]): Promise<void> {
    return insertRecords(this.db, this.table, records);
  }
}
