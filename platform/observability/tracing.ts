import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { setting } from '../config.ts';
import { RecentTraces } from './recent-traces.ts';

export interface TracingSettings {
  /** OTLP/HTTP traces endpoint (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, e.g. http://collector:4318/v1/traces); no export without one. */
  otlpEndpoint?: string;
  /** Spans kept in memory for the operations console (embedded mode); 0 keeps none. */
  keepRecentSpans: number;
  /** Of the requests that arrive without a sampling decision, the percentage traced (all when absent); a caller's decision is kept. */
  samplePercent?: number;
  /** Besides those: a test's in-memory exporter. */
  processors?: SpanProcessor[];
}

/** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, TRACES_KEEP_SPANS (default: `embeddedDefault`, 0 for a service run alone). */
export function tracingSettingsFromEnv(embeddedDefault = 0): TracingSettings {
  return {
    otlpEndpoint: setting('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
    keepRecentSpans: setting('TRACES_KEEP_SPANS') ?? embeddedDefault,
    samplePercent: setting('TRACES_SAMPLE_PERCENT'),
  };
}

export const tracer = trace.getTracer('healthcare-graph');

let recent: RecentTraces | undefined;
let started = false;

/**
 * Starts tracing for the process, once: W3C trace context in and out (traceparent only, no
 * baggage), spans exported over OTLP when an endpoint is set and kept in memory for the console.
 * With nowhere for spans to go, nothing is registered: every span below is a no-op.
 */
export function startTracing(settings: TracingSettings): void {
  if (started || (settings.keepRecentSpans === 0 && !settings.otlpEndpoint && !settings.processors?.length)) return;
  started = true;
  const processors: SpanProcessor[] = [...(settings.processors ?? [])];
  if (settings.keepRecentSpans > 0) processors.push((recent = new RecentTraces(settings.keepRecentSpans)));
  if (settings.otlpEndpoint) processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.otlpEndpoint })));
  const sampler = new ParentBasedSampler({ root: new TraceIdRatioBasedSampler((settings.samplePercent ?? 100) / 100) });
  new NodeTracerProvider({ sampler, spanProcessors: processors }).register({ propagator: new W3CTraceContextPropagator() });
}

/** The traces kept in memory (embedded mode), for the console. */
export const recentTraces = (): RecentTraces | undefined => recent;

/** The trace context a carrier (HTTP headers, an event's extensions) names, or none. */
export const contextFrom = (carrier: object): Context => propagation.extract(ROOT_CONTEXT, carrier);

/** `traceparent` of the active span, to carry into a request or an event; empty when nothing is traced. */
export function traceCarrier(): { traceparent?: string } {
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Runs `work` in a span. Attributes are ids and names we define, never patient data; a failure
 * marks the span with the error's name only, since a message may hold data.
 */
export async function inSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes; parent?: Context }, work: () => Promise<T>): Promise<T> {
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, options.parent ?? context.active());
  try {
    return await context.with(trace.setSpan(options.parent ?? context.active(), span), work);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
    throw error;
  } finally {
    span.end();
  }
}

export { SpanKind };
