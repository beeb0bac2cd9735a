/**
 * How billing talks to payers: a clearing house in production, the simulated payer until then.
 * Implementations may throw anything when the payer cannot be reached; guardedPayer turns that
 * into UPSTREAM_UNAVAILABLE.
 */
export interface PayerAdapter {
  /** FHIR CoverageEligibilityRequest: does the payer cover this service for this patient? */
  checkEligibility(request: EligibilityRequest): Promise<EligibilityAnswer>;
  /** Sends a claim; the payer's decision comes later, through recordAdjudication. */
  submitClaim(claim: ClaimSubmission): Promise<SubmissionReceipt>;
  /** Resolves when the clearing house answers at all: the payer's health, for operations. */
  ping(): Promise<void>;
}

export interface EligibilityRequest {
  payerId: string;
  patientId: string;
  serviceCode: string;
}

export interface EligibilityAnswer {
  eligible: boolean;
  /** Share of the allowed amount the payer pays, 0 to 100. */
  coveragePercent: number;
  copayCents: number;
  message: string | null;
  checkedAt: Date;
}

export interface ClaimSubmission {
  /** Sent as the submission's identifier, so a payer can recognise a resubmission after a timeout. */
  claimId: string;
  payerId: string;
  patientId: string;
  memberId: string;
  totalCents: number;
  serviceCodes: string[];
}

export interface SubmissionReceipt {
  /** The payer's tracking number for the claim. */
  payerReference: string;
}
