import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, GraphQLError, visit, type ASTNode, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { ErrorCode, type InputReason } from '../../platform/errors.ts';
import { CONTROL_CHARACTER, inputLimits as defaultInputLimits, type InputLimits } from '../../policies/input-limits.ts';

/**
 * The input limits of `policies/input-limits.ts` on every input of a request, variables and values written
 * in the document alike. The body limit alone lets a 900 kB string through, a NUL byte reaches PostgreSQL
 * as a 500, and demand control prices a list of scalars at 0, so a 100 000-id list would reach a
 * subgraph's SQL as it is and a list nested thousands deep would overflow the stack of whoever walks it.
 */
interface Violation {
  reason: InputReason;
  message: string;
  limit?: number;
}

function stringViolation(text: string, limits: InputLimits): Violation | undefined {
  if (text.length > limits.maxStringLength) {
    return { reason: 'INPUT_TOO_LONG', message: `is longer than ${limits.maxStringLength} characters`, limit: limits.maxStringLength };
  }
  if (CONTROL_CHARACTER.test(text)) return { reason: 'INPUT_CONTROL_CHARACTER', message: 'holds a control character' };
  return undefined;
}

function listViolation(length: number, limits: InputLimits): Violation | undefined {
  if (length <= limits.maxListLength) return undefined;
  return { reason: 'LIST_TOO_LONG', message: `holds a list of more than ${limits.maxListLength} items`, limit: limits.maxListLength };
}

/** The first violation in one variable's value, walked without recursion (keys are checked as strings too). */
function variableViolation(value: unknown, limits: InputLimits): Violation | undefined {
  const pending: Array<[unknown, number]> = [[value, 2]];
  while (pending.length > 0) {
    const [node, level] = pending.pop()!;
    if (typeof node === 'string') {
      const violation = stringViolation(node, limits);
      if (violation) return violation;
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    if (level > limits.maxDepth) {
      return { reason: 'INPUT_TOO_DEEP', message: `is nested deeper than ${limits.maxDepth} levels`, limit: limits.maxDepth };
    }
    if (Array.isArray(node)) {
      const violation = listViolation(node.length, limits);
      if (violation) return violation;
      for (const item of node) pending.push([item, level + 1]);
    } else {
      for (const [key, item] of Object.entries(node)) pending.push([key, level], [item, level + 1]);
    }
  }
  return undefined;
}

type LiteralViolation = { violation: Violation; node: ASTNode } | null;

/** Per limits, per parsed document: Apollo Server hands back one parsed document per query, so each is walked once. */
const literalChecks = new WeakMap<InputLimits, WeakMap<DocumentNode, LiteralViolation>>();

function literalViolation(document: DocumentNode, limits: InputLimits): LiteralViolation {
  let checked = literalChecks.get(limits);
  if (!checked) literalChecks.set(limits, (checked = new WeakMap()));
  let found = checked.get(document);
  if (found === undefined) checked.set(document, (found = firstLiteralViolation(document, limits)));
  return found;
}

/** The first violation among the values written in the document (the token limit bounds their count, not a string's length). */
function firstLiteralViolation(document: DocumentNode, limits: InputLimits): LiteralViolation {
  let found: LiteralViolation = null;
  const check = (violation: Violation | undefined, node: ASTNode) => {
    if (!violation) return undefined;
    found = { violation, node };
    return BREAK;
  };
  visit(document, {
    StringValue: (node) => check(stringViolation(node.value, limits), node),
    ListValue: (node) => check(listViolation(node.values.length, limits), node),
  });
  return found;
}

const refusal = ({ reason, message, limit }: Violation, where: string, nodes?: ASTNode) =>
  new GraphQLError(`${where} ${message}`, { nodes, extensions: { code: ErrorCode.BAD_USER_INPUT, reason, limit, http: { status: 400 } } });

/** The refusal of a request's first input over a limit, if any: over HTTP and over WebSocket alike. */
export function inputLimitRefusal(
  { variables, document, operation }: { variables?: Record<string, unknown> | null; document: DocumentNode; operation?: OperationDefinitionNode },
  limits: InputLimits = defaultInputLimits,
): GraphQLError | undefined {
  // A name is repeated only when the operation declares it: any other is the caller's text.
  const declared = new Set(operation?.variableDefinitions?.map((definition) => definition.variable.name.value));
  for (const [name, value] of Object.entries(variables ?? {})) {
    const violation = variableViolation(value, limits) ?? (declared.has(name) ? undefined : stringViolation(name, limits));
    if (violation) return refusal(violation, declared.has(name) ? `Variable "$${name}"` : 'A variable');
  }
  const literal = literalViolation(document, limits);
  return literal ? refusal(literal.violation, 'A value in the document', literal.node) : undefined;
}

/**
 * Refuses with HTTP 400 in didResolveOperation, before any subgraph is called. Listed before the cost
 * plugin, whose estimate walks the same variables in the same hook, so its refusal is the one answered.
 */
export function inputLimitsPlugin(limits: InputLimits = defaultInputLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          const refused = inputLimitRefusal({ variables: request.variables, document, operation }, limits);
          if (refused) throw refused;
        },
      };
    },
  };
}
