import {
  GraphQLError,
  Kind,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode, type InputReason } from '../../platform/errors.ts';
import { inputLimitRefusal } from '../hardening/input-limits-plugin.ts';
import { checkOperationLimits, type OperationLimits } from '../limits/operation-limits.ts';
import { topics, type EventTopic } from '../../platform/events/topics.ts';
import { sharedSelection, type SharedSelection } from './shared-selection.ts';

/** Which of a topic's events a subscriber wants: every given criterion must match. */
export interface EventFilter {
  /** Values of the topic's event type enum. */
  types?: readonly string[];
  patientId?: string;
  practitionerId?: string;
  onboardingId?: string;
  /** Values of the onboarding status its event announces. */
  statuses?: readonly string[];
}

/** A subscribe message, read and checked: what the hub needs to serve it. */
export interface SubscriptionRequest {
  topic: EventTopic;
  filter: EventFilter;
  /** The log id to replay after; absent: live events only. */
  after?: string;
  selection: SharedSelection;
}

export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

const LOG_ID = /^\d+-\d+$/;
/** graphql 16 words it "more that"; later versions may fix the typo. */
const TOKEN_LIMIT_MESSAGE = /Document contains more tha[nt] \d+ tokens/;

const refused = (code: string, message: string, extensions: Record<string, unknown> = {}) => [
  new GraphQLError(message, { extensions: { code, ...extensions } }),
];

function parsed(query: string, maxTokens: number): DocumentNode | GraphQLError[] {
  try {
    return parse(query, { maxTokens });
  } catch (error) {
    const { message } = error as Error;
    return refused(TOKEN_LIMIT_MESSAGE.test(message) ? ErrorCode.MAX_TOKENS_EXCEEDED : ErrorCode.GRAPHQL_PARSE_FAILED, message);
  }
}

/** graphql's messages quote the value, which may be patient data: only the variable's name is repeated. */
function invalidVariable(error: GraphQLError): GraphQLError {
  const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1] ?? '?';
  return new GraphQLError(`Variable "$${name}" has a value that is not valid`, { extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'INVALID_VALUE' satisfies InputReason } });
}

/** The one field a subscription selects at its root, through fragments if it must. */
function rootFieldOf(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FieldNode | undefined {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const nested = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments.get(selection.name.value)?.selectionSet;
    const field = nested && rootFieldOf(nested, fragments);
    if (field) return field;
  }
  return undefined;
}

/**
 * Parses with the token limit, validates against the subscription schema and applies the operation
 * limits, as the HTTP pipeline does; only subscriptions are served here.
 */
export function readSubscriptionRequest(schema: GraphQLSchema, payload: SubscribePayload, limits: OperationLimits): SubscriptionRequest | GraphQLError[] {
  const document = parsed(payload.query, limits.maxTokens);
  if (Array.isArray(document)) return document;
  const invalid = validate(schema, document);
  if (invalid.length > 0) return invalid.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: ErrorCode.GRAPHQL_VALIDATION_FAILED } }));
  const operation = getOperationAST(document, payload.operationName ?? undefined);
  if (!operation) return refused('OPERATION_RESOLUTION_FAILURE', 'The document has several operations: name the one to run');
  if (operation.operation !== 'subscription') return refused('BAD_REQUEST', 'Only subscriptions are served over WebSocket; send queries and mutations over HTTP');
  const [violation] = checkOperationLimits(document, limits);
  if (violation) return refused(violation.code, violation.message, { limit: violation.limit, measured: violation.measured });
  const overLimit = inputLimitRefusal({ variables: payload.variables, document, operation });
  if (overLimit) return [overLimit];
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
  if (variables.errors) return variables.errors.map(invalidVariable);
  const fragments = new Map(document.definitions.filter((node) => node.kind === Kind.FRAGMENT_DEFINITION).map((node) => [node.name.value, node]));
  const rootField = rootFieldOf(operation.selectionSet, fragments);
  const topic = rootField && Object.values(topics).find((candidate) => candidate.field === rootField.name.value);
  if (!rootField || !topic) return refused(ErrorCode.GRAPHQL_VALIDATION_FAILED, 'Select one event field at the subscription root');
  const args = getArgumentValues(schema.getSubscriptionType()!.getFields()[topic.field]!, rootField, variables.coerced);
  const after = (args.after as string | null | undefined) ?? undefined;
  if (after !== undefined && !LOG_ID.test(after)) return refused('BAD_USER_INPUT', '`after` takes the `id` of an event received earlier');
  const filter = (args.filter ?? {}) as { [Criterion in keyof EventFilter]?: EventFilter[Criterion] | null };
  return {
    topic,
    filter: {
      types: filter.types ?? undefined,
      patientId: filter.patientId ?? undefined,
      practitionerId: filter.practitionerId ?? undefined,
      onboardingId: filter.onboardingId ?? undefined,
      statuses: filter.statuses ?? undefined,
    },
    after,
    selection: sharedSelection(document, operation, rootField, variables.coerced),
  };
}
