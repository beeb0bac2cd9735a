// Runs the odoo-finance subgraph as its own service: PORT (4005), HOST, ODOO_WEBHOOK_TOKEN, DATABASE_URL, DATABASE_SCHEMA
// (odoo_finance), REDIS_URL and EVENT_LOG_* (its outbox and the Odoo sync's consumer group), and
// Odoo's settings (see settings.ts), ODOO_URL required.
import { withEventLogFromEnv } from '../../platform/events/with-event-log.ts';
import { runUntilSignalled } from '../../platform/process.ts';
import { startSubgraph, subgraphSettingsFromEnv } from '../../platform/subgraph/service.ts';
import { OdooClient } from './odoo/client.ts';
import { requiredOdooSettingsFromEnv, webhookTokenFromEnv } from './settings.ts';
import { odooFinanceSubgraph } from './subgraph.ts';

runUntilSignalled(() =>
  withEventLogFromEnv(async (eventLog) => {
    const odoo = new OdooClient(requiredOdooSettingsFromEnv());
    return startSubgraph(odooFinanceSubgraph(odoo, { webhookToken: webhookTokenFromEnv() }), {
      ...subgraphSettingsFromEnv('odoo-finance'),
      eventLog,
    });
  }),
);
