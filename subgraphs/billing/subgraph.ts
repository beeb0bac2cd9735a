import { setting } from '../../platform/config.ts';
import type { ConsumeOptions } from '../../platform/events/event-log.ts';
import type { SubgraphModule } from '../../platform/subgraph/service.ts';
import { subgraphSdl } from '../../schema/catalog.ts';
import { billingContext } from './context.ts';
import { guardedPayer } from './payers/guarded-payer.ts';
import type { PayerAdapter } from './payers/payer-adapter.ts';
import { SimulatedPayer } from './payers/simulated-payer.ts';
import { resolvers } from './resolvers.ts';
import { billingConsumerGroups, startBillingWorkers } from './workers/billing-workers.ts';

/** A payer slower than this is treated as down: the caller gets UPSTREAM_UNAVAILABLE instead of a hung request. */
const PAYER_TIMEOUT_MS = 10_000;

/**
 * The billing subgraph talking to payers through `payer`: the place a clearing-house adapter plugs
 * in. `reactions` overrides how its workers retry (tests retry fast).
 */
export function billingSubgraphWith(payer: PayerAdapter, reactions: ConsumeOptions = {}): SubgraphModule<ReturnType<typeof billingContext>> {
  const guarded = guardedPayer(payer, PAYER_TIMEOUT_MS);
  return {
    name: 'billing',
    sdl: subgraphSdl('billing'),
    migrations: new URL('./migrations/', import.meta.url),
    resolvers,
    context: (db, scope) => billingContext(db, guarded, scope),
    workers: (db, eventLog, logger) => startBillingWorkers(db, eventLog, logger, reactions),
    operations: () => ({ consumerGroups: billingConsumerGroups, dependencies: [{ name: 'payer', essential: false, probe: () => guarded.ping() }] }),
  };
}

/** With the simulated payer; PAYER_LATENCY_MS makes it answer as slowly as a real clearing house. */
export const billingSubgraph = billingSubgraphWith(new SimulatedPayer({ latencyMs: setting('PAYER_LATENCY_MS') }));
