import { describe, expect, it } from 'vitest';
import { billingDutyFor } from '../../subgraphs/odoo-finance/inbound/billing-duty.ts';
import { invoiceIssued, newPatientId, paymentPosted } from './harness.ts';

describe("billing's duty on a payment.posted", () => {
  const issued = invoiceIssued(newPatientId(), [10_000]);

  it('posts a payment that came from Odoo once, marked so it is not sent back to Odoo', () => {
    const fromOdoo = paymentPosted(issued, 3_000, { paymentId: 'odoo-payment-7', origin: 'odoo', odooPaymentId: 7 });
    expect(billingDutyFor(fromOdoo.data)).toEqual({
      kind: 'POST_PAYMENT',
      idempotencyKey: 'odoo-payment-7',
      posting: { invoiceId: issued.data.invoiceId, amountCents: 3_000, method: 'BANK_TRANSFER', reference: 'odoo:account.payment/7' },
      announce: { origin: 'odoo', odooPaymentId: 7 },
    });
  });

  it("leaves billing's own payments alone", () => {
    expect(billingDutyFor(paymentPosted(issued, 3_000, { origin: 'billing' }).data)).toEqual({ kind: 'NOTHING' });
    expect(billingDutyFor(paymentPosted(issued, 3_000).data)).toEqual({ kind: 'NOTHING' });
  });
});
