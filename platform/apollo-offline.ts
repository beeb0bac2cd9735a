import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';

/**
 * A healthcare system calls out only where it is told to. Apollo Server reports usage and schemas to
 * Apollo when it finds an APOLLO_KEY, and its default landing page loads Apollo Sandbox from a CDN
 * (a blank page offline): all three off, whatever the environment holds.
 */
export function offlineApolloPlugins<TContext extends BaseContext>(): ApolloServerPlugin<TContext>[] {
  return [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled(), ApolloServerPluginLandingPageDisabled()];
}
