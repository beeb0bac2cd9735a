import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../platform/audit/audit-store.ts';
import type { Caller } from '../../platform/caller.ts';
import { signInternalToken } from '../../platform/internal-token.ts';
import { startSubgraph, type RunningSubgraph } from '../../platform/subgraph/service.ts';
import { auditSubgraph } from '../../subgraphs/audit/subgraph.ts';
import { databaseEngines, dropSchemas, uniqueName } from '../support/databases.ts';
import { codesOf, graphql } from '../support/graphql.ts';
import { accessRecord } from './trail.ts';

const AUDIT_TRAIL = `query($patientId: ID!, $from: DateTime!, $to: DateTime!, $first: Int) {
  auditTrail(patientId: $patientId, from: $from, to: $to, first: $first) {
    seq at subject clientId roles purposeOfUse operationName operationHash operationType requestId
    fieldsReturned fieldsDenied outcome patient { id }
  }
}`;

const at = (day: number) => new Date(Date.UTC(2026, 10, day, 9, 30));

const auditor: Caller = {
  subject: 'user-auditor-1',
  clientId: 'portal-staff',
  roles: ['auditor'],
  scopes: ['user/AuditEvent.rs'],
  purposeOfUse: 'HCOMPL',
  expiresAt: Math.floor(Date.now() / 1000) + 3600,
};

/** The gateway's internal-token key pair, and a call signed with it as the auditor. */
async function gatewayKeys() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA');
  const signed = await signInternalToken({ caller: auditor }, { kid: 'test', privateKey }, 600);
  return { publicKey: { ...(await exportJWK(publicKey)), kid: 'test' }, authorization: `Bearer ${signed.token}` };
}

describe.each(databaseEngines)('the audit subgraph on $engine', ({ url }) => {
  const schema = uniqueName('audit');
  const chart = accessRecord({ requestId: 'chart', patientIds: ['pat-0001', 'pat-0002'], at: at(10) });
  let subgraph: RunningSubgraph;
  let authorization: string;
  const trail = (variables: Record<string, unknown>) => graphql(subgraph.url, AUDIT_TRAIL, variables, { authorization });

  beforeAll(async () => {
    const keys = await gatewayKeys();
    authorization = keys.authorization;
    subgraph = await startSubgraph(auditSubgraph, { port: 0, database: { url, schema }, gatewayPublicKey: keys.publicKey });
    await new AuditStore(subgraph.database).append([
      accessRecord({ requestId: 'before-window', patientIds: ['pat-0001'], at: at(1) }),
      chart,
      accessRecord({ requestId: 'other-patient', patientIds: ['pat-0002'], at: at(11) }),
      accessRecord({
        requestId: 'billing-view',
        subject: 'user-billing-7',
        roles: ['billing_specialist'],
        purposeOfUse: undefined,
        patientIds: ['pat-0001'],
        fieldsDenied: ['Patient.nationalIdentifier'],
        outcome: 'partially_denied',
        at: at(12),
      }),
      accessRecord({ requestId: 'at-window-end', patientIds: ['pat-0001'], at: at(20) }),
    ]);
  });
  afterAll(async () => {
    await subgraph?.close();
    await dropSchemas(url, schema);
  });

  it("answers the patient's events in the window, oldest first, over HTTP", async () => {
    const response = await trail({ patientId: 'pat-0001', from: at(5).toISOString(), to: at(20).toISOString() });
    expect(response.errors).toBeUndefined();
    const { patientIds, ...shown } = chart;
    expect(response.data!.auditTrail).toEqual([
      { ...shown, seq: '2', at: chart.at.toISOString(), outcome: 'ALLOWED', patient: { id: 'pat-0001' } },
      expect.objectContaining({
        requestId: 'billing-view',
        purposeOfUse: null,
        fieldsDenied: ['Patient.nationalIdentifier'],
        outcome: 'PARTIALLY_DENIED',
      }),
    ]);
  });

  it('answers only calls that come through the gateway', async () => {
    const around = await graphql(subgraph.url, AUDIT_TRAIL, { patientId: 'pat-0001', from: at(1).toISOString(), to: at(30).toISOString() });
    expect(around.status).toBe(401);
    expect(around.data ?? null).toBeNull();
  });

  it('stops at first', async () => {
    const response = await trail({ patientId: 'pat-0001', from: at(1).toISOString(), to: at(30).toISOString(), first: 2 });
    expect(response.data!.auditTrail.map((event: { requestId: string }) => event.requestId)).toEqual(['before-window', 'chart']);
  });

  it.each([
    ['to before from', { from: at(10).toISOString(), to: at(5).toISOString() }],
    ['to equal to from', { from: at(10).toISOString(), to: at(10).toISOString() }],
    ['a window over a year', { from: '2025-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }],
    ['first 0', { from: at(1).toISOString(), to: at(30).toISOString(), first: 0 }],
    ['first 501', { from: at(1).toISOString(), to: at(30).toISOString(), first: 501 }],
    ['an empty patient id', { patientId: ' ', from: at(1).toISOString(), to: at(30).toISOString() }],
    ['a time without a zone', { from: '2026-11-01T00:00:00', to: at(30).toISOString() }],
  ])('refuses %s as BAD_USER_INPUT', async (_, variables) => {
    const response = await trail({ patientId: 'pat-0001', ...variables });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });
});
