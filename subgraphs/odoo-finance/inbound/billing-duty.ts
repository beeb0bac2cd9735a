import type { EventPayloads } from '../../../platform/events/catalog.ts';

/**
 * What billing must do with a payment.posted: the contract of billing's consumer of the payments
 * Odoo announces, as a pure function. Billing runs it as a reaction of its own (a consumer group,
 * processedOnce) and carries the duty out in the reaction's transaction.
 */
export type BillingDuty =
  | { kind: 'NOTHING' }
  | {
      /**
       * Post the payment with billing's postPayment, under this idempotency key so a redelivery
       * posts nothing twice, and announce it as payment.posted with `origin: 'odoo'` and the
       * `odooPaymentId`, so the Odoo sync does not register it in Odoo a second time. A CONFLICT
       * (the invoice is balanced or cancelled, or the payment is more than its balance) is not
       * retried: the next reconciliation reports the difference.
       */
      kind: 'POST_PAYMENT';
      idempotencyKey: string;
      posting: { invoiceId: string; amountCents: number; method: 'BANK_TRANSFER'; reference: string };
      announce: { origin: 'odoo'; odooPaymentId: number };
    };

/** The reference billing records for a payment that came from Odoo. */
const odooPaymentReference = (odooPaymentId: number) => `odoo:account.payment/${odooPaymentId}`;

export function billingDutyFor(payment: EventPayloads['org.healthgraph.payment.posted.v1']): BillingDuty {
  const { paymentId, invoiceId, amountCents, origin, odooPaymentId } = payment;
  // Billing's own payments are already on its books.
  if (origin !== 'odoo' || amountCents === undefined || odooPaymentId === undefined) return { kind: 'NOTHING' };
  return {
    kind: 'POST_PAYMENT',
    idempotencyKey: paymentId,
    posting: { invoiceId, amountCents, method: 'BANK_TRANSFER', reference: odooPaymentReference(odooPaymentId) },
    announce: { origin: 'odoo', odooPaymentId },
  };
}
