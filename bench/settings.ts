import { setting } from '../platform/config.ts';
import { postgresUrl } from '../test/support/databases.ts';

export interface BenchSettings {
  smoke: boolean;
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Each connection sends the requests of this many callers of its own, in turn. */
  callersPerConnection: number;
  /** Seconds of one-at-a-time requests per target for the overhead figure (workload c). */
  probeSeconds: number;
  workloads: string[];
  /** Only these targets (all when absent): a whole name selects that one, part of a name every target holding it; the first one left is the reference. */
  targets?: string[];
  /** When set, our full-pipeline gateway runs with --cpu-prof and writes its profiles here. */
  cpuProfileDir?: string;
  /** Our gateway's audit trail, PostgreSQL as in production; absent: PGlite inside the gateway process. */
  auditDatabaseUrl?: string;
}

/**
 * `npm run bench`: 3 rounds of 10 s per target after a 3 s warm-up, 50 connections.
 * BENCH_SMOKE=1 (`npm run bench:smoke`, CI): 1 round of 2 s. Each figure can be set on its own.
 */
export function benchSettings(): BenchSettings {
  const smoke = setting('BENCH_SMOKE');
  const auditDatabase = setting('BENCH_AUDIT_DATABASE_URL') ?? postgresUrl;
  return {
    smoke,
    rounds: setting('BENCH_ROUNDS') ?? (smoke ? 1 : 3),
    seconds: setting('BENCH_SECONDS') ?? (smoke ? 2 : 10),
    warmupSeconds: setting('BENCH_WARMUP_SECONDS') ?? (smoke ? 1 : 3),
    connections: setting('BENCH_CONNECTIONS'),
    callersPerConnection: setting('BENCH_CALLERS_PER_CONNECTION'),
    probeSeconds: setting('BENCH_PROBE_SECONDS') ?? (smoke ? 1 : 5),
    workloads: setting('BENCH_WORKLOADS'),
    targets: setting('BENCH_TARGETS')?.split(';').map((name) => name.trim()),
    cpuProfileDir: setting('BENCH_CPU_PROF_DIR'),
    auditDatabaseUrl: auditDatabase === 'pglite' ? undefined : auditDatabase,
  };
}
