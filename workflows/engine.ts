import { DBOS, type DLogger } from '@dbos-inc/dbos-sdk';
import pg from 'pg';
import type { Logger } from '../platform/logger.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.ts';

/** Where the workflow engine keeps its state, and who this executor is. */
export interface WorkflowEngineSettings {
  /** PostgreSQL; without one, a PGlite of the workflows' own (persisted under pgliteDataDir if given). */
  databaseUrl?: string;
  /** The schema the engine owns on PostgreSQL; no subgraph's. */
  schema: string;
  pgliteDataDir?: string;
  /**
   * This replica's name. After a crash a replica recovers the workflows it was running, so a
   * restarted replica must come back under the same name; two live replicas never share one.
   */
  executorId: string;
  logger: Logger;
}

/**
 * Definitions carry their own versions (workflows/registry.ts), so the engine's application
 * version is fixed: a deploy does not strand the workflows an older build started.
 */
const APPLICATION_VERSION = 'healthcare-graph-workflows';

export interface WorkflowEngine {
  close(): Promise<void>;
}

/** DBOS logs through our logger: its messages name workflow ids and step names, never inputs. */
function engineLogger(logger: Logger): DLogger {
  return {
    info: (entry) => logger.info({ engine: 'dbos' }, String(entry)),
    debug: (entry) => logger.debug({ engine: 'dbos' }, String(entry)),
    warn: (entry) => logger.warn({ engine: 'dbos' }, String(entry)),
    error: (entry) => logger.error({ engine: 'dbos', error: entry instanceof Error ? entry.name : undefined }, entry instanceof Error ? entry.message : String(entry)),
  };
}

/**
 * Replicas starting together would each migrate the engine's schema and collide (seen:
 * "duplicate key value violates unique constraint dbos_migrations_pkey"): they take turns under a
 * PostgreSQL advisory lock, and launch without migrating.
 */
async function migrateInTurn(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`workflows-migration:${schema}`]);
    await DBOS.migrate(url, { schemaName: schema });
  } finally {
    await client.end();
  }
}

/** DBOS's default: a transaction left idle this long is ended by the server. */
const IDLE_TRANSACTION_TIMEOUT_MS = 60_000;

/**
 * The timeout as a startup option of every connection. Otherwise DBOS queues a SET on each new
 * connection, racing the borrower's first query (pg's "client.query() while a query is running").
 */
function withIdleTransactionTimeout(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const options = url.searchParams.get('options');
  url.searchParams.set('options', [options, `-c idle_in_transaction_session_timeout=${IDLE_TRANSACTION_TIMEOUT_MS}`].filter(Boolean).join(' '));
  return url.toString();
}

/**
 * Launches the engine for this process (DBOS is one per process): register the definitions first.
 * On launch it recovers this executor's unfinished workflows from their last completed step.
 */
export async function launchWorkflowEngine(settings: WorkflowEngineSettings): Promise<WorkflowEngine> {
  let embedded: EmbeddedPostgres | undefined;
  const systemDatabaseUrl = withIdleTransactionTimeout(settings.databaseUrl ?? (embedded = await startEmbeddedPostgres(settings.pgliteDataDir)).url);
  if (settings.databaseUrl) await migrateInTurn(settings.databaseUrl, settings.schema);
  DBOS.setConfig({
    name: 'healthcare-graph',
    systemDatabaseUrl,
    systemDatabaseSchemaName: settings.schema,
    applicationVersion: APPLICATION_VERSION,
    executorID: settings.executorId,
    logger: engineLogger(settings.logger),
    // The embedded PGlite takes one connection (embedded-postgres.ts), so no LISTEN/NOTIFY: waits poll.
    useListenNotify: settings.databaseUrl !== undefined,
    ...(embedded && { systemDatabasePoolSize: 1 }),
    runMigrations: embedded !== undefined,
  });
  try {
    await DBOS.launch();
  } catch (error) {
    await embedded?.close();
    throw error;
  }
  return {
    async close() {
      // Deregistered, so a process (a test) may launch it again with fresh definitions.
      await DBOS.shutdown({ deregister: true });
      await embedded?.close();
    },
  };
}
