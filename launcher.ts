// `npm start`: every subgraph and the gateway in one process on the embedded defaults (PGlite,
// seeded demo data), or on PostgreSQL with DATABASE_URL. The only file that knows all services.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { checkSettings, ConfigurationError, refuseInProduction, runMode, setting, subgraphPortSetting, type RunMode } from './platform/config.ts';
import type { DatabaseSettings } from './platform/database/open.ts';
import type { EventLog } from './platform/events/event-log.ts';
import { openEventLog } from './platform/events/open.ts';
import { startTracing, tracingSettingsFromEnv } from './platform/observability/tracing.ts';
import { runUntilSignalled } from './platform/process.ts';
import { startSubgraph, type RunningSubgraph } from './platform/subgraph/service.ts';
import { loadInternalSigningKey } from './gateway/authentication/internal-token.ts';
import { governanceFromSettings, openGatewayEnvironment, pagesFromSettings, type GatewayEnvironment } from './gateway/environment.ts';
import type { GovernanceSettings } from './gateway/pipeline.ts';
import { startGateway, type RunningGateway } from './gateway/server.ts';
import { defaultGatewayPort, defaultPortOf, subgraphCatalog, supergraphPath, type SubgraphName } from './schema/catalog.ts';
import { appointmentsSubgraph } from './subgraphs/appointments/subgraph.ts';
import { auditSubgraph } from './subgraphs/audit/subgraph.ts';
import { demoAnchor, seedAppointments } from './subgraphs/appointments/demo-seed.ts';
import { billingSubgraph } from './subgraphs/billing/subgraph.ts';
import { seedBilling, seedPayers } from './subgraphs/billing/demo-seed.ts';
import { patientsSubgraph } from './subgraphs/patients/subgraph.ts';
import { seedPatients } from './subgraphs/patients/demo-seed.ts';
import { webhooksSubgraph } from './subgraphs/webhooks/subgraph.ts';
import { odooSettingsFromEnv, webhookTokenFromEnv } from './subgraphs/odoo-finance/settings.ts';
import { odooFinanceSubgraph } from './subgraphs/odoo-finance/subgraph.ts';
import { OdooClient, type OdooClientOptions } from './subgraphs/odoo-finance/odoo/client.ts';
import { bundledOdooSettingsFromEnv, startBundledOdoo, type BundledOdoo, type BundledOdooOptions } from './stand-ins/odoo/server.ts';
import { openEmbeddedIssuer, serviceTokens } from './gateway/authentication/embedded-issuer.ts';
import { createLogger } from './platform/logger.ts';
import type { WorkflowEngine } from './workflows/engine.ts';
import { engineOnboardingRecords } from './workflows/graph/onboarding-records.ts';
import { workflowsSubgraph } from './workflows/graph/subgraph.ts';
import { startWorkflowWorker } from './workflows/worker.ts';

export interface SystemOptions {
  /** Embedded (the default): the local issuer, introspection for all. Production: see RUN_MODE. */
  mode?: RunMode;
  /** PostgreSQL for every subgraph; PGlite when absent. */
  databaseUrl?: string;
  /** PGlite only: keep each subgraph's files in `<dir>/<schema>`; in memory when absent. */
  pgliteDataDir?: string;
  /** Prefix for the subgraphs' schema names, so test runs on one PostgreSQL never collide. */
  schemaPrefix?: string;
  /** 0 gives every service a free port (tests); otherwise the catalog's ports, the gateway on this one. */
  gatewayPort: number;
  /** Over the catalog's ports, per subgraph. */
  subgraphPorts?: Partial<Record<SubgraphName, number>>;
  seedDemoData: boolean;
  /** Where the embedded issuer and the gateway keep their keys (DATA_DIR by default). */
  dataDir?: string;
  /** Over the settings' governance (tests: reject mode, a shared bucket...). */
  governance?: Partial<GovernanceSettings>;
  /** A real Odoo for the finance side; without one, the bundled Odoo stand-in is started. */
  odoo?: OdooClientOptions;
  /** How the stand-in behaves when it is started (version 19 by default). */
  bundledOdoo?: Partial<BundledOdooOptions>;
  /** The secret path of odoo-finance's automation-rule webhook; no webhook route without one. */
  odooWebhookToken?: string;
  /** Runs the workflows (onboarding) in this process, on the same database (WORKFLOWS, on by default for `npm start`). */
  workflows?: boolean;
}

export interface RunningSystem {
  gateway: RunningGateway;
  environment: GatewayEnvironment;
  /** The domain events every service shares: in memory, or Redis Streams with REDIS_URL. */
  eventLog: EventLog;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  /** The Odoo the finance side talks to: the bundled stand-in, or the one `odoo` names. */
  odoo: OdooClient;
  /** The stand-in, when no real Odoo was named. */
  bundledOdoo?: BundledOdoo;
  /** The workflow engine, when `workflows` asked for it. */
  workflows?: WorkflowEngine;
  close(): Promise<void>;
}

/** The stand-in is started here and nowhere else: odoo-finance only ever gets a client. */
async function connectOdoo({ odoo, bundledOdoo }: SystemOptions): Promise<{ client: OdooClient; bundled?: BundledOdoo }> {
  if (odoo) return { client: new OdooClient(odoo) };
  const bundled = await startBundledOdoo({ version: 19, ...bundledOdoo });
  return { client: new OdooClient(bundled), bundled };
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  // A schema name is an identifier: odoo-finance owns odoo_finance.
  const database = (name: SubgraphName | 'workflows_graph'): DatabaseSettings => {
    const schema = `${options.schemaPrefix ?? ''}${name.replace('-', '_')}`;
    return { url: options.databaseUrl, schema, pgliteDataDir: options.pgliteDataDir && `${options.pgliteDataDir}/${schema}` };
  };
  const port = (name: SubgraphName) => options.subgraphPorts?.[name] ?? (options.gatewayPort === 0 ? 0 : defaultPortOf(name));
  const mode = options.mode ?? 'embedded';
  const gatewayKey = await loadInternalSigningKey(options.dataDir);
  const eventLog = await openEventLog();
  const { client: odoo, bundled: bundledOdoo } = await connectOdoo(options);
  const settings = (name: SubgraphName) => ({ port: port(name), database: database(name), gatewayPublicKey: gatewayKey.publicJwk, eventLog });
  const [patients, appointments, billing, audit, webhooks, odooFinance, workflowsGraph] = await Promise.all([
    startSubgraph(patientsSubgraph, settings('patients')),
    startSubgraph(appointmentsSubgraph, settings('appointments')),
    startSubgraph(billingSubgraph, settings('billing')),
    startSubgraph(auditSubgraph, settings('audit')),
    // Embedded mode: partners' test receivers on this machine are allowed targets.
    startSubgraph(webhooksSubgraph({ loopbackAllowed: mode === 'embedded' }), settings('webhooks')),
    startSubgraph(odooFinanceSubgraph(odoo, { webhookToken: options.odooWebhookToken, frontOfficeLogin: setting('ODOO_FRONT_OFFICE_LOGIN') }), settings('odoo-finance')),
    // Reads the engine started below (it answers WORKFLOWS_NOT_RUNNING without one); its own tables
    // beside the engine's schema, not in it.
    startSubgraph(workflowsSubgraph(options.workflows ? engineOnboardingRecords : undefined), { ...settings('workflows'), database: database('workflows_graph') }),
  ]);
  // The gateway writes the trail the audit subgraph serves: one database, one handle.
  const environment = await openGatewayEnvironment(mode, { dataDir: options.dataDir, auditDatabase: audit.database });
  const subgraphs = { patients, appointments, billing, audit, webhooks, 'odoo-finance': odooFinance, workflows: workflowsGraph };
  if (options.seedDemoData) {
    const payerIds = await seedPayers(billing.database);
    const { patientIds, coverages } = await seedPatients(patients.database, { payerIds });
    const seeded = await seedAppointments(appointments.database, { patientIds, coverages, anchor: demoAnchor() });
    await seedBilling(billing.database, { ...seeded, coverages });
  }
  const gateway = await startGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    port: options.gatewayPort,
    executor: setting('GATEWAY_EXECUTOR'),
    subgraphUrls: Object.fromEntries(Object.values(subgraphs).map((subgraph) => [subgraph.name, subgraph.url])),
    authenticate: environment.authenticate,
    signInternalToken: environment.signInternalToken,
    internalTokenKeys: { keys: [environment.internalTokenPublicKey] },
    readinessChecks: environment.readinessChecks,
    governance: { ...governanceFromSettings(environment), ...options.governance },
    pages: pagesFromSettings(environment),
    events: { eventLog, webhooksDatabase: webhooks.database, loopbackWebhookTargets: mode === 'embedded' },
  });
  const pgliteRoot = setting('PGLITE_DATA_DIR');
  const workflows = options.workflows
    ? await startWorkflowWorker({
        databaseUrl: options.databaseUrl,
        schema: `${options.schemaPrefix ?? ''}workflows`,
        pgliteDataDir: options.databaseUrl || !pgliteRoot ? undefined : `${pgliteRoot}/workflows`,
        executorId: 'embedded',
        gatewayUrl: gateway.url,
        identity: serviceTokens(await openEmbeddedIssuer({ dataDir: options.dataDir }), 'onboarding_service'),
        concurrency: 10,
        events: { eventLog, visit: { serviceCode: setting('WORKFLOWS_VISIT_SERVICE_CODE'), pollSeconds: setting('WORKFLOWS_VISIT_POLL_SECONDS') } },
        outbox: workflowsGraph.database.background,
        logger: createLogger('workflows'),
      })
    : undefined;
  return {
    gateway,
    environment,
    eventLog,
    subgraphs,
    odoo,
    bundledOdoo,
    workflows,
    async close() {
      await workflows?.close();
      await gateway.close();
      await environment.close();
      await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph.close()));
      await eventLog.close();
      await bundledOdoo?.close();
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runUntilSignalled(async () => {
    checkSettings('npm start');
    // Its subgraphs, PGlite and the in-memory event log are handles in this one process: several
    // gateway workers run with gateway/main.ts, on PostgreSQL and Redis.
    const workers = setting('GATEWAY_WORKERS');
    if (workers > 1) throw new ConfigurationError(`GATEWAY_WORKERS=${workers} is for gateway/main.ts: npm start runs every service in one process; run the gateway apart (README, Production) to run several workers`);
    // Embedded mode keeps the last spans in memory for the operations console (before runUntilSignalled's own start).
    startTracing(tracingSettingsFromEnv(5_000));
    const mode = runMode('embedded');
    const odoo = odooSettingsFromEnv();
    if (!odoo) refuseInProduction(mode, 'The bundled Odoo stand-in', 'set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_API_KEY');
    const system = await startSystem({
      mode,
      databaseUrl: setting('DATABASE_URL'),
      pgliteDataDir: setting('PGLITE_DATA_DIR'),
      gatewayPort: setting('PORT') ?? defaultGatewayPort,
      subgraphPorts: Object.fromEntries(subgraphCatalog.map(({ name }) => [name, subgraphPortSetting(name)])),
      seedDemoData: mode === 'embedded' && setting('SEED_DEMO_DATA'),
      odoo,
      odooWebhookToken: webhookTokenFromEnv(),
      bundledOdoo: bundledOdooSettingsFromEnv(),
      workflows: setting('WORKFLOWS'),
    });
    const { bundledOdoo } = system;
    if (bundledOdoo) {
      const { url, db, login, apiKey, version } = bundledOdoo;
      console.log(`\nBundled Odoo ${version} stand-in: ODOO_URL=${url} ODOO_DB=${db} ODOO_USER=${login} ODOO_API_KEY=${apiKey}`);
    }
    console.log(`\nHealthcare graph ready: ${system.gateway.url}\n`);
    return system;
  });
}
