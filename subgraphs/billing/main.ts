// Runs the billing subgraph as its own service: PORT, HOST, DATABASE_URL, DATABASE_SCHEMA, PAYER_LATENCY_MS.
import { runUntilSignalled } from '../../platform/process.ts';
import { startSubgraph, subgraphSettingsFromEnv } from '../../platform/subgraph/service.ts';
import { defaultPortOf } from '../../schema/catalog.ts';
import { billingSubgraph } from './subgraph.ts';

runUntilSignalled(() => startSubgraph(billingSubgraph, subgraphSettingsFromEnv('billing', defaultPortOf('billing'))));
