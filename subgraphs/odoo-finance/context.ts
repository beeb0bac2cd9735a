import type { Database } from '../../platform/database/database.ts';
import { childrenLoader, entityLoader } from '../../platform/subgraph/loaders.ts';
import { findCustomerInvoices, INVOICE_FIELDS, LINE, LINE_FIELDS, MOVE } from './accounting/customer-invoice.ts';
import { paymentsOfPartners } from './accounting/customer-payment.ts';
import { findPatientPartners } from './accounting/patient-partner.ts';
import { odooReports } from './inbound/odoo-reports.ts';
import type { OdooClient } from './odoo/client.ts';
import { SyncStore } from './sync-store.ts';
import { frontOfficeTasks, type FrontOfficeTaskSettings } from './tasks/front-office-tasks.ts';

const partnerIdsOf = (keys: readonly string[]) => keys.map(Number);

/** Per request: one Odoo read (or search) per model for everything the request asks of it, never one per record. */
export function odooFinanceContext(db: Database, odoo: OdooClient, taskSettings: FrontOfficeTaskSettings = {}) {
  const store = new SyncStore(db);
  return {
    db,
    reports: odooReports(db, odoo),
    tasks: frontOfficeTasks(db, odoo, taskSettings),
    odoo,
    invoiceLinks: entityLoader((ids) => store.invoiceLinks(ids), (link) => link.invoiceId),
    invoices: odoo.reader(MOVE, INVOICE_FIELDS),
    invoiceLines: odoo.reader(LINE, LINE_FIELDS),
    patientPartners: entityLoader((patientIds) => findPatientPartners(odoo, patientIds), (partner) => partner.ref),
    // Keyed by the partner id as a string, as the kit's loaders are.
    partnerInvoices: childrenLoader((keys) => findCustomerInvoices(odoo, [['partner_id', 'in', partnerIdsOf(keys)]]), (invoice) => String(invoice.partnerId)),
    partnerPayments: childrenLoader((keys) => paymentsOfPartners(odoo, partnerIdsOf(keys)), (payment) => String(payment.partnerId)),
  };
}

export type OdooFinanceContext = ReturnType<typeof odooFinanceContext>;
