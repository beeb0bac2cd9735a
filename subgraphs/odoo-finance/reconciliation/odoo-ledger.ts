import { findCustomerInvoices, type CustomerInvoice } from '../accounting/customer-invoice.ts';
import type { OdooClient } from '../odoo/client.ts';

/**
 * Odoo's customer invoices that concern billing: the ones naming a billing invoice in their ref,
 * and any other of a patient's account (an invoice made in Odoo alone).
 */
export const readOdooLedger = (odoo: OdooClient, invoiceIds: readonly string[], partnerIds: readonly number[]): Promise<CustomerInvoice[]> =>
  findCustomerInvoices(odoo, ['|', ['ref', 'in', [...invoiceIds]], ['partner_id', 'in', [...partnerIds]]]);
