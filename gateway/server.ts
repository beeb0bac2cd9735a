import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { offlineApolloPlugins } from '../platform/apollo-offline.ts';
import { disableApolloTelemetry } from '../platform/config.ts';
import { Disclosures } from '../platform/audit/disclosures.ts';
import { graphqlHandler } from '../platform/http/graphql-handler.ts';
import type { JSONWebKeySet } from 'jose';
import type { ReadinessCheck } from '../platform/http/readiness.ts';
import { sendJson, startHttpService, type HttpService, type RouteHandler } from '../platform/http/server.ts';
import { createLogger } from '../platform/logger.ts';
import type { Authenticate } from './authentication/authenticator.ts';
import type { SignInternalToken } from './authentication/internal-token.ts';
import { executableSupergraph } from './authorization/executable-supergraph.ts';
import { PlanningGateway } from './execution/planning-gateway.ts';
import type { Database } from '../platform/database/database.ts';
import type { EventLog } from '../platform/events/event-log.ts';
import type { RunningLoop } from '../platform/events/loop.ts';
import type { Logger } from '../platform/logger.ts';
import type { GatewayContext } from './context.ts';
import { attachSubscriptions } from './subscriptions/attach-subscriptions.ts';
import { readsThrough } from './subscriptions/gateway-reads.ts';
import { gatewayView } from './webhooks/gateway-view.ts';
import { openWebhookDeliverer } from './webhooks/open.ts';
import { gatewayErrorFormatter } from './hardening/client-errors.ts';
import { operationParseOptions, defaultOperationLimits } from './limits/operation-limits.ts';
import { governancePlugins, type GovernanceSettings } from './pipeline.ts';
import { browsersToExplorer, pageRoutes, type PageSettings } from './pages/pages.ts';
import { subgraphChecks } from './readiness.ts';
import { SubgraphDataSource } from './subgraph-data-source.ts';
import { resolveSubgraphUrl, subgraphsOf } from './subgraph-urls.ts';

export interface GatewaySettings {
  supergraphSdl: string;
  port: number;
  host?: string;
  /** Subgraph name -> URL, over the supergraph's own (launcher, tests). */
  subgraphUrls?: Record<string, string>;
  /** Who runs @apollo/gateway's plans: ours (fewer subgraph requests; the default) or its own (GATEWAY_EXECUTOR). */
  executor?: 'apollo' | 'planned';
  subgraphTimeoutMs?: number;
  bodyLimitBytes?: number;
  /** Bearer token -> caller; throws UNAUTHENTICATED for a bad token. */
  authenticate: Authenticate;
  /** The short-lived token every subgraph call carries. */
  signInternalToken: SignInternalToken;
  /** Its public keys, published at /.well-known/jwks.json for subgraphs (GATEWAY_JWKS_URL). */
  internalTokenKeys?: JSONWebKeySet;
  governance: GovernanceSettings;
  /** The pages for browsers: the explorer, and the embedded issuer's sign-in (none of either by default). */
  pages?: PageSettings;
  /** What /ready checks besides the subgraphs: the audit trail, the cost bucket (the environment's). */
  readinessChecks?: readonly ReadinessCheck[];
  /**
   * The domain events: with them the gateway serves subscriptions over WebSocket on /graphql and
   * delivers partner webhooks.
   */
  events?: {
    eventLog: EventLog;
    /** The webhook registry's database when the launcher holds it; else DATABASE_URL/WEBHOOKS_SCHEMA. */
    webhooksDatabase?: Database;
    /** Embedded mode only: webhook endpoints on this machine. */
    loopbackWebhookTargets: boolean;
    /** Deliver webhooks from this process (default): of several gateway workers, one does. */
    webhooks?: boolean;
  };
}

export interface RunningGateway {
  url: string;
  http: HttpService;
  close(): Promise<void>;
}

/** The one endpoint: @apollo/gateway plans and executes, the governance plugins enforce policy around it. */
export async function startGateway(settings: GatewaySettings): Promise<RunningGateway> {
  const logger = createLogger('gateway');
  const subgraphs = subgraphsOf(settings.supergraphSdl).map(({ name, url }) => ({
    name,
    url: resolveSubgraphUrl(name, url, settings.subgraphUrls),
  }));
  const urls = new Map(subgraphs.map(({ name, url }) => [name, url]));
  // Kept to close their connection pools once the gateway has stopped.
  const dataSources: SubgraphDataSource[] = [];
  disableApolloTelemetry();
  const Gateway = settings.executor === 'apollo' ? ApolloGateway : PlanningGateway;
  const gateway = new Gateway({
    // The gateway enforces the security directives itself; the executor gets them marked handled.
    supergraphSdl: executableSupergraph(settings.supergraphSdl),
    buildService: ({ name, url }) => {
      const dataSource = new SubgraphDataSource({
        name,
        url: urls.get(name) ?? url!,
        timeoutMs: settings.subgraphTimeoutMs ?? 10_000,
        signInternalToken: settings.signInternalToken,
      });
      dataSources.push(dataSource);
      return dataSource;
    },
  });
  const { governance, pages = { explorer: false } } = settings;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Introspection is decided per caller by the introspection plugin.
    introspection: true,
    // No "Did you mean …?" schema hints in errors outside embedded mode.
    hideSchemaDetailsFromClientErrors: !governance.introspectionForEveryone,
    parseOptions: operationParseOptions({ ...defaultOperationLimits, ...governance.limits }),
    formatError: gatewayErrorFormatter(logger, { hideSchemaDetails: !governance.introspectionForEveryone }),
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: governance.allowBatchedRequests ?? false,
    plugins: [...offlineApolloPlugins<GatewayContext>(), ...governancePlugins(settings.supergraphSdl, governance)],
  });
  await apollo.start();
  const http = await startHttpService({
    name: 'gateway',
    host: settings.host,
    port: settings.port,
    portSetting: 'PORT',
    logger,
    checks: [...(settings.readinessChecks ?? []), ...subgraphChecks(urls)],
    routes: {
      ...(settings.internalTokenKeys && { '/.well-known/jwks.json': publishedKeys(settings.internalTokenKeys) }),
      ...pageRoutes(pages),
      '/graphql': browsersToExplorer(pages, graphqlHandler(apollo, {
        bodyLimitBytes: settings.bodyLimitBytes ?? 1_000_000,
        context: async (request, requestId, trace) => ({
          requestId,
          trace,
          logger: logger.child({ requestId }),
          caller: await settings.authenticate(request.headers.authorization),
          disclosures: new Disclosures(),
        }),
      })),
    },
  });
  const eventWork = settings.events ? await startEventWork(settings, apollo, http, logger) : [];
  logger.info({ url: `${http.url}/graphql`, subgraphs: subgraphs.map(({ name }) => name) }, 'gateway ready');
  return {
    url: `${http.url}/graphql`,
    http,
    async close() {
      for (const work of eventWork) await work.close();
      await http.close();
      await apollo.stop();
      await Promise.all(dataSources.map((dataSource) => dataSource.close()));
    },
  };
}

/** The internal-token keys, public by nature: a subgraph refetches them when it meets a key id it has not seen. */
const publishedKeys =
  (keys: JSONWebKeySet): RouteHandler =>
  async (_request, response) => {
    response.setHeader('cache-control', 'public, max-age=300');
    sendJson(response, 200, keys);
  };

/** Subscriptions and webhook deliveries: both read each event's entity through the gateway, as their caller. */
async function startEventWork(
  settings: GatewaySettings,
  apollo: ApolloServer<GatewayContext>,
  http: HttpService,
  logger: Logger,
): Promise<RunningLoop[]> {
  const { eventLog, webhooksDatabase, loopbackWebhookTargets, webhooks: deliversWebhooks = true } = settings.events!;
  const subscriptions = await attachSubscriptions({
    httpServer: http.server,
    path: '/graphql',
    apollo,
    supergraphSdl: settings.supergraphSdl,
    eventLog,
    authenticate: settings.authenticate,
    logger,
    limits: settings.governance.limits,
    safelist: settings.governance.safelist,
    // Governance off records nothing, for subscriptions as for queries.
    audit: settings.governance.enabled ? { sink: settings.governance.audit } : undefined,
  });
  if (!deliversWebhooks) return [subscriptions];
  const webhooks = await openWebhookDeliverer({
    database: webhooksDatabase,
    eventLog,
    resolveFor: gatewayView(readsThrough(apollo, logger)),
    logger,
    targets: { loopbackAllowed: loopbackWebhookTargets },
  });
  return [webhooks, subscriptions];
}
