import type { Row } from '../database/database.ts';

/**
 * A row with its snake_case columns named in camelCase. The stores select exactly the columns of
 * the type they return, so the row is that type; NULL stays null.
 */
export const camelCased = <T>(row: Row): T =>
  Object.fromEntries(Object.entries(row).map(([column, value]) => [column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), value])) as T;
