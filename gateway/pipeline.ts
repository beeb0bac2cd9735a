import type { ApolloServerPlugin } from '@apollo/server';
import { buildSchema } from 'graphql';
import { accessPolicies } from '../policies/access-policies.ts';
import { minimizationPolicy } from '../policies/minimization.ts';
import type { ClientTiers } from '../policies/client-tiers.ts';
import type { AccessRecord } from '../platform/audit/access-record.ts';
import { accessRecordPlugin } from './access-record/access-record-plugin.ts';
import { apiSchemaOf } from './api-schema.ts';
import { authorizationPlugin } from './authorization/authorization-plugin.ts';
import type { GatewayContext } from './context.ts';
import { costPlugin } from './cost/cost-plugin.ts';
import { inputLimitsPlugin } from './hardening/input-limits-plugin.ts';
import { inputTypesPlugin } from './hardening/input-types-plugin.ts';
import { introspectionPlugin } from './introspection-plugin.ts';
import { metricsPlugin } from './metrics-plugin.ts';
import { minimizationPlugin } from './minimization/minimization-plugin.ts';
import { operationNamePlugin } from './hardening/operation-name-plugin.ts';
import { operationLimitsPlugin } from './limits/operation-limits-plugin.ts';
import type { OperationLimits } from './limits/operation-limits.ts';
import type { CostBucket } from './rate-limit/cost-bucket.ts';
import type { Safelist } from './safelist/manifest.ts';
import { safelistPlugin } from './safelist/safelist-plugin.ts';

export interface GovernanceSettings {
  /** Off only to measure what governance costs (the benchmark); never in service. */
  enabled: boolean;
  /** 'filter' answers each denied field with null and FORBIDDEN; 'reject' refuses the whole operation. */
  authorizationMode: 'filter' | 'reject';
  bucket: CostBucket;
  /** The client tiers' cost ceilings and budgets; policies/client-tiers.ts when absent. */
  tiers?: ClientTiers;
  limits?: Partial<OperationLimits>;
  introspectionForEveryone: boolean;
  /** Where a request's access records go (the audit writer): resolves once durable; a rejection fails the response closed. */
  audit: (records: AccessRecord[]) => Promise<void>;
  /** Safelist mode (SAFELIST=on): each client runs only its registered operations. Absent: any operation. */
  safelist?: Safelist;
  /** Apollo Server's batched HTTP requests, an array of operations in one body (GATEWAY_ALLOW_BATCHING); off by default. */
  allowBatchedRequests?: boolean;
}

/**
 * The policy pipeline, in the order a request meets it. Each step is an Apollo Server plugin that
 * works alone; the order matters:
 * 0. an operationName the document does not hold is refused first; safelist, when on: an unregistered
 *    operation is refused before it is even parsed;
 * 1. introspection, operation and input limits, inputs of their types: cheap refusals first, before any
 *    subgraph is called;
 * 2. cost: charged on the operation as asked, so a denied field is not a way to spend less;
 * 3. authorization: removes what the caller may not see, before @apollo/gateway plans;
 * 4. access record: adds hidden patient ids to what is left, records who saw what (audit);
 * 5. minimization: transforms the result by the caller's role and purpose of use;
 * 6. metrics, last: it counts the response as it leaves, and what the steps before refused.
 */
export function governancePlugins(supergraphSdl: string, settings: GovernanceSettings): ApolloServerPlugin<GatewayContext>[] {
  const plugins: ApolloServerPlugin<GatewayContext>[] = [
    operationNamePlugin(),
    ...(settings.safelist ? [safelistPlugin(settings.safelist)] : []),
    introspectionPlugin({ allowEveryone: settings.introspectionForEveryone }),
  ];
  if (!settings.enabled) return [...plugins, metricsPlugin()];
  const apiSchema = apiSchemaOf(supergraphSdl);
  return [
    ...plugins,
    operationLimitsPlugin<GatewayContext>(settings.limits),
    inputLimitsPlugin(),
    inputTypesPlugin(supergraphSdl),
    costPlugin({ schema: buildSchema(supergraphSdl), bucket: settings.bucket, tiers: settings.tiers }),
    authorizationPlugin({ supergraphSdl, policies: accessPolicies, mode: settings.authorizationMode }),
    accessRecordPlugin({ schema: apiSchema, sink: settings.audit }),
    minimizationPlugin({ schema: apiSchema, rules: minimizationPolicy }),
    metricsPlugin(),
  ];
}
