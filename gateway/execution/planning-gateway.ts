import { ApolloGateway, type GatewayConfig, type GraphQLDataSource } from '@apollo/gateway';
import { buildOperationContext, type OperationContext } from '@apollo/gateway/dist/operationContext.js';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { QueryPlan, QueryPlanner } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayExecutor, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { executePlan } from './execute-plan.ts';

/** The members of ApolloGateway its executor uses: private in its types, stable across 2.x. */
interface GatewayInternals {
  schema: GraphQLSchema;
  apiSchema: Schema;
  supergraphSchema: GraphQLSchema;
  queryPlanner: QueryPlanner;
  queryPlanStore: { get(key: string): Promise<QueryPlan | undefined>; set(key: string, plan: QueryPlan): Promise<void> };
  serviceMap: Record<string, { dataSource: GraphQLDataSource }>;
  recursiveSelectionsLimitDisabled: boolean;
  nonLocalSelectionsLimitDisabled: boolean;
  validateIncomingRequest(requestContext: GatewayGraphQLRequestContext, operationContext: OperationContext): GraphQLError[];
}

/**
 * @apollo/gateway composes, loads and plans, as it does on its own (same plan cache, same
 * validation); the plans are executed by ours (`executePlan`), which sends fewer subgraph requests
 * and does less work per response.
 */
export class PlanningGateway extends ApolloGateway {
  constructor(config: GatewayConfig) {
    super(config);
    (this as unknown as { executor: GatewayExecutor }).executor = (requestContext) => this.executeOperation(requestContext);
  }

  private async executeOperation(requestContext: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> {
    const gateway = this as unknown as GatewayInternals;
    const { request, document, queryHash } = requestContext;
    const operationContext = buildOperationContext({ schema: gateway.schema, operationDocument: document, operationName: request.operationName });
    const validationErrors = gateway.validateIncomingRequest(requestContext, operationContext);
    if (validationErrors.length > 0) return { errors: validationErrors };
    // The plan store's key as @apollo/gateway makes it, minus the hash: the query hash is one already.
    const planKey = request.operationName ? `${queryHash}:${request.operationName}` : queryHash;
    let queryPlan = await gateway.queryPlanStore.get(planKey);
    if (!queryPlan) {
      const operation = operationFromDocument(gateway.apiSchema, document, { operationName: request.operationName });
      queryPlan = gateway.queryPlanner.buildQueryPlan(operation, {
        recursiveSelectionsLimitDisabled: gateway.recursiveSelectionsLimitDisabled,
        nonLocalSelectionsLimitDisabled: gateway.nonLocalSelectionsLimitDisabled,
      });
      await gateway.queryPlanStore.set(planKey, queryPlan);
    }
    const services: Record<string, GraphQLDataSource> = Object.create(null);
    for (const [name, { dataSource }] of Object.entries(gateway.serviceMap)) services[name] = dataSource;
    return executePlan({ queryPlan, services, requestContext, operationContext, supergraphSchema: gateway.supergraphSchema, apiSchema: gateway.apiSchema });
  }
}
