import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { offlineApolloPlugins } from '../apollo-offline.ts';
import { sampleOnScrape, type Sampler } from '../observability/metrics-route.ts';
import { operationMetricsPlugin } from '../observability/operation-metrics-plugin.ts';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import type { Caller } from '../caller.ts';
import { checkSettings, setting, settingNameOf, subgraphPortSetting } from '../config.ts';
import { databaseSettingsFromEnv, openDatabase, type DatabaseSettings } from '../database/open.ts';
import type { Database } from '../database/database.ts';
import { migrate } from '../database/migrations.ts';
import type { EventLog } from '../events/event-log.ts';
import type { RunningLoop } from '../events/loop.ts';
import { startOutboxRelay } from '../events/outbox-relay.ts';
import { maskUnexpectedErrors } from '../graphql-errors.ts';
import { graphqlHandler } from '../http/graphql-handler.ts';
import { pinged } from '../http/readiness.ts';
import { startHttpService, type HttpService, type RouteHandler } from '../http/server.ts';
import { accessPolicies } from '../../policies/access-policies.ts';
import type { SubgraphName } from '../../schema/catalog.ts';
import { gatewayPublicKeysFromEnv, verifyInternalToken, type GatewayPublicKeys } from '../internal-token.ts';
import { withAccessRules } from './access-rules.ts';
import { createLogger, type Logger } from '../logger.ts';
import { disclosurePlugin } from './disclosures.ts';
import { RowScope } from './row-scope.ts';
import { ServiceOperations, type OperationsOptions } from './service-operations.ts';

/** What every subgraph resolver gets, besides its own stores and loaders. */
export interface RequestScope {
  requestId: string;
  logger: Logger;
  /** The caller as the gateway established it; null for an anonymous request. */
  caller: Caller | null;
  /** The caller's rows: every store call of the request goes through it, and it notes what was released. */
  scope: RowScope;
  /** Whether the caller may read a field of this subgraph, by its security directives (`Patient.nationalIdentifier`). */
  mayRead(coordinate: string): boolean;
  /** The service's own operational state and its replay of dead letters (`<service>Operations`). */
  operations: ServiceOperations;
}

/** A subgraph is its SDL, its migrations, its resolvers and a per-request context (stores, DataLoaders). */
export interface SubgraphModule<TContext extends object> {
  name: string;
  sdl: string;
  migrations: URL;
  resolvers: GraphQLResolverMap<TContext & RequestScope>;
  /** Called once per request, so DataLoader caches never outlive a request; every store takes `scope`. */
  context: (db: Database, scope: RowScope, caller: Caller | null) => TContext;
  /** Reactions to other domains' events (consumer groups), started when the subgraph has an event log. */
  workers?: (db: Database, eventLog: EventLog, logger: Logger) => RunningLoop;
  /** HTTP routes besides /graphql, e.g. a webhook a system outside the graph calls. */
  routes?: (db: Database, logger: Logger) => Record<string, RouteHandler>;
  /**
   * What the service needs besides its database, checked at start (a NotReadyError stops the
   * start) and on every /ready: settings that cannot work, not a dependency that is down.
   */
  ready?: () => Promise<void>;
  /** Gauges read from the service's own tables at each scrape of /metrics (backlogs, ages). */
  metrics?: (db: Database) => Sampler;
  /** What its operational state holds besides its database and the event log: its groups, dependencies, flows. */
  operations?: (db: Database) => OperationsOptions;
}

export interface SubgraphSettings {
  /** The gateway's public key: calls without a valid internal token signed by it get 401. */
  gatewayPublicKey: GatewayPublicKeys;
  port: number;
  host?: string;
  database: DatabaseSettings;
  bodyLimitBytes?: number;
  /** Where the outbox is relayed and workers consume. Without one, events wait in the outbox. */
  eventLog?: EventLog;
}

export interface RunningSubgraph {
  name: string;
  /** The GraphQL endpoint. */
  url: string;
  database: Database;
  http: HttpService;
  close(): Promise<void>;
}

export async function startSubgraph<TContext extends object>(
  module: SubgraphModule<TContext>,
  settings: SubgraphSettings,
): Promise<RunningSubgraph> {
  const logger = createLogger(module.name);
  await module.ready?.();
  const database = await openDatabase(settings.database);
  const applied = await migrate(database, module.migrations);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const operations = new ServiceOperations(module.name as SubgraphName, database, settings.eventLog, module.operations?.(database));
  const access = withAccessRules(buildSubgraphSchema({ typeDefs: parse(module.sdl), resolvers: module.resolvers as GraphQLResolverMap<unknown> }), accessPolicies);
  const apollo = new ApolloServer<TContext & RequestScope>({
    schema: access.schema,
    formatError: maskUnexpectedErrors(logger),
    includeStacktraceInErrorResponses: false,
    // Federated traces only feed Apollo Studio, which we do not use; they cost time on every call.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ...offlineApolloPlugins(), disclosurePlugin(), operationMetricsPlugin(module.name)],
  });
  await apollo.start();
  const http = await startHttpService({
    name: module.name,
    host: settings.host,
    port: settings.port,
    portSetting: `SUBGRAPH_${settingNameOf(module.name)}_PORT (PORT when it runs alone)`,
    logger,
    checks: [
      { name: 'database', essential: true, probe: pinged(() => database.ping(), 'the database') },
      ...(module.ready ? [{ name: 'settings', essential: true, probe: module.ready }] : []),
    ],
    routes: {
      ...module.routes?.(database, logger),
      '/graphql': graphqlHandler(apollo, {
        bodyLimitBytes: settings.bodyLimitBytes ?? 1_000_000,
        context: async (request, requestId) => {
          const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
          const { caller } = await verifyInternalToken(bearer, settings.gatewayPublicKey);
          const scope = RowScope.ofCaller(caller);
          const mayRead = (coordinate: string) => access.mayRead(caller, coordinate);
          return { ...module.context(database, scope, caller), requestId, logger: logger.child({ requestId }), caller, scope, mayRead, operations };
        },
      }),
    },
  });
  const stopSampling = module.metrics ? sampleOnScrape(module.metrics(database.background)) : () => {};
  // Started last, so a failed start leaves no loop running.
  const background = settings.eventLog ? startEventWork(database, settings.eventLog, logger, module.workers) : [];
  logger.info({ url: `${http.url}/graphql`, database: database.kind }, 'subgraph ready');
  return {
    name: module.name,
    url: `${http.url}/graphql`,
    database,
    http,
    async close() {
      stopSampling();
      await http.close();
      await apollo.stop();
      // Each loop stops after the step in hand, before the database it writes to closes.
      for (const loop of background) await loop.close();
      await database.close();
    },
  };
}

/** The outbox relay and the module's workers, in the order they are to stop: workers, then the relay. */
function startEventWork(database: Database, eventLog: EventLog, logger: Logger, workers: SubgraphModule<object>['workers']): RunningLoop[] {
  const relay = startOutboxRelay(database.background, eventLog, logger);
  return workers ? [workers(database.background, eventLog, logger), relay] : [relay];
}

/**
 * Settings for running one subgraph as its own process, every one of them checked first: PORT (else
 * SUBGRAPH_<NAME>_PORT), HOST, DATABASE_URL, DATABASE_SCHEMA (its name, `odoo_finance`), GATEWAY_PUBLIC_JWKS_FILE.
 */
export function subgraphSettingsFromEnv(name: SubgraphName): SubgraphSettings {
  checkSettings(name);
  return {
    gatewayPublicKey: gatewayPublicKeysFromEnv(),
    port: setting('PORT') ?? subgraphPortSetting(name),
    host: setting('HOST'),
    database: databaseSettingsFromEnv(setting('DATABASE_SCHEMA') ?? name.replace('-', '_')),
  };
}
