// The list of onboardings (Query.onboardings): the front desk's and operations' view of those waiting
// on a person or failed, read from the workflows subgraph's own listing, through the gateway on the
// embedded default, under the same authorization and audit as any read of patient data.
import { DBOS } from '@dbos-inc/dbos-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSystem, type RunningSystem } from '../../launcher.ts';
import { listAnnounced } from '../../workflows/graph/onboarding-listing.ts';
import type { OnboardingState } from '../../workflows/onboarding/state.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';
import { newPatient, patiently } from './onboarding-harness.ts';

const START = `mutation($input: StartPatientOnboardingInput!) { startPatientOnboarding(input: $input) { id } }`;
const LIST = `query Onboardings($filter: OnboardingFilter!, $order: OnboardingOrder, $first: Int, $after: String) {
  onboardings(filter: $filter, order: $order, first: $first, after: $after) {
    nodes { id definition status waitingOn since startedAt updatedAt currentStep patientId reason }
    hasNextPage endCursor
  }
}`;
const AUDIT_TRAIL = `query($patientId: ID!, $from: DateTime!, $to: DateTime!) {
  auditTrail(patientId: $patientId, from: $from, to: $to, first: 500) { subject operationName outcome }
}`;

type Listing = { id: string; status: string; waitingOn: string | null; since: string; startedAt: string; currentStep: string | null; patientId: string | null; reason: string | null };

/** An onboarding that failed at `at`, as its workflow would announce it: for lists of known content. */
const failed = (id: string, patientId: string): OnboardingState => ({
  id, definition: 'patientOnboarding', version: 5, status: 'FAILED', waitingOn: null, patientId, reason: 'NO_FREE_SLOT', odooActivityIds: [],
  steps: [
    { name: 'matchPatient', status: 'DONE', at: '2026-12-01T09:00:00Z' },
    { name: 'bookFirstAppointment', status: 'FAILED', at: '2026-12-01T09:00:01Z', detail: 'NO_FREE_SLOT' },
    { name: 'withdrawFinancialAccount', status: 'COMPENSATED', at: '2026-12-01T09:00:02Z' },
  ],
});

describe('the list of onboardings through the gateway on the embedded default', { timeout: 120_000 }, () => {
  let system: RunningSystem;
  let waiting: Listing;
  const failedIds = ['onb-list-1', 'onb-list-2', 'onb-list-3', 'onb-list-4', 'onb-list-5'];
  const as = async (request: Parameters<typeof bearerFor>[0], query: string, variables: Record<string, unknown> = {}) =>
    graphql(system.gateway.url, query, variables, await bearerFor(request));
  const list = async (request: Parameters<typeof bearerFor>[0], variables: Record<string, unknown>) => {
    const { data, errors } = await as(request, LIST, variables);
    expect(errors).toBeUndefined();
    return data!.onboardings as { nodes: Listing[]; hasNextPage: boolean; endCursor: string | null };
  };

  beforeAll(async () => {
    system = await startSystem({ gatewayPort: 0, seedDemoData: true, workflows: true, bundledOdoo: { version: 17 } });
    // Five failed onboardings, started a minute apart and failed in the order they started.
    const listing = system.subgraphs.workflows.database;
    for (const [n, id] of failedIds.entries()) {
      await listAnnounced(listing, failed(id, `pat-000${n + 1}`), 1);
      await listing.query(`UPDATE onboarding_listing SET started_at = $2, since = $3 WHERE id = $1`, [
        id, new Date(Date.UTC(2026, 11, 1, 9, n)), new Date(Date.UTC(2026, 11, 1, 10, n)),
      ]);
    }
    // A real one, left waiting on the patient's consent.
    const started = await as({ role: 'front_desk' }, START, { input: { patient: newPatient(), serviceCode: '99213', serviceType: 'general-practice' } });
    expect(started.errors).toBeUndefined();
    const id = started.data!.startPatientOnboarding.id as string;
    await vi.waitFor(async () => {
      const { nodes } = await list({ role: 'front_desk' }, { filter: { statuses: ['WAITING'] } });
      waiting = nodes.find((node) => node.id === id)!;
      expect(waiting?.waitingOn).toBe('PATIENT');
    }, patiently);
  }, 180_000);
  afterAll(() => system?.close());

  it('lists an onboarding waiting on the patient for the front desk and operations: since when, in which step, whose, no name', async () => {
    expect(waiting).toMatchObject({ status: 'WAITING', waitingOn: 'PATIENT', currentStep: 'giveConsent', patientId: expect.stringMatching(/^pat-/), reason: null });
    expect(Date.parse(waiting.since)).toBeGreaterThanOrEqual(Date.parse(waiting.startedAt));
    expect(Date.parse(waiting.since)).toBeLessThanOrEqual(Date.now());
    const seenByOperations = await list({ role: 'operations' }, { filter: { statuses: ['WAITING', 'FAILED'] } });
    expect(seenByOperations.nodes.map((node) => node.id)).toContain(waiting.id);
  });

  it('filters by status and by whom it waits on', async () => {
    const onPatient = await list({ role: 'front_desk' }, { filter: { statuses: ['WAITING', 'FAILED'], waitingOn: 'PATIENT' } });
    expect(onPatient.nodes.map((node) => node.id)).toEqual([waiting.id]);
    const onFrontOffice = await list({ role: 'front_desk' }, { filter: { statuses: ['WAITING'], waitingOn: 'FRONT_OFFICE' } });
    expect(onFrontOffice.nodes).toEqual([]);
    const failedOnly = await list({ role: 'front_desk' }, { filter: { statuses: ['FAILED'] }, first: 100 });
    expect(failedOnly.nodes.map((node) => node.id).sort()).toEqual(failedIds);
    // The step that failed, not the undo after it.
    expect(failedOnly.nodes[0]).toMatchObject({ status: 'FAILED', currentStep: 'bookFirstAppointment', reason: 'NO_FREE_SLOT', waitingOn: null });
  });

  it('pages newest first, or longest in its status first, each cursor for its own list only', async () => {
    const pages = async (order: string) => {
      const ids: string[][] = [];
      let after: string | null = null;
      for (;;) {
        const page = await list({ role: 'operations' }, { filter: { statuses: ['FAILED'] }, order, first: 2, after });
        ids.push(page.nodes.map((node) => node.id));
        if (!page.hasNextPage) return { ids, cursor: page.endCursor };
        after = page.endCursor;
      }
    };
    expect((await pages('NEWEST_FIRST')).ids).toEqual([['onb-list-5', 'onb-list-4'], ['onb-list-3', 'onb-list-2'], ['onb-list-1']]);
    const longest = await pages('LONGEST_IN_STATUS_FIRST');
    expect(longest.ids).toEqual([['onb-list-1', 'onb-list-2'], ['onb-list-3', 'onb-list-4'], ['onb-list-5']]);

    const first = await list({ role: 'operations' }, { filter: { statuses: ['FAILED'] }, first: 2 });
    const elsewhere = await as({ role: 'operations' }, LIST, { filter: { statuses: ['WAITING', 'FAILED'] }, first: 2, after: first.endCursor });
    expect(elsewhere.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const none = await as({ role: 'operations' }, LIST, { filter: { statuses: [] } });
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await as({ role: 'operations' }, LIST, { filter: { statuses: ['FAILED'] }, first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses the list, FORBIDDEN, to roles that do not follow onboardings', async () => {
    const refused = [{ role: 'clinician' }, { role: 'billing_specialist' }, { role: 'data_steward' }, { role: 'auditor' }, { role: 'onboarding_service' }, { role: 'patient', patient: waiting.patientId! }] as const;
    for (const request of refused) {
      const { data, errors } = await as(request, LIST, { filter: { statuses: ['WAITING'] } });
      expect(errors?.[0]?.extensions?.code, request.role).toBe('FORBIDDEN');
      expect(data?.onboardings ?? null, request.role).toBeNull();
    }
  });

  it('puts each patient listed on their access record, and no one the page left out', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const trailOf = async (patientId: string) => {
      const trail = await as({ role: 'auditor' }, AUDIT_TRAIL, { patientId, from, to: new Date(Date.now() + 60_000).toISOString() });
      expect(trail.errors).toBeUndefined();
      return trail.data!.auditTrail as Array<{ subject: string }>;
    };
    await as({ role: 'operations', subject: 'ops-listing' }, LIST, { filter: { statuses: ['WAITING'], waitingOn: 'PATIENT' } });
    // One of the failed: onb-list-5's patient is answered; onb-list-4's is read only to know more follow.
    await as({ role: 'operations', subject: 'ops-one' }, LIST, { filter: { statuses: ['FAILED'] }, first: 1 });
    await vi.waitFor(async () => {
      expect(await trailOf(waiting.patientId!)).toContainEqual(expect.objectContaining({ subject: 'ops-listing', operationName: 'Onboardings', outcome: 'ALLOWED' }));
      expect(await trailOf('pat-0005')).toContainEqual(expect.objectContaining({ subject: 'ops-one' }));
    }, { timeout: 10_000, interval: 250 });
    expect(await trailOf('pat-0004')).not.toContainEqual(expect.objectContaining({ subject: 'ops-one' }));
  });

  it('keeps the latest announcement: one that runs again, or late, changes nothing', async () => {
    const listing = system.subgraphs.workflows.database;
    const state = failed('onb-list-late', 'pat-0009');
    await listAnnounced(listing, { ...state, status: 'WAITING', waitingOn: 'FRONT_OFFICE', waitingSince: '2026-12-01T09:00:00.000Z', waitingStep: 'resolveEligibilityDenial' }, 2);
    await listAnnounced(listing, { ...state, status: 'RUNNING' }, 1);
    const [row] = await listing.query<{ status: string; waiting_on: string; since: Date; current_step: string }>('SELECT status, waiting_on, since, current_step FROM onboarding_listing WHERE id = $1', ['onb-list-late']);
    expect(row).toMatchObject({ status: 'WAITING', waiting_on: 'FRONT_OFFICE', current_step: 'resolveEligibilityDenial' });
    expect(row!.since.toISOString()).toBe('2026-12-01T09:00:00.000Z');
  });

  it('lists FAILED an onboarding the engine ended without an end of its own (here an operator\'s cancel)', async () => {
    await DBOS.cancelWorkflow(waiting.id);
    const { nodes } = await list({ role: 'operations' }, { filter: { statuses: ['FAILED'] }, first: 100 });
    expect(nodes.find((node) => node.id === waiting.id)).toMatchObject({ status: 'FAILED', waitingOn: null, reason: 'WORKFLOW_CANCELLED', currentStep: 'giveConsent' });
    const stillWaiting = await list({ role: 'operations' }, { filter: { statuses: ['WAITING'] }, first: 100 });
    expect(stillWaiting.nodes.map((node) => node.id)).not.toContain(waiting.id);
  });
});
