import { randomUUID } from 'node:crypto';
import { expect, vi } from 'vitest';
import type { RunningSystem } from '../../launcher.ts';
import { completeActivity, readActivity } from '../../subgraphs/odoo-finance/odoo/activities.ts';
import type { OdooClient } from '../../subgraphs/odoo-finance/odoo/client.ts';
import type { OnboardingState } from '../../workflows/onboarding/state.ts';
import type { StartOnboarding } from '../../workflows/onboarding/start.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';

let born = 0;

/**
 * A person no other test has: a family name of their own, and a birth date of their own too (the
 * patient index finds the same given name, birth date and gender a probable match, whatever the
 * family name).
 */
export const newPatient = (family = `Onb${randomUUID().slice(0, 8)}`) => ({
  name: { family, given: ['Ada'] },
  birthDate: new Date(Date.UTC(1940, 0, 1) + ++born * 401 * 86_400_000).toISOString().slice(0, 10),
  gender: 'FEMALE' as const,
});

/** Timings a test can wait out: a consent wait of seconds, polls every half second. */
export const quickTiming = { taskDays: 2, consentWaitSeconds: 600, consentReminderSeconds: 300, pollSeconds: 0.5, bookingWindowDays: 14 };

export const onboardingRequest = (extra: Partial<StartOnboarding> = {}): StartOnboarding => ({
  patient: newPatient(),
  serviceCode: '99213',
  serviceType: 'general-practice',
  caseLinkBase: 'http://127.0.0.1/onboarding/',
  timing: quickTiming,
  ...extra,
});

export const patiently = { timeout: 90_000, interval: 250 };

/** Polls the state until `done` holds; answers it. */
export async function stateWhen(read: () => Promise<OnboardingState | null>, done: (state: OnboardingState) => boolean): Promise<OnboardingState> {
  let seen: OnboardingState | null = null;
  await vi.waitFor(async () => {
    seen = await read();
    expect(seen && done(seen), JSON.stringify(seen)).toBe(true);
  }, patiently);
  return seen!;
}

/** A graph caller of the launched system, by role; its answer's data, failing the test on errors. */
export function callersOf(system: RunningSystem) {
  return async (request: Parameters<typeof bearerFor>[0], query: string, variables: Record<string, unknown> = {}) => {
    const { data, errors } = await graphql(system.gateway.url, query, variables, await bearerFor(request));
    expect(errors).toBeUndefined();
    return data!;
  };
}

/** A person in Odoo marks the task done with `feedback`; the addon then reports it, as it does after commit. */
export async function completeInOdoo(system: RunningSystem, odooActivityId: number, feedback: string): Promise<void> {
  const messageId = await completeActivity(system.odoo, odooActivityId, feedback);
  const call = callersOf(system);
  await call({ role: 'odoo_service' }, 'mutation($a: Int!, $m: Int!) { reportOdooActivityDone(odooActivityId: $a, odooMessageId: $m) { odooActivityId } }', { a: odooActivityId, m: messageId });
}

/** The patient gives consent in the portal. */
export const giveConsent = (system: RunningSystem, patientId: string, decision: 'PERMIT' | 'DENY' = 'PERMIT') =>
  callersOf(system)({ role: 'patient', patient: patientId }, 'mutation($id: ID!, $d: ConsentDecision!) { recordConsent(patientId: $id, input: { category: TREATMENT, decision: $d, start: "2026-01-01" }) { id } }', {
    id: patientId,
    d: decision,
  });

export async function partnerOf(odoo: OdooClient, patientId: string): Promise<{ id: number; active: boolean } | undefined> {
  const [partner] = await odoo.searchRead('res.partner', [['ref', '=', patientId], ['active', 'in', [true, false]]], { fields: ['active'] });
  return partner && { id: partner.id, active: Boolean(partner.active) };
}

export const activityOf = readActivity;
