import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningSystem } from '../../launcher.ts';
import { startTracing } from '../../platform/observability/tracing.ts';
import { graphql } from '../support/graphql.ts';
import { startTestSystem } from '../support/test-system.ts';
import { bearerFor } from '../support/tokens.ts';

const PATIENT = `query($id: ID!) { patient(id: $id) { mrn appointments { status practitioner { id } charges { code } } } }`;

const exporter = new InMemorySpanExporter();
const describeSpan = (span: ReadableSpan) => `${span.attributes['healthgraph.service'] ?? '-'} ${span.name}`;

// As the gateway runs alone in production (gateway/main.ts): no context manager, so a span finds its
// parent only where the code hands it over. Nothing may fall out of the caller's trace.
describe('the gateway without an async context manager', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    startTracing({ keepRecentSpans: 0, implicitContext: false, processors: [new SimpleSpanProcessor(exporter)] });
    system = await startTestSystem({ gatewayPort: 0, seedDemoData: true });
  });
  afterAll(async () => {
    await system?.close();
  });

  it("continues the caller's trace into each subgraph call, in one tree, and makes no span outside it", async () => {
    exporter.reset();
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const { errors, data } = await graphql(system.gateway.url, PATIENT, { id: 'pat-0001' }, { ...(await bearerFor({ role: 'clinician' })), traceparent: `00-${traceId}-${callerSpan}-01` });
    expect(errors).toBeUndefined();
    expect(data?.patient).toBeTruthy();

    await vi.waitFor(() => expect(exporter.getFinishedSpans().map(describeSpan)).toContain('gateway POST /graphql'), { timeout: 10_000 });
    const spans = exporter.getFinishedSpans();
    // Every span this request made is in the caller's trace: none started a trace of its own.
    expect(spans.map((span) => [describeSpan(span), span.spanContext().traceId]).filter(([, id]) => id !== traceId)).toEqual([]);

    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');
    const request = spans.find((span) => describeSpan(span) === 'gateway POST /graphql')!;
    expect(request.parentSpanContext?.spanId).toBe(callerSpan);

    // One call span per subgraph call, under the request; each subgraph's own span under its call.
    const calls = spans.filter((span) => span.name.startsWith('call '));
    expect(calls.map((span) => span.attributes['healthgraph.subgraph']).sort()).toEqual(expect.arrayContaining(['appointments', 'billing', 'patients']));
    for (const call of calls) expect(parentOf(call)).toBe(request);
    const served = spans.filter((span) => span.name === 'POST /graphql' && span !== request);
    expect(served.map((span) => parentOf(span)?.name)).toEqual(served.map(() => expect.stringMatching(/^call /)));
    expect(served.map((span) => `${span.attributes['healthgraph.service']}`).sort()).toEqual(calls.map((call) => `${call.attributes['healthgraph.subgraph']}`).sort());

    // @apollo/gateway's own spans (gateway.request, gateway.fetch…) are not made.
    expect(spans.filter((span) => span.name.startsWith('gateway.'))).toEqual([]);
  });
});
