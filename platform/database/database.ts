export type Row = Record<string, unknown>;

/** Anything SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * One subgraph's view of its database: every statement runs inside the subgraph's own schema.
 * PostgreSQL (pg) in production, PGlite embedded; both pass the same contract tests.
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** The PostgreSQL schema this subgraph owns. */
  readonly schema: string;
  /** Statements sent so far; lets tests prove batching (no N+1). */
  readonly statementCount: number;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** True when a trivial statement succeeds; feeds readiness. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Schema names are interpolated into SQL, so they are restricted to plain identifiers. */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
}
