import { context, propagation, ProxyTracerProvider, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type TracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
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
  /**
   * Whether code finds its span's parent in the async context (AsyncLocalStorage, whose promise hooks
   * slow every promise of the process), or only where it is handed over. A process that runs
   * subgraphs or event consumers needs it (a resolver's Odoo call, an event's traceparent); the
   * gateway alone hands its request's trace to each subgraph call and does without. Default: true.
   */
  implicitContext?: boolean;
}

/** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, TRACES_KEEP_SPANS (default: `embeddedDefault`, 0 for a service run alone). */
export function tracingSettingsFromEnv(embeddedDefault = 0, implicitContext = true): TracingSettings {
  return {
    otlpEndpoint: setting('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'),
    keepRecentSpans: setting('TRACES_KEEP_SPANS') ?? embeddedDefault,
    samplePercent: setting('TRACES_SAMPLE_PERCENT'),
    implicitContext,
  };
}

/** A trace's context as the code hands it over: a request's span, an event's traceparent. */
export type TraceContext = Context;

export const tracer = trace.getTracer('healthcare-graph');

/**
 * @apollo/gateway's own tracer: its spans (request, validate, plan, execute, postprocessing, each
 * fetch) find their parent only in the async context. The gateway makes its own instead: the request's
 * span and one per subgraph call, parented on what is handed over, the same with or without a context manager.
 */
const APOLLO_GATEWAY_TRACER = 'apollo/gateway-js';
const noSpans = new ProxyTracerProvider().getTracer('none');

const withoutApolloGatewaySpans = (provider: TracerProvider): TracerProvider => ({
  getTracer: (name, version, options) => (name === APOLLO_GATEWAY_TRACER ? noSpans : provider.getTracer(name, version, options)),
});

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
  trace.setGlobalTracerProvider(withoutApolloGatewaySpans(new NodeTracerProvider({ sampler, spanProcessors: processors })));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  if (settings.implicitContext ?? true) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/** The traces kept in memory (embedded mode), for the console. */
export const recentTraces = (): RecentTraces | undefined => recent;

/** The trace context a carrier (HTTP headers, an event's extensions) names, or none. */
export const contextFrom = (carrier: object): Context => propagation.extract(ROOT_CONTEXT, carrier);

/** `traceparent` of the given (or else the active) span, to carry into a request or an event; empty when nothing is traced. */
export function traceCarrier(trace: TraceContext = context.active()): { traceparent?: string } {
  const carrier: { traceparent?: string } = {};
  propagation.inject(trace, carrier);
  return carrier;
}

/**
 * Runs `work` in a span, handing it the span's context (also made active where there is a context
 * manager). Attributes are ids and names we define, never patient data; a failure marks the span
 * with the error's name only, since a message may hold data.
 */
export async function inSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes; parent?: TraceContext }, work: (trace: TraceContext) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent);
  const within = trace.setSpan(parent, span);
  try {
    return await context.with(within, work, undefined, within);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
    throw error;
  } finally {
    span.end();
  }
}

export { SpanKind };
