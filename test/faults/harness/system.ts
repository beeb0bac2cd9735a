// The system as production runs it: every service its own process, on a PostgreSQL cluster and a
// redis-server of the suite's own (free ports, temporary directories), the bundled Odoo behind a
// fault proxy. Tokens come from the embedded issuer (RUN_MODE=embedded): the one thing not as
// in production, so the suite needs no identity provider.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInternalSigningKey } from '../../../gateway/authentication/internal-token.ts';
import type { Database } from '../../../platform/database/database.ts';
import { openDatabase } from '../../../platform/database/open.ts';
import { standaloneSubgraphs, type SubgraphName } from '../../../schema/catalog.ts';
import { demoAnchor, seedAppointments } from '../../../subgraphs/appointments/demo-seed.ts';
import { seedBilling, seedPayers } from '../../../subgraphs/billing/demo-seed.ts';
import { seedPatients } from '../../../subgraphs/patients/demo-seed.ts';
import { startFaultProxy, type FaultProxy } from '../../odoo/fault-proxy.ts';
import type { TokenRequest } from '../../../gateway/authentication/embedded-issuer.ts';
import { startOwnRedis, type OwnRedis } from '../../support/redis-server.ts';
import { bearerFor } from '../../support/tokens.ts';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.ts';
import { loggedUrl, ServiceProcess } from './service-process.ts';

export interface FaultSystem {
  postgres: PostgresCluster;
  redis: OwnRedis;
  /** Between odoo-finance and the bundled Odoo: `setDown(true)` is an Odoo outage. */
  odooProxy: FaultProxy;
  odoo: ServiceProcess;
  /** The subgraphs that run alone (the workflows subgraph comes with a workflows replica, not started here). */
  subgraphs: Record<StandaloneName, ServiceProcess>;
  gateway: ServiceProcess;
  /** The gateway's GraphQL endpoint. */
  url: string;
  dataDir: string;
  /** Headers with a bearer token the gateway trusts. */
  bearer(request: TokenRequest): Promise<Record<string, string>>;
  /** A subgraph's own database (its schema), for counting business effects behind the API. */
  database(name: SubgraphName | 'audit trail'): Promise<Database>;
  /** Restarts a service that was stopped or killed, on the port it had, with the same settings. */
  restart(service: ServiceProcess): Promise<void>;
  close(): Promise<void>;
}

type StandaloneName = Exclude<SubgraphName, 'workflows'>;
const schemaOf = (name: SubgraphName | 'audit trail') => (name === 'audit trail' ? 'audit' : name.replace('-', '_'));
const urlSetting = (name: string) => `SUBGRAPH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;

export interface FaultSystemOptions {
  /** Settings for every service, over the suite's (drain time, bucket mode...). */
  env?: Record<string, string>;
  /** Settings for the gateway alone. */
  gatewayEnv?: Record<string, string>;
}

export async function startFaultSystem({ env = {}, gatewayEnv = {} }: FaultSystemOptions = {}): Promise<FaultSystem> {
  const [postgres, redis] = await Promise.all([startPostgresCluster(), startOwnRedis()]);
  const dataDir = await mkdtemp(join(tmpdir(), 'faults-data-'));
  // The gateway's internal-token key: every subgraph reads its public half from DATA_DIR.
  await loadInternalSigningKey(dataDir);
  const common = { DATABASE_URL: postgres.url, REDIS_URL: redis.url, DATA_DIR: dataDir, LOG_LEVEL: 'info', WEBHOOK_LOOPBACK_TARGETS: 'true', ...env };

  const odoo = new ServiceProcess('odoo', 'stand-ins/odoo/main.ts', { PORT: '0', LOG_LEVEL: 'info' }, (line) => /ODOO_URL=(\S+)/.exec(line)?.[1]);
  await odoo.start();
  const odooSettings = Object.fromEntries([...odoo.recentLines(/ODOO_URL=/)[0]!.matchAll(/(ODOO_\w+)=(\S+)/g)].map(([, key, value]) => [key!, value!]));
  const odooProxy = await startFaultProxy(odooSettings.ODOO_URL!);

  const subgraphs = Object.fromEntries(
    standaloneSubgraphs.map(({ name, main }) => [
      name,
      new ServiceProcess(name, main, { ...common, PORT: '0', ...(name === 'odoo-finance' ? { ...odooSettings, ODOO_URL: odooProxy.url } : {}) }, loggedUrl('subgraph ready')),
    ]),
  ) as Record<StandaloneName, ServiceProcess>;
  await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.start()));
  // A restarted service comes back where the gateway looks for it.
  for (const subgraph of Object.values(subgraphs)) subgraph.start = pinPort(subgraph);

  const opened: Database[] = [];
  const database = async (name: SubgraphName | 'audit trail') => {
    const db = await openDatabase({ url: postgres.url, schema: schemaOf(name) });
    opened.push(db);
    return db;
  };
  const payerIds = await seedPayers(await database('billing'));
  const { patientIds, coverages } = await seedPatients(await database('patients'), { payerIds });
  const seeded = await seedAppointments(await database('appointments'), { patientIds, coverages, anchor: demoAnchor() });
  await seedBilling(await database('billing'), { ...seeded, coverages });

  const gateway = new ServiceProcess(
    'gateway',
    'gateway/main.ts',
    { ...common, PORT: '0', RUN_MODE: 'embedded', ...Object.fromEntries(Object.entries(subgraphs).map(([name, subgraph]) => [urlSetting(name), subgraph.url])), ...gatewayEnv },
    loggedUrl('gateway ready'),
  );
  const url = await gateway.start();
  gateway.start = pinPort(gateway);

  return {
    postgres,
    redis,
    odooProxy,
    odoo,
    subgraphs,
    gateway,
    url,
    dataDir,
    bearer: (request) => bearerFor(request, dataDir),
    database,
    async restart(service) {
      if (service.running) await service.stop('SIGKILL');
      await service.start();
    },
    async close() {
      await gateway.stop();
      await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.stop()));
      await odoo.stop();
      await Promise.all(opened.map((db) => db.close()));
      await odooProxy.close();
      await redis.close();
      await postgres.destroy();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** From now on the service starts on the port it has: the gateway (or the test) knows it by that. */
function pinPort(service: ServiceProcess): ServiceProcess['start'] {
  const start = service.start.bind(service);
  const port = new URL(service.url).port;
  return (extraEnv = {}) => start({ ...extraEnv, PORT: port });
}
