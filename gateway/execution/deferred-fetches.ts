import type { FetchNode, FlattenNode, ParallelNode, PlanNode, SequenceNode } from '@apollo/query-planner';

type EntityFetchStep = FlattenNode & { node: FetchNode };

const isEntityFetch = (node: PlanNode): node is EntityFetchStep => node.kind === 'Flatten' && node.node.kind === 'Fetch' && !!node.node.requires;

/**
 * A plan with entity fetches moved to where they can share a request. In `Parallel { X, Sequence
 * { …, Y } }` where X and Y are entity fetches to one subgraph, X waits for Y's step and goes with
 * it: the Sequence is the longer branch anyway, so the answer comes no later, with one request
 * fewer. X's inputs were there when the Parallel started, and the steps before Y do not touch what
 * X reads (else @apollo/gateway's planner would not have run them side by side).
 */
export function withDeferredFetches(node: PlanNode): PlanNode {
  switch (node.kind) {
    case 'Sequence':
      return { ...node, nodes: node.nodes.map(withDeferredFetches) };
    case 'Flatten':
      return { ...node, node: withDeferredFetches(node.node) };
    case 'Condition':
      return {
        ...node,
        ifClause: node.ifClause && withDeferredFetches(node.ifClause),
        elseClause: node.elseClause && withDeferredFetches(node.elseClause),
      };
    case 'Parallel':
      return deferInto({ ...node, nodes: node.nodes.map(withDeferredFetches) });
    default:
      return node;
  }
}

function deferInto(parallel: ParallelNode): PlanNode {
  let nodes = parallel.nodes;
  for (const fetch of parallel.nodes.filter(isEntityFetch)) {
    const sequences = nodes.filter((node): node is SequenceNode => node.kind === 'Sequence');
    for (const sequence of sequences) {
      const last = sequence.nodes.at(-1);
      const joined = last && joinedStep(last, fetch);
      if (!joined) continue;
      const moved: SequenceNode = { ...sequence, nodes: [...sequence.nodes.slice(0, -1), joined] };
      nodes = nodes.filter((node) => node !== fetch).map((node) => (node === sequence ? moved : node));
      break;
    }
  }
  return nodes.length === 1 ? nodes[0]! : { ...parallel, nodes };
}

/** The step `last` with `fetch` alongside, when `last` has an entity fetch to the same subgraph. */
function joinedStep(last: PlanNode, fetch: EntityFetchStep): PlanNode | undefined {
  const sameSubgraph = (node: PlanNode) => isEntityFetch(node) && node.node.serviceName === fetch.node.serviceName;
  if (sameSubgraph(last)) return { kind: 'Parallel', nodes: [last, fetch] };
  if (last.kind === 'Parallel' && last.nodes.some(sameSubgraph)) return { ...last, nodes: [...last.nodes, fetch] };
  return undefined;
}
