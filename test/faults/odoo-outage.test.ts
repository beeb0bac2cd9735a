// Issue 12, finding 3: with Odoo down, 4 invoices were issued, then Redis restarted without its data:
// the invoices never reached Odoo and no dead letter listed them. Here Odoo goes away, invoices are
// issued through the gateway, Redis restarts EMPTY (the events and any dead letters gone), Odoo comes
// back: every invoice must reach Odoo exactly once, posted, within the bound, from the sync's own
// records, and the API keeps answering meanwhile (the Odoo outage that held, kept holding).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OdooClient } from '../../subgraphs/odoo-finance/odoo/client.ts';
import { graphql } from '../support/graphql.ts';
import { expectNoCrash, report } from './harness/checks.ts';
import { startFaultSystem, type FaultSystem } from './harness/system.ts';

const INVOICES = 4;
/**
 * From Odoo back until every invoice is posted there: the catch-up loop's backoff after failing passes
 * (up to 30 s) and the pushes themselves.
 */
const CATCH_UP_BOUND_MS = 45_000;

const ISSUE = `mutation Issue($patientId: ID!, $key: String) {
  issueInvoice(patientId: $patientId, idempotencyKey: $key) { id number status }
}`;

describe('Odoo outage, and Redis coming back empty meanwhile', () => {
  let system: FaultSystem;
  beforeAll(async () => {
    system = await startFaultSystem();
  });
  afterAll(() => system?.close());

  it('puts every invoice issued during the outage into Odoo exactly once, from the records', async () => {
    const billing = await system.database('billing');
    const patients = await billing.query<{ patient_id: string }>(
      `SELECT DISTINCT patient_id FROM charge WHERE status = 'PENDING' ORDER BY patient_id LIMIT $1`,
      [INVOICES],
    );
    expect(patients).toHaveLength(INVOICES);
    const specialist = await system.bearer({ role: 'billing_specialist', subject: 'faults-odoo-billing' });

    system.odooProxy.setDown(true);
    const invoiceIds: string[] = [];
    for (const { patient_id: patientId } of patients) {
      const { data, errors } = await graphql(system.url, ISSUE, { patientId, key: `faults-odoo-${patientId}` }, specialist);
      expect(errors, JSON.stringify(errors)).toBeUndefined();
      invoiceIds.push(data!.issueInvoice.id);
    }

    // The sync has begun on them and failed: its consumer retries the first with backoff while the
    // others wait in Redis, so some events are held only there when Redis loses its data.
    const odooFinance = await system.database('odoo-finance');
    await expect
      .poll(async () => (await odooFinance.query('SELECT invoice_id FROM invoice_link WHERE invoice_id = ANY($1)', [invoiceIds])).length, { timeout: 30_000, interval: 100 })
      .toBeGreaterThan(0);
    await expect.poll(() => system.odooProxy.requests.filter((request) => !request.answer).length, { timeout: 30_000, interval: 100 }).toBeGreaterThan(0);
    const recordedBeforeLoss = (await odooFinance.query('SELECT invoice_id FROM invoice_link WHERE invoice_id = ANY($1)', [invoiceIds])).length;

    // Redis loses everything: the events, the consumer groups' pending entries, the dead letters.
    await system.redis.stop();
    await system.redis.start();
    system.odooProxy.setDown(false);
    const backAt = performance.now();

    const odoo = odooClient(system);
    const postedOnce = async () => {
      const moves = await odoo.searchRead('account.move', [['ref', 'in', invoiceIds]], { fields: ['ref', 'state'] });
      return invoiceIds.map((id) => moves.filter((move) => move.ref === id).map((move) => move.state));
    };
    await expect.poll(postedOnce, { timeout: CATCH_UP_BOUND_MS + 30_000, interval: 250 }).toEqual(invoiceIds.map(() => ['posted']));
    const caughtUpAfter = performance.now() - backAt;

    // The sync records an invoice as synced after Odoo posted it (its own commit, a moment later); then
    // nothing doubles either: the event consumers, resumed on an empty Redis, find nothing to redo.
    const synced = async () =>
      (await odooFinance.query('SELECT invoice_id FROM invoice_link WHERE invoice_id = ANY($1) AND synced_at IS NOT NULL', [invoiceIds])).length;
    await expect.poll(synced, { timeout: 10_000, interval: 100 }).toBe(INVOICES);
    expect(await postedOnce()).toEqual(invoiceIds.map(() => ['posted']));

    report('Odoo outage, Redis back empty', {
      invoicesIssuedDuringOutage: INVOICES,
      knownToTheSyncWhenRedisWasLost: recordedBeforeLoss,
      inOdooOnceAfterMs: Math.round(caughtUpAfter),
      odooCallsRefusedDuringOutage: system.odooProxy.requests.filter((request) => !request.answer).length,
    });
    expectNoCrash();
    expect(caughtUpAfter).toBeLessThan(CATCH_UP_BOUND_MS);
  });
});

/** Straight to the bundled Odoo (not through the proxy), as its settings were printed at start. */
function odooClient(system: FaultSystem): OdooClient {
  const line = system.odoo.recentLines(/ODOO_URL=/)[0]!;
  const setting = (name: string) => new RegExp(`${name}=(\\S+)`).exec(line)![1]!;
  return new OdooClient({ url: setting('ODOO_URL'), db: setting('ODOO_DB'), login: setting('ODOO_USER'), apiKey: setting('ODOO_API_KEY') });
}
