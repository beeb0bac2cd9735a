// Runs the webhooks subgraph as its own service: PORT, HOST, DATABASE_URL, DATABASE_SCHEMA (default
// webhooks: the schema the gateway's deliverer names with WEBHOOKS_SCHEMA), WEBHOOK_LOOPBACK_TARGETS.
import { runUntilSignalled } from '../../platform/process.ts';
import { startSubgraph, subgraphSettingsFromEnv } from '../../platform/subgraph/service.ts';
import { targetPolicyFromEnv } from '../../platform/webhooks/settings.ts';
import { webhooksSubgraph } from './subgraph.ts';

runUntilSignalled(() => startSubgraph(webhooksSubgraph(targetPolicyFromEnv()), subgraphSettingsFromEnv('webhooks')));
