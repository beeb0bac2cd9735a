import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { contextFrom, inSpan, startTracing } from '../../platform/observability/tracing.ts';

describe('TRACES_SAMPLE_PERCENT', () => {
  it("traces none of the requests that come undecided at 0%, and every one a caller sampled", async () => {
    const exporter = new InMemorySpanExporter();
    startTracing({ keepRecentSpans: 0, samplePercent: 0, processors: [new SimpleSpanProcessor(exporter)] });
    for (let n = 0; n < 20; n++) await inSpan('POST /graphql', {}, async () => undefined);
    expect(exporter.getFinishedSpans()).toEqual([]);

    const traceId = randomBytes(16).toString('hex');
    const sampled = contextFrom({ traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });
    const notSampled = contextFrom({ traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00` });
    await inSpan('POST /graphql', { parent: sampled }, () => inSpan('billing call', {}, async () => undefined));
    await inSpan('POST /graphql', { parent: notSampled }, async () => undefined);
    expect(exporter.getFinishedSpans().map((span) => [span.name, span.spanContext().traceId])).toEqual([
      ['billing call', traceId],
      ['POST /graphql', traceId],
    ]);
  });
});
