import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { maskUnexpectedErrors } from '../platform/graphql-errors.ts';
import { graphqlHandler } from '../platform/http/graphql-handler.ts';
import { startHttpService, type HttpService } from '../platform/http/server.ts';
import { createLogger } from '../platform/logger.ts';
import type { GatewayContext } from './context.ts';
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
  /** Introspection is for embedded mode and tooling; production turns it off. */
  introspection?: boolean;
  /** The policy pipeline, in order. */
  plugins?: ApolloServerPlugin<GatewayContext>[];
}

export interface RunningGateway {
  url: string;
  http: HttpService;
  close(): Promise<void>;
}

/** The one endpoint: @apollo/gateway plans and executes, our plugins enforce policy around it. */
export async function startGateway(settings: GatewaySettings): Promise<RunningGateway> {
  const logger = createLogger('gateway');
  const subgraphs = subgraphsOf(settings.supergraphSdl).map(({ name, url }) => ({
    name,
    url: resolveSubgraphUrl(name, url, settings.subgraphUrls),
  }));
  const urls = new Map(subgraphs.map(({ name, url }) => [name, url]));
  const gateway = new ApolloGateway({
    supergraphSdl: settings.supergraphSdl,
    buildService: ({ name, url }) =>
      new SubgraphDataSource({ name, url: urls.get(name) ?? url!, timeoutMs: settings.subgraphTimeoutMs ?? 10_000 }),
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: settings.introspection ?? false,
    formatError: maskUnexpectedErrors(logger),
    includeStacktraceInErrorResponses: false,
    plugins: settings.plugins ?? [],
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
        context: async (_request, requestId) => ({ requestId, logger: logger.child({ requestId }), caller: null }),
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
