import { createServer } from 'node:net';
import { join } from 'node:path';
import { dropSchemas, uniqueName } from '../test/support/databases.ts';
import { spawnNode, type SpawnOptions } from './process/spawn.ts';
import { waitUntilServing, type GraphQLRequest } from './load/graphql-request.ts';
import { startOtlpSink } from './load/otlp-sink.ts';

/** What a workload runs on: its subgraphs, their supergraph, and the data directory of the keys. */
export interface Stack {
  dataDir: string;
  supergraphFile: string;
  subgraphUrls: Record<string, string>;
  /** GraphQL requests the subgraphs have received since they started. */
  subgraphRequests(): Promise<number>;
  /** The subgraphs' process, measured for CPU beside the target's. */
  pid: number;
}

export interface RunningTarget {
  url: string;
  /** The process measured for CPU and memory; none for a subgraph called directly. */
  pid?: number;
  stop(): Promise<void>;
}

/** Something the load is pointed at: a gateway process, or a subgraph called directly. */
export interface Target {
  name: string;
  kind: 'gateway' | 'direct';
  start(): Promise<RunningTarget>;
  /** Connection i's requests, in this target's terms (a direct call carries an internal token). */
  requestsOf(connection: number): GraphQLRequest[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A gateway as its own process on a free loopback port, ready once it answers a query. */
async function startGatewayProcess(name: string, spawn: (port: number) => SpawnOptions): Promise<RunningTarget> {
  const port = await freePort();
  const gateway = spawnNode(spawn(port));
  const url = `http://127.0.0.1:${port}/graphql`;
  const exited = new Promise<never>((_, reject) =>
    gateway.child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${gateway.stderrTail()}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([waitUntilServing(url), exited]).catch(async (error: unknown) => {
    await gateway.stop();
    throw error;
  });
  return { url, pid: gateway.pid, stop: () => gateway.stop() };
}

function gatewayTarget(name: string, spawn: (port: number) => SpawnOptions, requestsOf: Target['requestsOf']): Target {
  return { name, kind: 'gateway', requestsOf, start: () => startGatewayProcess(name, spawn) };
}

/**
 * What our gateway records about itself: `metrics` as deployed by default (Prometheus metrics, no
 * tracing); `none` with METRICS=false; `traced` with metrics and every request's spans exported over
 * OTLP; `sampled` the same for one request in ten (TRACES_SAMPLE_PERCENT=10).
 */
export type Telemetry = 'metrics' | 'none' | 'traced' | 'sampled';

export interface OurGatewayOptions {
  governance: boolean;
  /** `metrics` when absent. */
  telemetry?: Telemetry;
  /** Where --cpu-prof writes the full pipeline's profile; no profiling when absent. */
  cpuProfileDir?: string;
  /** PostgreSQL for the audit trail, as in production; absent: PGlite inside the gateway process. */
  auditDatabaseUrl?: string;
}

const telemetryNames: Record<Telemetry, string> = { metrics: '', none: ', no telemetry', traced: ', traced (OTLP)', sampled: ', traced 10% (OTLP)' };

export function ourGateway(stack: Stack, { governance, telemetry = 'metrics', cpuProfileDir, auditDatabaseUrl }: OurGatewayOptions, requestsOf: Target['requestsOf']): Target {
  const name = (governance ? 'ours, full pipeline' : 'ours, GOVERNANCE=off') + telemetryNames[telemetry];
  // Each telemetry setting's profiles in a folder of their own, to compare them.
  const profile = governance && cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', join(cpuProfileDir, `gateway-${telemetry}`)] : [];
  return {
    name,
    kind: 'gateway',
    requestsOf,
    async start() {
      // Every start writes to an empty trail of its own, dropped when the gateway stops.
      const auditSchema = uniqueName('bench_audit');
      const sink = telemetry === 'traced' || telemetry === 'sampled' ? await startOtlpSink() : undefined;
      const dropTrail = async () => {
        await sink?.close();
        await dropSchemas(auditDatabaseUrl, auditSchema);
      };
      const running = await startGatewayProcess(name, (port) => ({
        entry: 'gateway/main.ts',
        args: [stack.supergraphFile],
        nodeFlags: profile,
        // Embedded defaults whatever the shell says (budgets in memory), but for the audit trail.
        env: {
          RUN_MODE: 'embedded', DATA_DIR: stack.dataDir, PORT: String(port), HOST: '127.0.0.1', GOVERNANCE: String(governance),
          DATABASE_URL: auditDatabaseUrl, AUDIT_SCHEMA: auditSchema, REDIS_URL: undefined,
          METRICS: String(telemetry !== 'none'), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink?.url, TRACES_KEEP_SPANS: '0',
          TRACES_SAMPLE_PERCENT: telemetry === 'sampled' ? '10' : '100',
        },
      })).catch(async (error: unknown) => {
        await dropTrail();
        throw error;
      });
      async function stop() {
        await running.stop();
        const exported = sink?.exports();
        await dropTrail();
        if (exported === 0) throw new Error(`${name} exported no spans: its figures are not those of a traced gateway`);
      }
      return { ...running, stop };
    },
  };
}

/** `subgraphAuthorization`: the fixed identity for subgraphs that require one (healthcare). */
/** `undici`: our undici subgraph fetcher instead of its default, and nothing else of ours. */
export function bareApolloGateway(stack: Stack, subgraphAuthorization: string | undefined, undici: boolean, requestsOf: Target['requestsOf']): Target {
  return gatewayTarget(undici ? '@apollo/gateway + undici fetcher' : 'bare @apollo/gateway', (port) => ({
    entry: 'bench/bare-apollo-gateway.ts',
    args: [stack.supergraphFile],
    env: { PORT: String(port), SUBGRAPH_AUTHORIZATION: subgraphAuthorization, SUBGRAPH_FETCHER: undici ? 'undici' : undefined },
  }), requestsOf);
}

export interface HiveOptions {
  /** Its JWT, authorization and demand control on, against the embedded issuer's keys. */
  governance: boolean;
  /** Plans run by @graphql-hive/router-runtime (Rust planner, its own executor) instead of the default runtime. */
  routerRuntime: boolean;
}

export function hiveGateway(stack: Stack, subgraphAuthorization: string | undefined, { governance, routerRuntime }: HiveOptions, requestsOf: Target['requestsOf']): Target {
  const name = `Hive Gateway${routerRuntime ? ' + router runtime' : ''}${governance ? ', JWT+auth+cost' : ''}`;
  return gatewayTarget(name, (port) => ({
    entry: 'bench/hive-gateway.ts',
    args: [stack.supergraphFile],
    env: {
      PORT: String(port),
      SUBGRAPH_AUTHORIZATION: subgraphAuthorization,
      HIVE_ISSUER_JWKS: governance ? join(stack.dataDir, 'issuer', 'jwks.json') : undefined,
      HIVE_RUNTIME: routerRuntime ? 'router' : undefined,
    },
  }), requestsOf);
}

/** A subgraph called without a gateway: the floor a gateway's latency is measured against. */
export function directSubgraph(name: string, url: string, requestsOf: Target['requestsOf']): Target {
  return { name: `${name} subgraph, direct`, kind: 'direct', requestsOf, start: async () => ({ url, stop: async () => undefined }) };
}
