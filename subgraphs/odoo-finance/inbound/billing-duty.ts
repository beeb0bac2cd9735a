import type { DomainEvent } from '../../../platform/events/envelope.ts';

/**
 * What billing must do with an event from the odoo-finance subgraph: the contract of billing's
 * consumer, written here as a pure function so both sides test against it. Billing runs it in a
 * consumer group of its own and carries the duty out in one transaction with processedOnce.
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
export const odooPaymentReference = (odooPaymentId: number) => `odoo:account.payment/${odooPaymentId}`;

export function billingDutyFor(event: DomainEvent): BillingDuty {
  if (event.type !== 'org.healthgraph.payment.posted.v1') return { kind: 'NOTHING' };
  const { paymentId, invoiceId, amountCents, origin, odooPaymentId } = event.data;
  // Billing's own payments are already on its books.
  if (origin !== 'odoo' || amountCents === undefined || odooPaymentId === undefined) return { kind: 'NOTHING' };
  return {
    kind: 'POST_PAYMENT',
    idempotencyKey: paymentId,
    posting: { invoiceId, amountCents, method: 'BANK_TRANSFER', reference: odooPaymentReference(odooPaymentId) },
    announce: { origin: 'odoo', odooPaymentId },
  };
}
