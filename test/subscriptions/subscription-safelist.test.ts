import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSystem } from '../../launcher.ts';
import { startTestSystem } from '../support/test-system.ts';
import { loadSafelist, operationHash } from '../../gateway/safelist/manifest.ts';
import { domainEvent } from '../../platform/events/envelope.ts';
import { bearerFor } from '../support/tokens.ts';
import { connectSubscriber, waitFor, type EventSubscriber } from './event-client.ts';

const REGISTERED = 'subscription PatientUpdates { patientEvents(filter: { types: [UPDATED] }) { id type patient { id } } }';

describe('subscriptions in safelist mode', () => {
  let system: RunningSystem;
  let subscriber: EventSubscriber;

  beforeAll(async () => {
    const manifests = mkdtempSync(join(tmpdir(), 'persisted-operations-'));
    const operations = [{ name: 'PatientUpdates', type: 'subscription', body: REGISTERED }];
    writeFileSync(join(manifests, 'portal-staff.json'), JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations }));
    system = await startTestSystem({ gatewayPort: 0, seedDemoData: true, governance: { safelist: loadSafelist(manifests) } });
    subscriber = connectSubscriber(system.gateway.url.replace(/^http/, 'ws'), (await bearerFor({ role: 'front_desk' })).authorization);
  });
  afterAll(async () => {
    await subscriber?.client.dispose();
    await system?.close();
  });

  it('serves an operation registered for the client', async () => {
    const stream = subscriber.subscribe(REGISTERED);
    // Live only: publish until the subscription is surely on.
    await waitFor('an event on the registered subscription', () => {
      void system.eventLog.append(domainEvent('org.healthgraph.patient.updated.v1', { patientId: 'pat-0001', changed: ['telecom'] }, 1));
      return stream.results.length > 0;
    });
    expect(stream.results[0]!.data).toEqual({ patientEvents: { id: expect.any(String), type: 'UPDATED', patient: { id: 'pat-0001' } } });
  });

  it('serves a registered operation named by its hash alone', async () => {
    const results: Array<{ patientEvents: { patient: { id: string } } }> = [];
    let failure: unknown;
    const persisted = { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(REGISTERED) } } };
    subscriber.client.subscribe(persisted, { next: (result) => void results.push(result.data as (typeof results)[number]), error: (error) => (failure = error), complete: () => undefined });
    // The previous test's last events may still be on their way through the log: this one's are pat-0002's.
    const ours = () => results.find((result) => result.patientEvents.patient.id === 'pat-0002');
    await waitFor('an event on the persisted subscription', () => {
      void system.eventLog.append(domainEvent('org.healthgraph.patient.updated.v1', { patientId: 'pat-0002', changed: ['address'] }, 1));
      return ours() !== undefined || failure !== undefined;
    });
    expect([failure, ours()]).toEqual([undefined, { patientEvents: { id: expect.any(String), type: 'UPDATED', patient: { id: 'pat-0002' } } }]);
  });

  it.each([
    ['an unregistered document', 'subscription { patientEvents { id patient { name { text } birthDate } } }'],
    ['a registered document changed by one character', REGISTERED.replace('id type', 'id  type')],
  ])('refuses %s with PERSISTED_QUERY_NOT_IN_LIST, before parsing it', async (_case, query) => {
    const stream = subscriber.subscribe(query);
    await waitFor('the refusal', () => stream.failure() !== undefined);
    expect(stream.failure()).toEqual([expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } })]);
    expect(stream.results).toEqual([]);
  });
});
