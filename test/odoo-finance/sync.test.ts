import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DomainEvent } from '../../platform/events/envelope.ts';
import type { RunningLoop } from '../../platform/events/loop.ts';
import { createLogger } from '../../platform/logger.ts';
import { ODOO_SYNC_GROUP, startOdooSync } from '../../subgraphs/odoo-finance/sync/odoo-sync.ts';
import { openTestEventLog, type TestEventLog } from '../events/event-logs.ts';
import {
  eachVersion,
  invoiceIdOf,
  invoiceIssued,
  newPatientId,
  odooInvoicesOf,
  openFinanceWorld,
  outboxEvents,
  patientIdOf,
  paymentPosted,
  type FinanceWorld,
  type InvoiceIssued,
} from './harness.ts';

const waitLong = { timeout: 15_000, interval: 20 };

describe.each(eachVersion)('the Odoo sync on Odoo $version and $engine', ({ version, url }) => {
  let world: FinanceWorld;
  let events: TestEventLog;
  let sync: RunningLoop;
  const settledState = version >= 18 ? 'in_payment' : 'paid';

  beforeAll(async () => {
    world = await openFinanceWorld(version, url);
    events = await openTestEventLog(undefined);
    const options = { maxAttempts: 2, backoff: { initialMs: 10, maxMs: 40 }, catchUpIntervalMs: 50 };
    sync = startOdooSync({ db: world.db, log: events.log, odoo: world.client, logger: createLogger('odoo-sync-test'), options });
  });
  afterAll(async () => {
    await sync?.close();
    await events?.dispose();
    await world?.close();
  });

  const isSynced = async (issued: InvoiceIssued) => {
    const [link] = await world.db.query('SELECT synced_at FROM invoice_link WHERE invoice_id = $1', [invoiceIdOf(issued)]);
    expect(link?.synced_at).toBeTruthy();
  };

  /** Appends the events, then waits for a sentinel behind them: one consumer handles them in order. */
  async function deliver(...delivered: DomainEvent[]): Promise<void> {
    const sentinel = invoiceIssued(newPatientId(), [100]);
    for (const event of [...delivered, sentinel]) await events.log.append(event);
    await vi.waitFor(() => isSynced(sentinel), waitLong);
  }

  const paymentsOf = (patientId: string) => world.client.searchRead('res.partner', [['ref', '=', patientId]], { fields: ['name'] }).then(async ([partner]) =>
    partner ? world.client.searchRead('account.payment', [['partner_id', '=', partner.id]], { fields: ['amount'] }) : []);

  it('creates and posts exactly one Odoo invoice when invoice.issued is delivered twice and announced twice', async () => {
    const patientId = newPatientId();
    const issued = invoiceIssued(patientId, [12_000, 4_550]);
    await deliver(issued, issued, { ...issued, id: randomUUID() });

    const [invoice, ...others] = await odooInvoicesOf(world.client, invoiceIdOf(issued));
    expect(others).toEqual([]);
    expect(invoice).toMatchObject({ state: 'posted', payment_state: 'not_paid', amount_total: 165.5, amount_residual: 165.5, invoice_date_due: '2026-04-01' });
    expect(invoice?.payment_reference).toBe((issued.data as { number: string }).number);
    const partners = await world.client.searchRead('res.partner', [['ref', '=', patientId]], { fields: ['name', 'customer_rank'] });
    // The patient's account is named by the patient id: the event carries no name, and Odoo gets none.
    expect(partners).toEqual([{ id: expect.any(Number), name: patientId, customer_rank: 1 }]);
    // The product lines: line_ids also holds the receivable line Odoo adds.
    const lines = await world.client.searchRead('account.move.line', [['move_id', '=', invoice!.id], ['display_type', '=', 'product']], { fields: ['name', 'price_unit'], order: 'id' });
    expect(lines.map(({ name, price_unit }) => [name, price_unit])).toEqual([['99210 Service 1', 120], ['99211 Service 2', 45.5]]);
  });

  it('registers each payment once, and the residual reaches zero', async () => {
    const issued = invoiceIssued(newPatientId(), [10_000]);
    const first = paymentPosted(issued, 4_000);
    const second = paymentPosted(issued, 6_000);
    await deliver(issued, first, first, second);

    expect((await paymentsOf(patientIdOf(issued))).map((payment) => payment.amount)).toEqual([40, 60]);
    expect(await odooInvoicesOf(world.client, invoiceIdOf(issued))).toMatchObject([{ amount_residual: 0, payment_state: settledState }]);
  });

  it('keeps a payment that arrives before its invoice until the invoice is in Odoo', async () => {
    const issued = invoiceIssued(newPatientId(), [5_000]);
    await deliver(paymentPosted(issued, 5_000), issued);
    expect(await odooInvoicesOf(world.client, invoiceIdOf(issued))).toMatchObject([{ amount_residual: 0, payment_state: settledState }]);
  });

  it('does not send a payment that came from Odoo back to Odoo', async () => {
    const issued = invoiceIssued(newPatientId(), [5_000]);
    await deliver(issued, paymentPosted(issued, 5_000, { origin: 'odoo', odooPaymentId: 999_999 }));
    expect(await paymentsOf(patientIdOf(issued))).toEqual([]);
    expect(await odooInvoicesOf(world.client, invoiceIdOf(issued))).toMatchObject([{ amount_residual: 50, payment_state: 'not_paid' }]);
  });

  it('catches up once Odoo is back from an outage, without a second invoice or payment', async () => {
    const paid = invoiceIssued(newPatientId(), [7_000]);
    const payment = paymentPosted(paid, 7_000);
    const unpaid = invoiceIssued(newPatientId(), [3_000]);
    world.odoo.setDown(true);
    try {
      for (const event of [paid, payment, unpaid]) await events.log.append(event);
      // The payment is kept for its invoice without asking Odoo; the two invoices are given up on.
      await vi.waitFor(async () => expect(await events.log.deadLetters(ODOO_SYNC_GROUP)).toHaveLength(2), waitLong);
    } finally {
      world.odoo.setDown(false);
    }
    await vi.waitFor(async () => {
      await isSynced(unpaid);
      expect(await odooInvoicesOf(world.client, invoiceIdOf(paid))).toMatchObject([{ amount_residual: 0 }]);
    }, waitLong);
    await deliver(paid, payment, unpaid);

    expect(await odooInvoicesOf(world.client, invoiceIdOf(paid))).toHaveLength(1);
    expect(await odooInvoicesOf(world.client, invoiceIdOf(unpaid))).toHaveLength(1);
    expect((await paymentsOf(patientIdOf(paid))).map((found) => found.amount)).toEqual([70]);
    expect(await events.log.deadLetters(ODOO_SYNC_GROUP)).toEqual([]);
    // Operations heard of each event given up on, by code only.
    const failed = await outboxEvents(world.db, 'org.healthgraph.odoo.sync_failed.v1');
    expect(failed.map((event) => event.data.eventId).sort()).toEqual([paid.id, unpaid.id].sort());
    expect(failed.every((event) => ['OdooTransientError', 'OdooUnavailableError'].includes(event.data.reason))).toBe(true);
  });
});
