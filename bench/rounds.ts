import { loadavg } from 'node:os';
import { errorCount } from './load/drive.ts';
import type { GraphQLRequest } from './load/graphql-request.ts';
import { measureRound, type RoundResult } from './measure.ts';
import type { BenchSettings } from './settings.ts';
import { describeErrors } from './table.ts';
import type { Stack, Target } from './targets.ts';
import { firstDifference, responsesOf, withErrors } from './verify.ts';
import type { Workload } from './workloads.ts';

export interface WorkloadResult {
  rounds: Map<Target, RoundResult[]>;
  /** Per target, the first response that differs from the reference's in any round; absent when all match. */
  differences: Map<Target, string>;
  /** Per target, the subgraph requests it sent per operation while its responses were checked. */
  subgraphRequestsPerOperation: Map<Target, number>;
  checkedRequests: number;
  /** Reference responses that carry GraphQL errors. */
  referenceErrors: number;
}

const rotate = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length]!);

/**
 * Runs a workload's targets one at a time, each in a process of its own started for the round and
 * stopped after it, the order rotating from round to round. In every round, before its load, each
 * target answers all the workload's requests, compared with the first target's answers of the first
 * round. Before that, the subgraphs count the requests it sends them for one connection's
 * operations sent one at a time.
 */
export async function runWorkload(workload: Workload, stack: Stack, targets: Target[], settings: BenchSettings): Promise<WorkloadResult> {
  const connections = Array.from({ length: settings.connections }, (_, i) => i);
  const everyRequest = (target: Target): GraphQLRequest[] => connections.flatMap((i) => target.requestsOf(i));
  const result: WorkloadResult = {
    rounds: new Map(targets.map((target) => [target, []])),
    differences: new Map(),
    subgraphRequestsPerOperation: new Map(),
    checkedRequests: 0,
    referenceErrors: 0,
  };
  let reference: string[] | undefined;
  for (let round = 0; round < settings.rounds; round++) {
    for (const target of rotate(targets, round)) {
      const running = await target.start();
      try {
        // One operation at a time, so what is counted is each plan's requests, not a deduplication across operations.
        const counted = target.requestsOf(0);
        const subgraphRequestsBefore = await stack.subgraphRequests();
        await responsesOf(running.url, counted, 1);
        result.subgraphRequestsPerOperation.set(target, ((await stack.subgraphRequests()) - subgraphRequestsBefore) / counted.length);
        const requests = everyRequest(target);
        const responses = await responsesOf(running.url, requests);
        if (!reference) {
          reference = responses;
          result.checkedRequests = requests.length;
          result.referenceErrors = withErrors(responses);
        }
        const difference = firstDifference(reference, responses, requests);
        if (difference && !result.differences.has(target)) result.differences.set(target, `round ${round + 1}, ${difference}`);
        const measured = await measureRound(target, running, stack.pid, settings, workload.probeLatency);
        result.rounds.get(target)!.push(measured);
        const { responses: answered, seconds, errors } = measured.load;
        // The machine's load average: other work on it shows in the figures.
        console.error(`  [${workload.key}] round ${round + 1}/${settings.rounds} ${target.name}: ${(answered / seconds).toFixed(1)} req/s, ${errorCount(errors)} errors ${describeErrors(errors)} (load average ${loadavg()[0]!.toFixed(1)})`);
      } finally {
        await running.stop();
      }
    }
  }
  return result;
}
