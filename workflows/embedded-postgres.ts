import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { pgliteTemplate } from '../platform/database/pglite-template.ts';

/** A PGlite of the workflows' own, reachable as a PostgreSQL server on loopback. */
export interface EmbeddedPostgres {
  /** A connection string for `pg` (and so for the workflow engine). */
  url: string;
  close(): Promise<void>;
}

/**
 * The workflow engine speaks to PostgreSQL over the wire with `pg`; PGlite runs in process. The
 * socket server puts one in front of the other, on loopback and an OS port. One connection only:
 * its multiplexer queues protocol messages one by one, so two connections' extended-protocol
 * messages (Parse, Bind, Execute) interleave and a Bind can meet the other's statement (seen:
 * "bind message supplies 2 parameters, but prepared statement requires 4").
 */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  const { pgliteWasmModule, initdbWasmModule, snapshot } = await pgliteTemplate();
  const db = await PGlite.create({ dataDir, pgliteWasmModule, initdbWasmModule, loadDataDir: dataDir ? undefined : snapshot });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async close() {
      await server.stop();
      if (!db.closed) await db.close();
    },
  };
}
