import type { Queryable } from './database.ts';

/** PostgreSQL allows 65,535 parameters a statement; stay well below. */
const MAX_PARAMETERS = 30_000;

/**
 * Inserts many rows with multi-row INSERTs instead of a statement per row (demo seeds, imports).
 * A column given as `{ sql }` is an expression evaluated per row instead of a parameter. `onConflict`
 * ends each statement (`ON CONFLICT (id) DO UPDATE SET …`): imports write by natural key.
 */
export async function insertRows(
  db: Queryable,
  table: string,
  columns: ReadonlyArray<string | { name: string; sql: string }>,
  rows: ReadonlyArray<readonly unknown[]>,
  onConflict = '',
): Promise<void> {
  const parameterColumns = columns.filter((column) => typeof column === 'string').length || 1;
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / parameterColumns));
  const names = columns.map((column) => (typeof column === 'string' ? column : column.name)).join(', ');
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      let next = 0;
      const values = columns.map((column) => (typeof column === 'string' ? `$${params.push(row[next++])}` : column.sql));
      return `(${values.join(', ')})`;
    });
    await db.query(`INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')} ${onConflict}`.trimEnd(), params);
  }
}
