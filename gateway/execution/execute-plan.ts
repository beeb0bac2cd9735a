import type { GraphQLDataSource } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types.js';
import { applyRewrites } from '@apollo/gateway/dist/dataRewrites.js';
import { generateHydratedPaths } from '@apollo/gateway/dist/executeQueryPlan.js';
import type { OperationContext } from '@apollo/gateway/dist/operationContext.js';
import { computeResponse } from '@apollo/gateway/dist/resultShaping.js';
import { deepMerge } from '@apollo/gateway/dist/utilities/deepMerge.js';
import { ERRORS, errorCodeDef, operationFromDocument, type Operation, type Schema } from '@apollo/federation-internals';
import { evaluateCondition, type FetchNode, type ParallelNode, type PlanNode, type QueryPlan, type ResponsePath } from '@apollo/query-planner';
import type { GatewayExecutionResult, GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { GraphQLError, Kind, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { withDeferredFetches } from './deferred-fetches.ts';
import { executeIntrospection } from './introspection.ts';
import { mergedEntityOperation } from './merged-entity-operation.ts';
import { representationOf } from './representations.ts';
import { fetchBatches, nextEntityFetches, type FetchBatches } from './fetch-batches.ts';

export interface PlanExecution {
  queryPlan: QueryPlan;
  services: Record<string, GraphQLDataSource>;
  requestContext: GatewayGraphQLRequestContext;
  operationContext: OperationContext;
  supergraphSchema: GraphQLSchema;
  apiSchema: Schema;
}

interface Run {
  services: Record<string, GraphQLDataSource>;
  requestContext: GatewayGraphQLRequestContext;
  supergraphSchema: GraphQLSchema;
  operation: Operation;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  /** Entity fetches to one subgraph go in one request when their inputs arrive together (fetch-batches.ts). */
  batches: FetchBatches<EntityFetch>;
  /** Per fetch of the plan, the subgraphs its next entity fetches call. */
  next: Map<PlanNode, ReadonlySet<string>>;
}

/** Where a plan node works: the response path so far, the objects there, and the whole result. */
interface Cursor {
  path: ResponsePath;
  data: any;
  fullResult: Record<string, any>;
}

/** An entity fetch ready to send: each distinct representation once, and which one each entity sent. */
interface EntityFetch {
  fetch: FetchNode;
  cursor: Cursor;
  entities: any[];
  representations: Record<string, unknown>[];
  /** Per entity, the index of its representation, or -1 when it has none (no __typename). */
  representationOf: number[];
}

/** Per cached plan: its operation in federation-internals' terms (to shape responses), its nodes as we run them, and what follows each fetch. */
const prepared = new WeakMap<QueryPlan, { operation: Operation; root?: PlanNode; next: Map<PlanNode, ReadonlySet<string>> }>();

const nothingNext: ReadonlySet<string> = new Set();

/**
 * Executes a plan of @apollo/gateway with the results it would give, in fewer subgraph requests:
 * entity fetches to one subgraph go as one request (aliased `_entities` fields) when their inputs
 * arrive together, or when one branch's fetch can wait for an answer in flight that feeds another
 * branch's (fetch-batches.ts), and identical representations in an entity fetch are sent once. Every
 * request still goes through the subgraph's data source, with its hooks (identity, disclosures).
 * The merged data is shaped once (Apollo's computeResponse), without graphql-js execution.
 */
export async function executePlan({ queryPlan, services, requestContext, operationContext, supergraphSchema, apiSchema }: PlanExecution): Promise<GatewayExecutionResult> {
  if (queryPlan.node?.kind === 'Subscription') throw new Error('Execution of subscriptions not supported by gateway');
  let plan = prepared.get(queryPlan);
  if (!plan) {
    try {
      const operation = operationFromDocument(apiSchema, { kind: Kind.DOCUMENT, definitions: [operationContext.operation, ...Object.values(operationContext.fragments)] }, { validate: false });
      const root = queryPlan.node && withDeferredFetches(queryPlan.node);
      plan = { operation, root, next: root ? nextEntityFetches(root) : new Map() };
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      throw error;
    }
    prepared.set(queryPlan, plan);
  }
  const { operation, root, next } = plan;
  const variables = requestContext.request.variables ?? {};
  const run: Run = { services, requestContext, supergraphSchema, operation, variables, errors: [], batches: fetchBatches((_, fetches) => sendEntityFetches(run, fetches)), next };
  const data: Record<string, any> = Object.create(null);
  if (root) await executeNode(run, root, { path: [], data, fullResult: data });
  const { errors } = run;
  try {
    const shaped = computeResponse({
      operation,
      variables,
      input: data,
      introspectionHandling: (field) => executeIntrospection(operationContext, field.expandFragments().toSelectionNode(), variables),
    });
    if (errors.length === 0 && shaped.errors.length > 0) return { extensions: { valueCompletion: shaped.errors }, data: shaped.data };
    return errors.length === 0 ? { data: shaped.data } : { errors, data: shaped.data };
  } catch (error) {
    if (error instanceof GraphQLError) return { errors: [error] };
    const message = error instanceof Error ? error.message : 'Unexpected error during query plan execution';
    return { errors: [new GraphQLError(message, { originalError: error instanceof Error ? error : undefined })] };
  }
}

async function executeNode(run: Run, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(run, child, cursor);
      return;
    case 'Parallel':
      await executeParallel(run, node, cursor);
      return;
    case 'Flatten':
      await executeNode(run, node.node, moveIntoCursor(cursor, node.path));
      return;
    case 'Fetch':
      try {
        await executeFetch(run, node, cursor);
      } catch (error) {
        run.errors.push(error as GraphQLError);
      }
      return;
    case 'Condition': {
      const branch = evaluateCondition(node, run.operation.variableDefinitions, run.variables) ? node.ifClause : node.elseClause;
      if (branch) await executeNode(run, branch, cursor);
      return;
    }
    case 'Defer':
      throw new Error('@defer support is not available in the gateway');
  }
}

async function executeParallel(run: Run, node: ParallelNode, cursor: Cursor): Promise<void> {
  await Promise.all(node.nodes.map((child) => executeNode(run, child, cursor)));
}

async function executeFetch(run: Run, fetch: FetchNode, cursor: Cursor): Promise<void> {
  if (fetch.requires) {
    const prepared = prepareEntityFetch(run, fetch, cursor);
    if (prepared) await run.batches.add(fetch.serviceName, prepared);
    return;
  }
  const entities = Array.isArray(cursor.data) ? cursor.data.filter(isPresent) : [cursor.data];
  if (entities.length < 1) return;
  await run.batches.inFlight(run.next.get(fetch) ?? nothingNext, async () => {
    const response = await send(run, fetch.serviceName, {
      query: fetch.operation,
      operationName: fetch.operationName,
      variables: userVariables(run, fetch),
      document: fetch.operationDocumentNode,
      path: cursor.path,
    });
    reportErrors(run, fetch, cursor, response.errors ?? []);
    const received = response.data;
    if (received) applyRewrites(run.supergraphSchema, fetch.outputRewrites, received);
    for (const entity of entities) deepMerge(entity, received);
  });
}

function prepareEntityFetch(run: Run, fetch: FetchNode, cursor: Cursor): EntityFetch | undefined {
  const entities = Array.isArray(cursor.data) ? cursor.data.filter(isPresent) : [cursor.data];
  const representations: Record<string, unknown>[] = [];
  const indexOf = new Map<string, number>();
  const representationOfEntity = entities.map((entity) => {
    const representation = representationOf(run.supergraphSchema, entity, fetch.requires!);
    if (!representation?.__typename) return -1;
    applyRewrites(run.supergraphSchema, fetch.inputRewrites, representation);
    // The same entity asked for twice gets one answer: its representation is sent once.
    const key = JSON.stringify(representation);
    let index = indexOf.get(key);
    if (index === undefined) {
      index = representations.push(representation) - 1;
      indexOf.set(key, index);
    }
    return index;
  });
  if (representations.length < 1) return undefined;
  return { fetch, cursor, entities, representations, representationOf: representationOfEntity };
}

/** One request for one or more entity fetches to the same subgraph, in flight for what follows each of them. */
function sendEntityFetches(run: Run, fetches: EntityFetch[]): Promise<void> {
  const next = new Set<string>();
  for (const { fetch } of fetches) for (const subgraph of run.next.get(fetch) ?? nothingNext) next.add(subgraph);
  return run.batches.inFlight(next, () => sendMergedEntityFetches(run, fetches));
}

/** Each fetch's result and errors kept apart. */
async function sendMergedEntityFetches(run: Run, fetches: EntityFetch[]): Promise<void> {
  const [first] = fetches as [EntityFetch, ...EntityFetch[]];
  const variables: Record<string, unknown> = Object.create(null);
  for (const { fetch } of fetches) Object.assign(variables, userVariables(run, fetch));
  if ('representations' in variables) throw new Error(`Variables cannot contain key "representations"`);
  const merged = fetches.length > 1 ? mergedEntityOperation(fetches.map(({ fetch }) => fetch)) : undefined;
  fetches.forEach(({ representations }, i) => {
    variables[merged ? merged.representationsVariable(i) : 'representations'] = representations;
  });
  let response: Awaited<ReturnType<typeof send>>;
  try {
    response = await send(run, first.fetch.serviceName, {
      query: merged?.query ?? first.fetch.operation,
      operationName: merged?.operationName ?? first.fetch.operationName,
      variables,
      document: merged?.document ?? first.fetch.operationDocumentNode,
      path: first.cursor.path,
    });
  } catch (error) {
    // As if each fetch had been sent alone: each reports the failure.
    for (let i = 0; i < fetches.length; i++) run.errors.push(error as GraphQLError);
    return;
  }
  const errorsOf = fetches.map((): GraphQLFormattedError[] => []);
  for (const error of response.errors ?? []) {
    const i = merged && typeof error.path?.[0] === 'string' ? merged.fetchOfField(error.path[0]) : 0;
    errorsOf[i < 0 ? 0 : i]!.push(merged && error.path ? { ...error, path: ['_entities', ...error.path.slice(1)] } : error);
  }
  fetches.forEach((entityFetch, i) => reportErrors(run, entityFetch.fetch, entityFetch.cursor, errorsOf[i]!, entityFetch));
  if (!response.data) return;
  fetches.forEach((entityFetch, i) => {
    try {
      mergeEntities(run, entityFetch, response.data![merged ? merged.entitiesField(i) : '_entities']);
    } catch (error) {
      run.errors.push(error as GraphQLError);
    }
  });
}

function mergeEntities(run: Run, { fetch, entities, representations, representationOf: indexes }: EntityFetch, received: unknown): void {
  if (!Array.isArray(received)) throw new Error(`Expected "data._entities" in response to be an array`);
  if (received.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);
  const rewritten = new Set<number>();
  indexes.forEach((index, i) => {
    if (index < 0) return;
    const entity = received[index];
    if (!rewritten.has(index)) {
      rewritten.add(index);
      if (entity && !entity.__typename) entity.__typename = entities[i].__typename;
      applyRewrites(run.supergraphSchema, fetch.outputRewrites, entity);
    }
    deepMerge(entities[i], entity);
  });
}

interface SubgraphRequest {
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  document: FetchNode['operationDocumentNode'];
  path: ResponsePath;
}

function send(run: Run, serviceName: string, { query, operationName, variables, document, path }: SubgraphRequest) {
  const service = run.services[serviceName];
  if (!service) throw new Error(`Couldn't find service with name "${serviceName}"`);
  return service.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query, variables, operationName },
    incomingRequestContext: run.requestContext,
    context: run.requestContext.context,
    document,
    pathInIncomingRequest: path,
  });
}

function userVariables(run: Run, fetch: FetchNode): Record<string, unknown> {
  const variables: Record<string, unknown> = Object.create(null);
  for (const name of fetch.variableUsages ?? []) {
    if (Object.hasOwn(run.variables, name) && run.variables[name] !== undefined) variables[name] = run.variables[name];
  }
  return variables;
}

/** A subgraph's errors in the client's terms: paths into the client's response, the service named. */
function reportErrors(run: Run, fetch: FetchNode, cursor: Cursor, errors: readonly GraphQLFormattedError[], entityFetch?: EntityFetch): void {
  if (!errors.length) return;
  let hydratedPaths: ResponsePath[] | undefined;
  const pathOf = (errorPath: GraphQLFormattedError['path']): ResponsePath | undefined => {
    if (entityFetch && typeof errorPath?.[1] === 'number') {
      if (!hydratedPaths) {
        hydratedPaths = [];
        generateHydratedPaths([], cursor.path, cursor.fullResult, hydratedPaths);
      }
      // The index is the representation's; its first entity stands for every entity that sent it.
      const entity = entityFetch.representationOf.indexOf(errorPath[1]);
      return [...(hydratedPaths[entity] ?? []), ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath] : undefined;
  };
  for (const error of errors) run.errors.push(downstreamServiceError(error, fetch.serviceName, pathOf(error.path)));
  const metrics = run.requestContext.metrics;
  const paths = errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
  if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...paths);
  else metrics.nonFtv1ErrorPaths = paths;
}

/** As @apollo/gateway reports a subgraph's error: its code kept, the service added. */
function downstreamServiceError(original: GraphQLFormattedError, serviceName: string, path: ResponsePath | undefined): GraphQLError {
  const message = original.message || `Error while fetching subquery from service "${serviceName}"`;
  const options = { originalError: original as Error, path, extensions: { ...original.extensions, serviceName } };
  const codeDef = errorCodeDef(original as GraphQLError);
  if (!codeDef && original.extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

function moveIntoCursor(cursor: Cursor, path: ResponsePath): Cursor | undefined {
  const data = flattenResultsAtPath(cursor.data, path);
  return data ? { path: cursor.path.concat(path), data, fullResult: cursor.fullResult } : undefined;
}

function flattenResultsAtPath(value: any, path: ResponsePath): any {
  if (path.length === 0 || value === undefined || value === null) return value;
  const [current, ...rest] = path;
  if (current === '@') return (value as unknown[]).flatMap((element) => flattenResultsAtPath(element, rest));
  return flattenResultsAtPath(Object.hasOwn(value, current as string) ? value[current as string] : undefined, rest);
}

const isPresent = (value: unknown) => value !== null && value !== undefined;
