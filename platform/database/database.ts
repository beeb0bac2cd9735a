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
  /** Whether what is written outlives the process: PostgreSQL, or PGlite with a data directory. */
  readonly persistent: boolean;
  /** The PostgreSQL schema this subgraph owns. */
  readonly schema: string;
  /** Statements sent so far for requests; lets tests prove batching (no N+1). */
  readonly statementCount: number;
  /** The same database for background loops (outbox relay, workers): their statements are not counted. */
  background: Database;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** True when a trivial statement succeeds; feeds readiness. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Schema names are interpolated into SQL, so they are restricted to plain identifiers. */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
}

/** What an engine provides; the statement counting is added by `countingStatements`. */
export type DatabaseCore = Omit<Database, 'statementCount' | 'background'>;

/**
 * Two views of one engine: the database whose statements are counted, and its `background` twin
 * for loops whose statements would only blur what a request cost.
 */
export function countingStatements(build: (onStatement: () => void) => DatabaseCore): Database {
  let statementCount = 0;
  const background: Database = Object.assign(build(() => undefined), { statementCount: 0, background: undefined as unknown as Database });
  background.background = background;
  const counted = Object.assign(build(() => statementCount++), { background }) as Database;
  // A getter: Object.assign would copy a snapshot of the count.
  return Object.defineProperty(counted, 'statementCount', { get: () => statementCount });
}
