import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { graphqlHandler } from '../platform/http/graphql-handler.ts';
import { startHttpService, type HttpService } from '../platform/http/server.ts';
import { createLogger } from '../platform/logger.ts';
import type { Authenticate } from './authentication/authenticator.ts';
import type { SignInternalToken } from './authentication/internal-token.ts';
import { executableSupergraph } from './authorization/executable-supergraph.ts';
import type { GatewayContext } from './context.ts';
import { gatewayErrorFormatter } from './hardening/client-errors.ts';
import { operationParseOptions, defaultOperationLimits } from './limits/operation-limits.ts';
import { governancePlugins, type GovernanceSettings } from './pipeline.ts';
import { subgraphsReady } from './readiness.ts';
import { SubgraphDataSource } from './subgraph-data-source.ts';
import { resolveSubgraphUrl, subgraphsOf } from './subgraph-urls.ts';

export interface GatewaySettings {
  supergraphSdl: string;
  port: number;
  host?: string;
  /** Subgraph name -> URL, over the supergraph's own (launcher, tests). */
  subgraphUrls?: Record<string, string>;
  subgraphTimeoutMs?: number;
  bodyLimitBytes?: number;
  /** Bearer token -> caller; throws UNAUTHENTICATED for a bad token. */
  authenticate: Authenticate;
  /** The short-lived token every subgraph call carries. */
  signInternalToken: SignInternalToken;
  governance: GovernanceSettings;
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
  const gateway = new ApolloGateway({
    // The gateway enforces the security directives itself; the executor gets them marked handled.
    supergraphSdl: executableSupergraph(settings.supergraphSdl),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: urls.get(name) ?? url!,
        timeoutMs: settings.subgraphTimeoutMs ?? 10_000,
        signInternalToken: settings.signInternalToken,
      }),
  });
  const { governance } = settings;
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
    plugins: governancePlugins(settings.supergraphSdl, governance),
  });
  await apollo.start();
  const http = await startHttpService({
    name: 'gateway',
    host: settings.host,
    port: settings.port,
    logger,
    ready: subgraphsReady([...urls.values()]),
    routes: {
      '/graphql': graphqlHandler(apollo, {
        bodyLimitBytes: settings.bodyLimitBytes ?? 1_000_000,
        context: async (request, requestId) => ({
          requestId,
          logger: logger.child({ requestId }),
          caller: await settings.authenticate(request.headers.authorization),
        }),
      }),
    },
  });
  logger.info({ url: `${http.url}/graphql`, subgraphs: subgraphs.map(({ name }) => name) }, 'gateway ready');
  return {
    url: `${http.url}/graphql`,
    http,
    async close() {
      await http.close();
      await apollo.stop();
    },
  };
}
