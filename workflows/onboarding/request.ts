/** What an onboarding starts from: the patient as the front office or the portal took them down. */
export interface NewPatient {
  name: { family: string; given: string[] };
  birthDate: string;
  gender: 'MALE' | 'FEMALE' | 'OTHER' | 'UNKNOWN';
  nationalIdentifier?: string;
  telecom?: Array<{ system: string; value: string; use: string }>;
  address?: { line: string[]; city: string; state?: string; postalCode: string; country: string };
}

export interface CoverageRequest {
  payerId: string;
  memberId: string;
  plan: string;
  start: string;
  end?: string;
}

/** How long the workflow waits; kept in the instance, so a change of settings does not move a running one's deadlines. */
export interface OnboardingTiming {
  /** A front-office task's deadline, in days from when it is given. */
  taskDays: number;
  /** How long the patient has to give consent in the portal. */
  consentWaitSeconds: number;
  /** When the front office is asked to remind the patient, from the start of the wait. */
  consentReminderSeconds: number;
  /** How often a wait looks again (a wake-up message comes sooner). */
  pollSeconds: number;
  /** How far ahead the first appointment is looked for. */
  bookingWindowDays: number;
}

export const defaultTiming: OnboardingTiming = {
  taskDays: 2,
  consentWaitSeconds: 7 * 86_400,
  consentReminderSeconds: 3 * 86_400,
  pollSeconds: 60,
  bookingWindowDays: 14,
};

export interface OnboardingRequest {
  patient: NewPatient;
  /** Without one, the patient pays for themselves. */
  coverage?: CoverageRequest;
  /** The first visit's fee schedule code: what eligibility is asked for and the estimate is made of. */
  serviceCode: string;
  /** The first visit's service (slots are looked for by it). */
  serviceType: string;
  /** Where a front-office person opens the case; the workflow id is appended. */
  caseLinkBase?: string;
  timing: OnboardingTiming;
}
