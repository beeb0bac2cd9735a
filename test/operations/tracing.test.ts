import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningSystem } from '../../launcher.ts';
import { startTestSystem } from '../support/test-system.ts';
import { recentTraces, startTracing } from '../../platform/observability/tracing.ts';
import { graphql } from '../support/graphql.ts';
import { bearerFor } from '../support/tokens.ts';

const REGISTER = `mutation($input: RegisterPatientInput!) { result: registerPatient(input: $input) { id } }`;
const SLOTS = `query($from: DateTime!, $to: DateTime!) { result: availableSlots(filter: { serviceType: "general-practice" }, from: $from, to: $to, first: 1) { id } }`;
const BOOK = `mutation($slotId: ID!, $patientId: ID!) { result: bookAppointment(slotId: $slotId, patientId: $patientId) { id } }`;
const CHECK_IN = `mutation($id: ID!) { result: checkInAppointment(id: $id) { id } }`;
const COMPLETE = `mutation($id: ID!) { result: completeEncounter(appointmentId: $id) { id status } }`;
const CHARGES = `query($id: ID!) { result: appointment(id: $id) { charges { id } } }`;
const ISSUE = `mutation($patientId: ID!) { result: issueInvoice(patientId: $patientId) { id } }`;
const IN_ODOO = `query($id: ID!) { result: invoice(id: $id) { odooInvoice { id state } } }`;

const exporter = new InMemorySpanExporter();
const soon = { timeout: 60_000, interval: 200 };

describe('one trace from a portal through the gateway, the subgraphs, the event log and Odoo', () => {
  let system: RunningSystem;
  const traceId = randomBytes(16).toString('hex');
  const spansOfTrace = (): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);

  beforeAll(async () => {
    startTracing({ keepRecentSpans: 10_000, processors: [new SimpleSpanProcessor(exporter)] });
    system = await startTestSystem({ gatewayPort: 0, seedDemoData: true });
  });
  afterAll(async () => {
    await system?.close();
  });

  it('continues the caller\'s traceparent into every subgraph call, every event consumer and every Odoo call', async () => {
    /** As the portal: every call carries the caller's trace, each from a span of its own. */
    const as = async (role: 'front_desk' | 'clinician' | 'billing_specialist', query: string, variables: Record<string, unknown>) => {
      const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
      const { data, errors } = await graphql(system.gateway.url, query, variables, { ...(await bearerFor({ role })), traceparent });
      expect(errors).toBeUndefined();
      return data!.result;
    };
    const patient = await as('front_desk', REGISTER, { input: { name: { family: 'Okafor', given: ['Ada'] }, birthDate: '1984-02-29', gender: 'FEMALE' } });
    const now = Date.now();
    const [slot] = await as('front_desk', SLOTS, { from: new Date(now + 3_600_000).toISOString(), to: new Date(now + 14 * 86_400_000).toISOString() });
    const appointment = await as('front_desk', BOOK, { slotId: slot.id, patientId: patient.id });
    await as('front_desk', CHECK_IN, { id: appointment.id });
    await as('clinician', COMPLETE, { id: appointment.id });
    await vi.waitFor(async () => expect((await as('billing_specialist', CHARGES, { id: appointment.id })).charges.length).toBeGreaterThan(0), soon);
    const invoice = await as('billing_specialist', ISSUE, { patientId: patient.id });
    await vi.waitFor(async () => expect((await as('billing_specialist', IN_ODOO, { id: invoice.id })).odooInvoice).not.toBeNull(), soon);

    await vi.waitFor(() => {
      const names = spansOfTrace().map((span) => `${span.attributes['healthgraph.service'] ?? '-'} ${span.name}`);
      expect(names).toContain('gateway POST /graphql');
      expect(names).toContain('appointments POST /graphql');
      expect(names).toContain('billing POST /graphql');
      // Billing's worker captured the charges from encounter.completed, in the portal's trace.
      expect(names).toContain('billing-encounters process org.healthgraph.encounter.completed.v1');
      expect(names).toContain('odoo-sync process org.healthgraph.invoice.issued.v1');
      expect(names).toContain('odoo account.move create');
    }, soon);
  }, 180_000);

  it('keeps the trace for the console, and carries ids only', () => {
    expect(recentTraces()?.trace(traceId).length).toBe(spansOfTrace().length);
    const attributes = JSON.stringify(spansOfTrace().map((span) => [span.name, span.attributes]));
    expect(attributes).not.toMatch(/Okafor|Ada|1984-02-29/);
  });
});
