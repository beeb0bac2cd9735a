import type { PlanNode } from '@apollo/query-planner';

/**
 * Entity fetches of one operation to one subgraph, sent as one request. A batch goes at the end of
 * the turn of the event loop in which it opened (setImmediate: after that turn's I/O callbacks),
 * unless a fetch of the operation is in flight whose next steps may fetch from the same subgraph:
 * then it waits for those answers, so that parallel branches of a plan share a request even when
 * their inputs arrive a few milliseconds apart. Only fetches already sent are waited for, and each
 * ends (an answer, an error or the subgraph timeout), so a batch never waits on another batch.
 */
export interface FetchBatches<T> {
  /** Adds `item` to `subgraph`'s open batch; resolves once that batch was sent and handled. */
  add(subgraph: string, item: T): Promise<void>;
  /** Runs `call` (a fetch and the handling of its answer), counted in flight for the subgraphs in `next`. */
  inFlight<R>(next: ReadonlySet<string>, call: () => Promise<R>): Promise<R>;
}

export function fetchBatches<T>(send: (subgraph: string, items: T[]) => Promise<void>): FetchBatches<T> {
  const open = new Map<string, { items: T[]; release: () => void; sent: Promise<void> }>();
  /** Per subgraph, the fetches in flight whose next steps may fetch from it. */
  const awaited = new Map<string, number>();
  let checking = false;

  function sendReady(): void {
    checking = false;
    for (const [subgraph, batch] of open) {
      if ((awaited.get(subgraph) ?? 0) > 0) continue;
      open.delete(subgraph);
      batch.release();
    }
  }
  // Checked after the turn's callbacks and their promise continuations, which may still add to a batch.
  function checkAtEndOfTurn(): void {
    if (checking) return;
    checking = true;
    setImmediate(sendReady);
  }

  return {
    add(subgraph, item) {
      let batch = open.get(subgraph);
      if (!batch) {
        const items: T[] = [];
        let release!: () => void;
        const sent = new Promise<void>((resolve) => (release = resolve)).then(() => send(subgraph, items));
        batch = { items, release, sent };
        open.set(subgraph, batch);
        checkAtEndOfTurn();
      }
      batch.items.push(item);
      return batch.sent;
    },
    async inFlight(next, call) {
      for (const subgraph of next) awaited.set(subgraph, (awaited.get(subgraph) ?? 0) + 1);
      try {
        return await call();
      } finally {
        for (const subgraph of next) awaited.set(subgraph, awaited.get(subgraph)! - 1);
        checkAtEndOfTurn();
      }
    },
  };
}

/**
 * For each fetch of a plan, the subgraphs that the entity fetches which may start when it has
 * answered would call: the first entity fetches of the step after it in its Sequence, or, when it
 * ends its Sequence, of the step after the enclosing one. Root fetches are never batched, so only
 * entity fetches count.
 */
export function nextEntityFetches(root: PlanNode): Map<PlanNode, ReadonlySet<string>> {
  const next = new Map<PlanNode, ReadonlySet<string>>();
  const visit = (node: PlanNode, after: ReadonlySet<string>): void => {
    switch (node.kind) {
      case 'Fetch':
        next.set(node, after);
        return;
      case 'Flatten':
        visit(node.node, after);
        return;
      case 'Parallel':
        for (const child of node.nodes) visit(child, after);
        return;
      case 'Sequence':
        node.nodes.forEach((child, i) => visit(child, i + 1 < node.nodes.length ? firstEntityFetches(node.nodes[i + 1]!) : after));
        return;
      case 'Condition':
        if (node.ifClause) visit(node.ifClause, after);
        if (node.elseClause) visit(node.elseClause, after);
        return;
      default:
        return;
    }
  };
  visit(root, new Set());
  return next;
}

/** The subgraphs of the entity fetches that start first when `node` runs. */
function firstEntityFetches(node: PlanNode, into = new Set<string>()): Set<string> {
  switch (node.kind) {
    case 'Fetch':
      if (node.requires) into.add(node.serviceName);
      break;
    case 'Flatten':
      firstEntityFetches(node.node, into);
      break;
    case 'Parallel':
      for (const child of node.nodes) firstEntityFetches(child, into);
      break;
    case 'Sequence':
      if (node.nodes[0]) firstEntityFetches(node.nodes[0], into);
      break;
    case 'Condition':
      if (node.ifClause) firstEntityFetches(node.ifClause, into);
      if (node.elseClause) firstEntityFetches(node.elseClause, into);
      break;
  }
  return into;
}
