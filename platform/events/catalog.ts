/**
 * Every domain event the graph announces: its type, payload and meaning. Payloads carry ids and
 * the least data a consumer needs to decide whether to act; a consumer that needs more asks the
 * graph, where authorization and minimization apply. Never names, birth dates or identifiers.
 * A payload's `patientId` and `payerId` are copied into the envelope's routing extensions.
 */
export type DemographicField = 'name' | 'birthDate' | 'gender' | 'telecom' | 'address';

/** An invoice line as the Odoo sync puts it on the Odoo invoice: a fee schedule code, its description, its amount. */
export interface InvoicedLine {
  code: string;
  description: string;
  amountCents: number;
}

/** Where a payment was first recorded: the Odoo sync never sends Odoo's own payments back to it. */
export type PaymentOrigin = 'billing' | 'odoo';

/** What a re-read of an Odoo invoice can find changed. */
export type OdooInvoiceChange = 'state' | 'paymentState' | 'residual';

export type ReconciliationMismatchKind = 'MISSING_IN_ODOO' | 'MISSING_IN_BILLING' | 'AMOUNT_DIFFERS' | 'STATE_DIFFERS';

/** A coverage as payers' row rules need it: who, which payer, whether in force and when (dates YYYY-MM-DD). */
export interface CoverageNotice {
  coverageId: string;
  patientId: string;
  payerId: string;
  status: 'ACTIVE' | 'CANCELLED' | 'DRAFT' | 'ENTERED_IN_ERROR';
  periodStart: string;
  periodEnd: string | null;
}

/** A data steward's merge of one patient record (`patientId`) into another (`survivorId`), or its undoing. */
export interface PatientMergeNotice {
  patientId: string;
  survivorId: string;
  mergeId: string;
}

/** An onboarding's state as its workflow announces it: ids and states only. */
export interface OnboardingNotice {
  onboardingId: string;
  patientId?: string;
  status: 'RUNNING' | 'WAITING' | 'COMPLETED' | 'STOPPED' | 'FAILED';
  waitingOn: 'FRONT_OFFICE' | 'PATIENT' | null;
}

export interface EventPayloads {
  'org.healthgraph.patient.registered.v1': { patientId: string };
  'org.healthgraph.patient.updated.v1': { patientId: string; changed: DemographicField[] };
  /** `patientId` is the record merged, now replaced by `survivorId`; `mergeId` names the merge an unmerge undoes. */
  'org.healthgraph.patient.merged.v1': PatientMergeNotice;
  'org.healthgraph.patient.unmerged.v1': PatientMergeNotice;
  'org.healthgraph.coverage.added.v1': CoverageNotice;
  'org.healthgraph.consent.recorded.v1': { consentId: string; patientId: string; category: string; decision: string };
  'org.healthgraph.appointment.booked.v1': { appointmentId: string; patientId: string; slotId: string };
  'org.healthgraph.appointment.confirmed.v1': { appointmentId: string; patientId: string };
  'org.healthgraph.appointment.cancelled.v1': { appointmentId: string; patientId: string; slotId: string };
  'org.healthgraph.appointment.rescheduled.v1': { appointmentId: string; patientId: string; previousSlotId: string; slotId: string };
  'org.healthgraph.appointment.checked_in.v1': { appointmentId: string; patientId: string };
  /** `serviceType` (e.g. cardiology) is what billing prices the encounter by; it names a service, not a diagnosis. */
  'org.healthgraph.encounter.completed.v1': { appointmentId: string; patientId: string; serviceType: string };
  'org.healthgraph.appointment.no_show.v1': { appointmentId: string; patientId: string };
  'org.healthgraph.charge.captured.v1': { chargeId: string; appointmentId: string; patientId: string };
  'org.healthgraph.charge.voided.v1': { chargeId: string; appointmentId: string; patientId: string };
  'org.healthgraph.claim.submitted.v1': { claimId: string; patientId: string; payerId: string };
  'org.healthgraph.claim.adjudicated.v1': { claimId: string; patientId: string; payerId: string; outcome: 'ACCEPTED' | 'DENIED' | 'PAID' };
  /** The optional fields are what the Odoo sync needs to create the invoice in Odoo; billing fills them (dates YYYY-MM-DD). */
  'org.healthgraph.invoice.issued.v1': {
    invoiceId: string;
    patientId: string;
    number?: string;
    issuedOn?: string;
    dueDate?: string;
    totalCents?: number;
    lines?: InvoicedLine[];
    /** The appointments whose charges it bills (absent from invoices issued before it was announced). */
    appointmentIds?: string[];
  };
  /**
   * The optional fields are what the Odoo sync needs to register the payment in Odoo. `origin` is
   * 'odoo' (with `odooPaymentId`) for a payment registered in Odoo first, which billing posted on
   * hearing odoo.payment_registered: the sync skips those.
   */
  'org.healthgraph.payment.posted.v1': {
    paymentId: string;
    invoiceId: string;
    patientId: string;
    amountCents?: number;
    receivedOn?: string;
    origin?: PaymentOrigin;
    odooPaymentId?: number;
  };
  /** Odoo's words for the new state ('draft', 'posted', 'cancel') and payment state ('not_paid', 'partial', 'in_payment', 'paid'...). */
  'org.healthgraph.invoice.updated.v1': {
    invoiceId: string;
    patientId: string;
    odooInvoiceId: number;
    changed: OdooInvoiceChange[];
    state: string;
    paymentState: string;
  };
  /**
   * A payment registered in Odoo by finance, as re-read from Odoo: billing posts it under
   * `paymentId` and announces it as payment.posted. Amounts are Odoo's, never a caller's.
   */
  'org.healthgraph.odoo.payment_registered.v1': {
    paymentId: string;
    odooPaymentId: number;
    invoiceId: string;
    patientId: string;
    amountCents: number;
    receivedOn: string;
  };
  'org.healthgraph.reconciliation.mismatch_found.v1': {
    mismatchId: string;
    kind: ReconciliationMismatchKind;
    invoiceId?: string;
    odooInvoiceId?: number;
    patientId?: string;
  };
  /** A front-office task (an Odoo activity) a person marked done; what they decided is read from the graph (`frontOfficeTask`). */
  'org.healthgraph.odoo.activity_done.v1': { odooActivityId: number; patientId: string };
  /** `reason` is a failure code, never a message: Odoo's messages may quote data. */
  'org.healthgraph.odoo.sync_failed.v1': { eventId: string; eventType: string; subject: string; patientId?: string; attempts: number; reason: string };
  /** Where an onboarding stands now; `patientId` once it has one. What else it holds is read from the graph (`onboarding(id)`). */
  'org.healthgraph.onboarding.changed.v1': OnboardingNotice;
}

export type EventType = keyof EventPayloads;

export interface CatalogEntry<Payload> {
  /** The subgraph that owns the aggregate and emits the event. */
  subgraph: 'patients' | 'appointments' | 'billing' | 'odoo-finance' | 'workflows';
  /** The FHIR resource the event is about; with `key`, the envelope's subject. */
  aggregate: string;
  key: keyof Payload & string;
  meaning: string;
}

const patient = { subgraph: 'patients', aggregate: 'Patient', key: 'patientId' } as const;
const coverage = { subgraph: 'patients', aggregate: 'Coverage', key: 'coverageId' } as const;
const consent = { subgraph: 'patients', aggregate: 'Consent', key: 'consentId' } as const;
// An encounter is the fulfilment of an appointment here: it has no id of its own.
const appointment = { subgraph: 'appointments', aggregate: 'Appointment', key: 'appointmentId' } as const;
const charge = { subgraph: 'billing', aggregate: 'ChargeItem', key: 'chargeId' } as const;
const claim = { subgraph: 'billing', aggregate: 'Claim', key: 'claimId' } as const;
const invoice = { subgraph: 'billing', aggregate: 'Invoice', key: 'invoiceId' } as const;
const payment = { subgraph: 'billing', aggregate: 'PaymentReconciliation', key: 'paymentId' } as const;
// Odoo's side of an invoice is news for billing, announced by the subgraph that reads Odoo.
const odooInvoice = { subgraph: 'odoo-finance', aggregate: 'Invoice', key: 'invoiceId' } as const;
const odooPayment = { subgraph: 'odoo-finance', aggregate: 'PaymentReconciliation', key: 'paymentId' } as const;
const mismatch = { subgraph: 'odoo-finance', aggregate: 'ReconciliationMismatch', key: 'mismatchId' } as const;
const odooTask = { subgraph: 'odoo-finance', aggregate: 'Task', key: 'odooActivityId' } as const;
const odooSync = { subgraph: 'odoo-finance', aggregate: 'OdooSync', key: 'eventId' } as const;
const onboarding = { subgraph: 'workflows', aggregate: 'Onboarding', key: 'onboardingId' } as const;

export const eventCatalog: { [T in EventType]: CatalogEntry<EventPayloads[T]> } = {
  'org.healthgraph.patient.registered.v1': { ...patient, meaning: 'A patient record was created.' },
  'org.healthgraph.patient.updated.v1': { ...patient, meaning: "A patient's demographics changed; the payload names the fields, not their values." },
  'org.healthgraph.patient.merged.v1': {
    ...patient,
    meaning: 'A data steward merged a duplicate record into the survivor: services holding references to the merged patient point them to the survivor, keeping which they moved.',
  },
  'org.healthgraph.patient.unmerged.v1': {
    ...patient,
    meaning: 'A data steward undid a merge: services point the references that merge moved back to the record, which is in use again.',
  },
  'org.healthgraph.coverage.added.v1': { ...coverage, meaning: 'A patient is now covered by a payer.' },
  'org.healthgraph.consent.recorded.v1': { ...consent, meaning: 'A patient permitted or denied a use of their data (category and decision).' },
  'org.healthgraph.appointment.booked.v1': { ...appointment, meaning: 'A slot was booked for a patient.' },
  'org.healthgraph.appointment.confirmed.v1': { ...appointment, meaning: 'The patient confirmed they will come.' },
  'org.healthgraph.appointment.cancelled.v1': { ...appointment, meaning: 'An appointment was cancelled and its slot freed.' },
  'org.healthgraph.appointment.rescheduled.v1': { ...appointment, meaning: 'An appointment moved to another slot.' },
  'org.healthgraph.appointment.checked_in.v1': { ...appointment, meaning: 'The patient arrived for the appointment.' },
  'org.healthgraph.encounter.completed.v1': { ...appointment, meaning: 'The encounter took place (appointment fulfilled); billing captures its charges by its service type.' },
  'org.healthgraph.appointment.no_show.v1': { ...appointment, meaning: 'The patient did not come; the slot stays used.' },
  'org.healthgraph.charge.captured.v1': { ...charge, meaning: 'A billable item from an encounter was recorded.' },
  'org.healthgraph.charge.voided.v1': { ...charge, meaning: 'A charge was voided and will not be billed.' },
  'org.healthgraph.claim.submitted.v1': { ...claim, meaning: 'A claim was sent to the payer.' },
  'org.healthgraph.claim.adjudicated.v1': { ...claim, meaning: 'The payer accepted, denied or paid a claim.' },
  'org.healthgraph.invoice.issued.v1': { ...invoice, meaning: 'An invoice was issued to the patient.' },
  'org.healthgraph.payment.posted.v1': { ...payment, meaning: 'A payment was applied to an invoice.' },
  'org.healthgraph.invoice.updated.v1': { ...odooInvoice, meaning: "The invoice's counterpart in Odoo changed (state, payment state or amount left), as re-read from Odoo." },
  'org.healthgraph.odoo.payment_registered.v1': { ...odooPayment, meaning: 'Finance registered a payment in Odoo; billing posts it and announces payment.posted.' },
  'org.healthgraph.reconciliation.mismatch_found.v1': { ...mismatch, meaning: 'A reconciliation run found billing and Odoo disagreeing about an invoice.' },
  'org.healthgraph.odoo.activity_done.v1': { ...odooTask, meaning: 'A person marked a front-office task done in Odoo (reported by the addon, checked against Odoo); workflows waiting on it go on.' },
  'org.healthgraph.odoo.sync_failed.v1': { ...odooSync, meaning: 'The Odoo sync gave up on an event after its retries; the event waits in the dead letters for a replay.' },
  'org.healthgraph.onboarding.changed.v1': { ...onboarding, meaning: "An onboarding's status or what it waits on changed, or it recorded a step (announced by its workflow, once per change)." },
};
