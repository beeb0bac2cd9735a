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

/**
 * @apollo/gateway sends usage metrics to Apollo and probes cloud metadata addresses (169.254.169.254,
 * metadata.google.internal…) as it is constructed, unless APOLLO_TELEMETRY_DISABLED is set; it has no
 * option for it. Set before the gateway is built; an operator who sets it to false has asked.
 */
export function disableApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
}
