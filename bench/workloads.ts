import { federationBenchmarkQuery } from './federation-benchmark/query.ts';
import { fixedSubgraphAuthorization, internalAuthorizationOf, patientId, type BenchCaller } from './healthcare/callers.ts';
import { billingStatement, daySchedule, patientCard, patientOverview } from './healthcare/queries.ts';
import { graphqlRequest, type GraphQLRequest } from './load/graphql-request.ts';
import { bareApolloGateway, directSubgraph, hiveGateway, ourGateway, type Stack, type Target } from './targets.ts';

export interface WorkloadSettings {
  callersPerConnection: number;
  cpuProfileDir?: string;
  auditDatabaseUrl?: string;
}

export interface Workload {
  key: 'a' | 'b' | 'c';
  title: string;
  stack: 'federation' | 'healthcare';
  /** Bare @apollo/gateway first: it is the reference of every ratio and of the response check. */
  targets(stack: Stack, callers: BenchCaller[], settings: WorkloadSettings): Promise<Target[]>;
  /** The one-subgraph workload also measures latency one request at a time, against the direct call. */
  probeLatency: boolean;
}

/** Connection i's callers: a slice of its own, so no two connections share a token. */
const perConnection = (callers: BenchCaller[], { callersPerConnection }: WorkloadSettings, requestsOf: (caller: BenchCaller) => GraphQLRequest[]) =>
  (connection: number) => callers.slice(connection * callersPerConnection, (connection + 1) * callersPerConnection).flatMap(requestsOf);

const practitionerId = (n: number) => `prac-${String((n % 12) + 1).padStart(2, '0')}`;

/** A day within a week of today: inside the demo schedule, which spans two weeks either side of this week. */
function scheduleDate(n: number): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + (n % 7) - 3);
  return day.toISOString().slice(0, 10);
}

function portalMix({ n, persona, patient, authorization }: BenchCaller): GraphQLRequest[] {
  const headers = { authorization };
  const overview = (id: string) => graphqlRequest('patient overview', patientOverview, { id }, headers);
  const statement = (id: string) => graphqlRequest('billing statement', billingStatement, { id }, headers);
  if (persona === 'patient') return [overview(patient!), statement(patient!)];
  if (persona === 'billing_specialist') return [statement(patientId(n)), overview(patientId(n + 150))];
  return [overview(patientId(n)), graphqlRequest('day schedule', daySchedule, { id: practitionerId(n), date: scheduleDate(n) }, headers), statement(patientId(n + 150))];
}

const patientCards = ({ n, patient }: BenchCaller, authorization: string): GraphQLRequest[] =>
  (patient ? [patient] : [patientId(n), patientId(n + 150)]).map((id) => graphqlRequest('patient card', patientCard, { id }, { authorization }));

/** Ours with the full pipeline (profiled when asked) and with GOVERNANCE=off, on the same audit trail database. */
const ourGateways = (stack: Stack, { cpuProfileDir, auditDatabaseUrl }: WorkloadSettings, requestsOf: Target['requestsOf']): Target[] => [
  ourGateway(stack, { governance: true, cpuProfileDir, auditDatabaseUrl }, requestsOf),
  ourGateway(stack, { governance: false, auditDatabaseUrl }, requestsOf),
];

/** The gateways of a workload on the healthcare graph, where subgraphs require an internal token. */
async function healthcareGateways(stack: Stack, settings: WorkloadSettings, requestsOf: Target['requestsOf']): Promise<Target[]> {
  const fixed = await fixedSubgraphAuthorization(stack.dataDir);
  return [
    bareApolloGateway(stack, fixed, false, requestsOf),
    bareApolloGateway(stack, fixed, true, requestsOf),
    ...ourGateways(stack, settings, requestsOf),
    hiveGateway(stack, fixed, { governance: true, routerRuntime: false }, requestsOf),
    hiveGateway(stack, fixed, { governance: true, routerRuntime: true }, requestsOf),
  ];
}

export const workloads: Workload[] = [
  {
    key: 'a',
    title: '(a) federation benchmark: four subgraphs, the nested reviews/products/authors query',
    stack: 'federation',
    probeLatency: false,
    // Callers send tokens here too: our pipeline gives anonymous callers one shared budget of 10
    // points a second, which would answer this query with RATE_LIMITED. The others ignore them.
    async targets(stack, callers, settings) {
      const requestsOf = perConnection(callers, settings, ({ authorization }) => [
        graphqlRequest('federation benchmark', federationBenchmarkQuery, {}, { authorization }),
      ]);
      return [
        bareApolloGateway(stack, undefined, false, requestsOf),
        bareApolloGateway(stack, undefined, true, requestsOf),
        ...ourGateways(stack, settings, requestsOf),
        hiveGateway(stack, undefined, { governance: false, routerRuntime: false }, requestsOf),
        hiveGateway(stack, undefined, { governance: false, routerRuntime: true }, requestsOf),
      ];
    },
  },
  {
    key: 'b',
    title: '(b) portal mix: patient overview, day schedule, billing statement; a distinct caller per token',
    stack: 'healthcare',
    probeLatency: false,
    async targets(stack, callers, settings) {
      const requestsOf = perConnection(callers, settings, portalMix);
      // The price of observing it: the full pipeline without metrics, and with spans exported.
      const telemetry = (['none', 'traced', 'sampled'] as const).map((kind) => ourGateway(stack, { governance: true, telemetry: kind, cpuProfileDir: settings.cpuProfileDir, auditDatabaseUrl: settings.auditDatabaseUrl }, requestsOf));
      return [...(await healthcareGateways(stack, settings, requestsOf)), ...telemetry];
    },
  },
  {
    key: 'c',
    title: '(c) one subgraph: a patient card from the patients subgraph, and the subgraph called directly',
    stack: 'healthcare',
    probeLatency: true,
    async targets(stack, callers, settings) {
      const internal = await Promise.all(callers.map((caller) => internalAuthorizationOf(stack.dataDir, caller)));
      const direct = perConnection(callers, settings, (caller) => patientCards(caller, internal[caller.n]!));
      const gateways = await healthcareGateways(stack, settings, perConnection(callers, settings, (caller) => patientCards(caller, caller.authorization)));
      return [...gateways, directSubgraph('patients', stack.subgraphUrls.patients!, direct)];
    },
  },
];
