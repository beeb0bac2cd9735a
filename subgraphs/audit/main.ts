// Runs the audit subgraph as its own service: PORT, HOST, DATABASE_URL, DATABASE_SCHEMA (default audit).
import { runUntilSignalled } from '../../platform/process.ts';
import { startSubgraph, subgraphSettingsFromEnv } from '../../platform/subgraph/service.ts';
import { auditSubgraph } from './subgraph.ts';

runUntilSignalled(() => startSubgraph(auditSubgraph, subgraphSettingsFromEnv('audit')));
