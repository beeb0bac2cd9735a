import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-node';

/** A finished span as the console shows it: ids, names, times; attributes are ids by construction. */
export interface SpanSummary {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service?: string;
  startMs: number;
  durationMs: number;
  error: boolean;
  attributes: Record<string, unknown>;
}

/** The last spans ended in this process, in a ring, for the operations console (embedded mode). */
export class RecentTraces implements SpanProcessor {
  private readonly spans: SpanSummary[] = [];

  constructor(private readonly capacity: number) {}

  onStart(_span: Span, _parent: Context): void {}

  onEnd(span: ReadableSpan): void {
    const { traceId, spanId } = span.spanContext();
    const [seconds, nanos] = span.startTime;
    const [durationSeconds, durationNanos] = span.duration;
    this.spans.push({
      traceId,
      spanId,
      parentSpanId: span.parentSpanContext?.spanId,
      name: span.name,
      service: span.attributes['healthgraph.service'] as string | undefined,
      startMs: seconds * 1000 + nanos / 1e6,
      durationMs: durationSeconds * 1000 + durationNanos / 1e6,
      error: span.status.code === 2,
      attributes: { ...span.attributes },
    });
    if (this.spans.length > this.capacity) this.spans.splice(0, this.spans.length - this.capacity);
  }

  /** The spans of one trace, oldest first. */
  trace(traceId: string): SpanSummary[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  /** The newest spans recorded under one of these services, newest first. */
  spansOf(services: ReadonlySet<string>, limit: number): SpanSummary[] {
    const found: SpanSummary[] = [];
    for (let index = this.spans.length - 1; index >= 0 && found.length < limit; index--) {
      const span = this.spans[index]!;
      if (span.service !== undefined && services.has(span.service)) found.push(span);
    }
    return found;
  }

  /** The most recent traces, newest first: each trace's spans, oldest first. */
  traces(limit = 50): SpanSummary[][] {
    const byTrace = new Map<string, SpanSummary[]>();
    for (let index = this.spans.length - 1; index >= 0 && byTrace.size <= limit; index--) {
      const span = this.spans[index]!;
      byTrace.set(span.traceId, [span, ...(byTrace.get(span.traceId) ?? [])]);
    }
    return [...byTrace.values()].slice(0, limit);
  }

  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
