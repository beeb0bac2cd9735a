import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse } from 'graphql';
import { intSetting, setting } from '../config.ts';
import { databaseSettingsFromEnv, openDatabase, type DatabaseSettings } from '../database/open.ts';
import type { Database } from '../database/database.ts';
import { migrate } from '../database/migrations.ts';
import { maskUnexpectedErrors } from '../graphql-errors.ts';
import { graphqlHandler } from '../http/graphql-handler.ts';
import { startHttpService, type HttpService } from '../http/server.ts';
import { createLogger, type Logger } from '../logger.ts';

/** What every subgraph resolver gets, besides its own stores and loaders. */
export interface RequestScope {
  requestId: string;
  logger: Logger;
}

/** A subgraph is its SDL, its migrations, its resolvers and a per-request context (stores, DataLoaders). */
export interface SubgraphModule<TContext extends object> {
  name: string;
  sdl: string;
  migrations: URL;
  resolvers: GraphQLResolverMap<TContext & RequestScope>;
  /** Called once per request, so DataLoader caches never outlive a request. */
  context: (db: Database) => TContext;
}

export interface SubgraphSettings {
  port: number;
  host?: string;
  database: DatabaseSettings;
  bodyLimitBytes?: number;
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
  const database = await openDatabase(settings.database);
  const applied = await migrate(database, module.migrations);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const apollo = new ApolloServer<TContext & RequestScope>({
    schema: buildSubgraphSchema({ typeDefs: parse(module.sdl), resolvers: module.resolvers as GraphQLResolverMap<unknown> }),
    formatError: maskUnexpectedErrors(logger),
    includeStacktraceInErrorResponses: false,
    // Federated traces only feed Apollo Studio, which we do not use; they cost time on every call.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const http = await startHttpService({
    name: module.name,
    host: settings.host,
    port: settings.port,
    logger,
    ready: () => database.ping(),
    routes: {
      '/graphql': graphqlHandler(apollo, {
        bodyLimitBytes: settings.bodyLimitBytes ?? 1_000_000,
        context: async (_request, requestId) => ({ ...module.context(database), requestId, logger: logger.child({ requestId }) }),
      }),
    },
  });
  logger.info({ url: `${http.url}/graphql`, database: database.kind }, 'subgraph ready');
  return {
    name: module.name,
    url: `${http.url}/graphql`,
    database,
    http,
    async close() {
      await http.close();
      await apollo.stop();
      await database.close();
    },
  };
}

/** Settings for running one subgraph as its own process: PORT, HOST, DATABASE_URL, DATABASE_SCHEMA. */
export function subgraphSettingsFromEnv(name: string, defaultPort: number): SubgraphSettings {
  return {
    port: intSetting('PORT', defaultPort),
    host: setting('HOST'),
    database: databaseSettingsFromEnv(setting('DATABASE_SCHEMA') ?? name),
  };
}
