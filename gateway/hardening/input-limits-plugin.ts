import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * Bounds on the variables of a request. Literal arguments need none: the parser's token limit bounds them.
 * Variables only meet the body limit, and demand control prices a list of scalars or enums at 0, so a
 * 100 000-id list would reach a subgraph's SQL as it is, and a list nested thousands deep would overflow
 * the stack of whoever walks it first.
 */
const inputLimits = {
  /** The longest list a mutation of the portal or an Odoo batch sends is far below this. */
  maxListLength: 1000,
  /** Nesting of objects and lists, the variables object being 1: the deepest input type needs 4. */
  maxDepth: 16,
};

/** The longest list and the deepest nesting in a JSON value, without recursion. */
function measureInput(value: unknown): { longestList: number; depth: number } {
  let longestList = 0;
  let depth = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [node, level] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    depth = Math.max(depth, level);
    if (Array.isArray(node)) longestList = Math.max(longestList, node.length);
    for (const item of Array.isArray(node) ? node : Object.values(node)) pending.push([item, level + 1]);
  }
  return { longestList, depth };
}

/**
 * Refuses oversized variables with HTTP 400 in didResolveOperation, before any subgraph is called. Listed before
 * the cost plugin, whose estimate walks the same variables in the same hook, its refusal is the one answered.
 */
export function inputLimitsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request }) {
          const { longestList, depth } = measureInput(request.variables ?? {});
          if (longestList > inputLimits.maxListLength) throw refusal('MAX_INPUT_LIST_LENGTH_EXCEEDED', 'list', longestList, inputLimits.maxListLength);
          if (depth > inputLimits.maxDepth) throw refusal('MAX_INPUT_DEPTH_EXCEEDED', 'nesting', depth, inputLimits.maxDepth);
        },
      };
    },
  };
}

function refusal(code: string, what: string, measured: number, limit: number): GraphQLError {
  return new GraphQLError(`A variable's ${what} of ${measured} exceeds the limit of ${limit}`, {
    extensions: { code, limit, measured, http: { status: 400 } },
  });
}
