/** What the fan-out benchmark's processes tell each other over IPC. */

export interface AppointmentRef {
  id: string;
  patientId: string;
}

/** The stack (subgraphs on seeded demo data), once it listens. */
export interface StackReady {
  subgraphUrls: Record<string, string>;
  appointments: AppointmentRef[];
  /** Active coverages: which payer hears of which patient's events. */
  coverages: Array<{ patientId: string; payerId: string }>;
}

export interface GatewayReady {
  url: string;
}

/** From the start of publishing to the end of delivery. */
export interface GatewayUsage {
  /** Gateway worker processes behind the one port; the figures below are their sum. */
  workers: number;
  cpuPercentOfOneCore: number;
  /** CPU time over the same span: per delivery, it hardly depends on what else the machine runs. */
  cpuMs: number;
  /** Of it, in the kernel (system time): mostly the sockets' writes. */
  systemCpuMs: number;
  peakRssMiB: number;
  /** Queries the hub ran through the gateway: resolutions, membership reads. */
  reads: number;
  /** Their time in all (ms), from asked to answered. */
  readMs: number;
  /** Audit trail transactions (appends) committed, and their time in all: every delivery waits on one. */
  auditCommits: number;
  auditCommitMs: number;
  /** The event loop's delay, 99th percentile, of the worst worker: how long a settled delivery may wait its turn. */
  loopDelayP99Ms: number;
}

export interface SubscriberPlan {
  url: string;
  /** Subscribers replay after it, so one that joins late misses nothing. */
  after: string;
  subscribers: Array<{ identity: string; authorization: string }>;
}

export interface SubscribersReady {
  connected: number;
  refused: number;
}

export interface SubscribersReport {
  /** Events each subscriber received, in plan order. */
  delivered: number[];
  /** Events received twice or out of log order. */
  disordered: number;
  /** Events that came with errors (entity unavailable, rate limited...). */
  withErrors: number;
  /** Connections closed before the end, and how many with each close code and reason. */
  closed: number;
  closeCodes: Record<string, number>;
  latencyMs: { p50: number; p99: number; max: number };
}

/** progress: events received so far; reset: forget the warm-up; report: the figures. */
export type SubscribersRequest = 'progress' | 'reset' | 'report';
