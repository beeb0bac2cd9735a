import { createHash } from 'node:crypto';
import { getOperationAST, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import type { Caller } from '../../platform/caller.ts';
import type { AccessPolicies } from '../../policies/access-policies.ts';
import { pruneOperation, type AuthorizedOperation, type DeniedField } from './authorize-operation.ts';
import { callerRightsFor, type CallerRights } from '../../platform/authorization/caller-rights.ts';
import { forbiddenErrors, operationForbidden, restoreDeniedFields } from './denied-response.ts';
import { conditionValues, type ConditionValues } from './include-conditions.ts';
import { boundedCache, cachedOr } from '../../platform/cache.ts';
import { readSupergraphSecurity } from './security-directives.ts';

export interface AuthorizationContext {
  /** Null for an anonymous request. */
  caller: Caller | null;
  /** Written here for the plugins after this one (the access record): what this caller was refused. */
  authorization?: { denied: readonly DeniedField[] };
}

export interface AuthorizationPluginOptions {
  /** The supergraph as composed, with its security directives (not the executable one). */
  supergraphSdl: string;
  policies: AccessPolicies;
  /** 'filter' (default) answers denied fields with null and an error; 'reject' refuses the operation. */
  mode?: 'filter' | 'reject';
  /** Rewrites kept, one per operation, variables that steer @skip/@include, and class of caller. */
  cacheSize?: number;
}

/** A rewrite ready to execute: what the request context gets in place of its own. */
interface Rewrite extends AuthorizedOperation {
  replacement?: {
    document: DocumentNode;
    operation: OperationDefinitionNode | undefined;
    source: string;
    queryHash: string;
  };
}

type ResolvedContext = GraphQLRequestContextDidResolveOperation<AuthorizationContext>;

function rewrite(context: ResolvedContext, authorized: AuthorizedOperation): Rewrite {
  const { document } = authorized;
  if (!document || document === context.document) return authorized;
  const source = print(document);
  const queryHash = createHash('sha256').update(source).digest('hex');
  const operation = getOperationAST(document, context.operationName) ?? undefined;
  return { ...authorized, replacement: { document, operation, source, queryHash } };
}

/**
 * Field-level authorization from the supergraph's @authenticated, @requiresScopes and @policy,
 * after the operation is resolved and before it is planned. The gateway's executor plans from
 * `document` and caches plans by `queryHash`, so both are replaced (with `source` and `operation`),
 * and callers who see different fields never share a plan.
 */
export function authorizationPlugin(options: AuthorizationPluginOptions): ApolloServerPlugin<AuthorizationContext> {
  const { policies, mode = 'filter', cacheSize = 5_000 } = options;
  const security = readSupergraphSecurity(options.supergraphSdl);
  const rightsOf = callerRightsFor(security, policies);
  const rewrites = boundedCache<string, Rewrite>(cacheSize);
  const authorize = (context: ResolvedContext, conditions: ConditionValues, rights: CallerRights) => {
    const key = JSON.stringify([context.queryHash, context.operationName, conditions, rights.key]);
    return cachedOr(rewrites, key, () => rewrite(context, pruneOperation(context.document, context.operationName, conditions, rights, security)));
  };

  return {
    async requestDidStart() {
      let authorized: Rewrite | undefined;
      return {
        async didResolveOperation(context) {
          if (!context.operation) return;
          const conditions = conditionValues(context.operation, context.request.variables);
          const result = authorize(context, conditions, rightsOf(context.contextValue.caller));
          // Left for the access record before anything else: a refused operation is on record too.
          context.contextValue.authorization = { denied: result.denied };
          if (mode === 'reject' && result.denied.length > 0) throw operationForbidden(result.denied);
          authorized = result;
          // Typed read-only, but Apollo Server hands this same object to the executor after this hook.
          if (result.replacement) Object.assign(context, result.replacement);
        },
        async responseForOperation(context) {
          if (authorized?.document !== null) return null;
          return { http: context.response.http, body: { kind: 'single', singleResult: { data: {} } } };
        },
        async willSendResponse({ response }) {
          if (!authorized || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.data) result.data = restoreDeniedFields(result.data, authorized);
          if (authorized.denied.length === 0) return;
          result.errors = [...(result.errors ?? []), ...forbiddenErrors(authorized.denied)];
        },
      };
    },
  };
}
