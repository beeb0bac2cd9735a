import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { DomainError, ErrorCode } from '../../platform/errors.ts';
import { clientTiers, tierForClient, type ClientTiers } from '../../policies/client-tiers.ts';
import { minimumCharge } from '../../policies/quotas.ts';
import type { Caller } from '../../platform/caller.ts';
import type { BucketState, CostBucket } from '../rate-limit/cost-bucket.ts';
import { responsePricing, type ResponsePricing } from './actual-cost.ts';
import { CostSchema } from './cost-schema.ts';
import { estimateCost } from './estimate-cost.ts';
import { OperationCache } from './operation-cache.ts';

export interface CostContext {
  caller: Caller | null;
}

export interface CostPluginOptions {
  /** The supergraph, `buildSchema(supergraphSdl)`: the API schema Apollo validates against has no @cost or @listSize. */
  schema: GraphQLSchema;
  bucket: CostBucket;
  tiers?: ClientTiers;
  defaultListSize?: number;
}

/** `extensions.cost` of every response, as Shopify's GraphQL Admin API reports it. */
export interface CostExtension {
  /** The estimate; null when the request failed before its operation was known. */
  requestedQueryCost: number | null;
  /** From the returned data; null when nothing ran. */
  actualQueryCost: number | null;
  /** The caller's bucket after this request; null when the bucket could not be read. */
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } | null;
}

/**
 * Demand control per caller, in `didResolveOperation`: after validation, before @apollo/gateway plans.
 * An operation whose estimate is above the tier's maximum is refused with COST_LIMIT_EXCEEDED and HTTP 400:
 * it will never run as written, so waiting does not help; 400 as for any operation the server refuses to
 * run. Otherwise the estimate is taken from the caller's bucket; when it does not fit: RATE_LIMITED, HTTP 429
 * and Retry-After, since waiting does help. After execution the part of the estimate the data did not use
 * is given back, down to the minimum charge of policies/quotas.ts (nothing is charged beyond the estimate),
 * and operations that never ran are not charged.
 */
export function costPlugin({ schema, bucket, tiers = clientTiers, defaultListSize }: CostPluginOptions): ApolloServerPlugin<CostContext> {
  const costSchema = new CostSchema(schema, defaultListSize);
  const estimates = new OperationCache<number>();
  const pricings = new OperationCache<ResponsePricing>();
  return {
    async requestDidStart({ contextValue: { caller } }) {
      const tier = tierForClient(caller?.clientId ?? null, tiers);
      // One bucket per user or service account of each client, so a portal's patients do not share one budget.
      const key = caller ? `${caller.clientId}:${caller.subject}` : 'anonymous';
      let requested: number | null = null;
      // Kept to settle on the way out: another plugin may end the request while the take is under way.
      let charge: { points: number; state: Promise<BucketState> } | undefined;

      return {
        async didResolveOperation({ queryHash, document, request, operationName, logger }) {
          requested = estimates.get({ queryHash, operationName, variables: request.variables }, (variables) =>
            estimateCost(costSchema, document, variables, operationName),
          );
          if (requested > tier.maxCostPerOperation) throw costLimitExceeded(requested, tier.maxCostPerOperation);
          charge = { points: requested, state: bucket.take(key, requested, tier) };
          const state = await charge.state.catch((error: unknown) => {
            logger.error(`Cost bucket unavailable: ${String(error)}`);
            throw new DomainError(ErrorCode.UPSTREAM_UNAVAILABLE, 'Rate limiting is unavailable; try again shortly', {
              http: { status: 503 },
            });
          });
          if (!state.allowed) throw rateLimited(state);
        },

        async willSendResponse({ response, queryHash, document, request, operationName, logger }) {
          // @apollo/gateway answers with single results only.
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const pricing =
            'data' in result && document && queryHash
              ? pricings.get({ queryHash, operationName, variables: request.variables }, (variables) => responsePricing(costSchema, document, variables, operationName))
              : undefined;
          const actual = pricing ? pricing(result.data) : null;
          let throttle: BucketState | null = null;
          try {
            // Give back what the data did not use, down to the minimum charge of an operation that ran (one whose
            // results were filtered to nothing is not free); without a take, read the bucket as it is.
            const taken = charge && (await charge.state).allowed ? charge.points : 0;
            const unused = actual === null ? taken : Math.max(0, taken - Math.max(actual, minimumCharge(taken)));
            throttle = charge && unused === 0 ? await charge.state : await bucket.take(key, -unused, tier);
          } catch (error) {
            logger.warn(`Cost bucket unavailable: ${String(error)}`);
          }
          const cost: CostExtension = {
            requestedQueryCost: requested,
            actualQueryCost: actual,
            throttleStatus: throttle && {
              maximumAvailable: throttle.maximumAvailable,
              currentlyAvailable: Math.floor(throttle.currentlyAvailable),
              restoreRate: throttle.restoreRate,
            },
          };
          result.extensions = { ...result.extensions, cost };
        },
      };
    },
  };
}

function costLimitExceeded(requested: number, maximum: number): DomainError {
  return new DomainError(ErrorCode.COST_LIMIT_EXCEEDED, `Operation cost ${requested} is above this client's maximum of ${maximum}`, {
    requestedQueryCost: requested,
    maximumCost: maximum,
    http: { status: 400 },
  });
}

function rateLimited(state: BucketState): DomainError {
  return new DomainError(ErrorCode.RATE_LIMITED, `Cost budget used up; retry in ${state.retryAfterMs} ms`, {
    retryAfterMs: state.retryAfterMs,
    http: { status: 429, headers: new HeaderMap([['retry-after', String(Math.ceil(state.retryAfterMs / 1000))]]) },
  });
}
