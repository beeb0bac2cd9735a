// Runs the appointments subgraph as its own service: PORT, HOST, DATABASE_URL, DATABASE_SCHEMA.
import { runUntilSignalled } from '../../platform/process.ts';
import { startSubgraph, subgraphSettingsFromEnv } from '../../platform/subgraph/service.ts';
import { defaultPortOf } from '../../schema/catalog.ts';
import { appointmentsSubgraph } from './subgraph.ts';

runUntilSignalled(() => startSubgraph(appointmentsSubgraph, subgraphSettingsFromEnv('appointments', defaultPortOf('appointments'))));
