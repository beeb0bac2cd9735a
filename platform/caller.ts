/**
 * Who is calling, as established by the gateway from a verified bearer token. It lives in the
 * platform because subgraphs receive it too, inside the gateway's internal token.
 * Everything downstream (authorization, minimization, cost, audit) decides from this alone.
 */
export interface Caller {
  /** `sub` claim: the user or service account. */
  subject: string;
  /** OAuth client the token was issued to (`client_id` or `azp`). */
  clientId: string;
  /** Roles such as clinician, front_desk, billing_specialist, payer_partner, patient, odoo_service, auditor, admin. */
  roles: string[];
  /** SMART v2 style scopes, e.g. `user/Patient.rs`, `patient/Appointment.cruds`, `system/Invoice.rs`. */
  scopes: string[];
  /** The patient a patient-facing app is bound to (SMART `patient` launch context). */
  patientId?: string;
  /** The partner organisation (payer, lab) the caller acts for. */
  organizationId?: string;
  /** HL7 purpose of use: TREAT, HPAYMT, HOPERAT, HRESCH... */
  purposeOfUse?: string;
  /** Token expiry, seconds since the epoch. */
  expiresAt: number;
}
