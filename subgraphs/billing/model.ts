/** The billing subgraph's records, as its resolvers see them. Amounts are integer cents. */
export interface Payer {
  id: string;
  name: string;
  /** The payer's own identifier (payer id, tax id), when known. */
  identifier: string | null;
}

export interface FeeScheduleEntry {
  code: string;
  description: string;
  amountCents: number;
}

export type ChargeStatus = 'PENDING' | 'INVOICED' | 'VOID';

export interface Charge {
  id: string;
  appointmentId: string;
  patientId: string;
  code: string;
  description: string;
  amountCents: number;
  status: ChargeStatus;
  invoiceId: string | null;
  capturedAt: Date;
}

export type ClaimStatus = 'DRAFT' | 'SUBMITTED' | 'ACCEPTED' | 'DENIED' | 'PAID';

export interface Claim {
  id: string;
  status: ClaimStatus;
  payerId: string;
  patientId: string;
  memberId: string;
  totalCents: number;
  approvedCents: number | null;
  denialReason: string | null;
  payerReference: string | null;
  createdAt: Date;
  submittedAt: Date | null;
  adjudicatedAt: Date | null;
}

export type InvoiceStatus = 'ISSUED' | 'BALANCED' | 'CANCELLED';

export interface Invoice {
  id: string;
  number: string;
  patientId: string;
  status: InvoiceStatus;
  totalCents: number;
  paidCents: number;
  issuedAt: Date;
  dueDate: string;
}

export type PaymentMethod = 'CARD' | 'CASH' | 'BANK_TRANSFER' | 'INSURANCE';

export interface Payment {
  id: string;
  invoiceId: string;
  amountCents: number;
  method: PaymentMethod;
  reference: string | null;
  receivedAt: Date;
}

export interface ChargeCapture {
  appointmentId: string;
  patientId: string;
  codes: string[];
}

export interface ClaimDraft {
  patientId: string;
  payerId: string;
  memberId: string;
  chargeIds: string[];
}

export type AdjudicationOutcome = 'ACCEPTED' | 'DENIED' | 'PAID';

export interface Adjudication {
  claimId: string;
  outcome: AdjudicationOutcome;
  approvedAmount?: number | null;
  denialReason?: string | null;
}

export interface PaymentPosting {
  invoiceId: string;
  amountCents: number;
  method: PaymentMethod;
  reference: string | null;
}
