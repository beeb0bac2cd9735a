import { createHash } from 'node:crypto';
import { getOperationAST, print, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { Caller } from '../../platform/caller.ts';
import type { Logger } from '../../platform/logger.ts';
import { responseShape } from '../minimization/response-shape.ts';
import { accessOutcome, recordedCaller, type AccessRecord } from './access-record.ts';
import { operationHash } from './operation-hash.ts';
import { isPatientData, type DeniedField } from './patient-data.ts';
import { withPatientIds } from './patient-ids.ts';
import { readResponse, type ResponseReading } from './read-response.ts';

export interface AccessRecordContext {
  requestId: string;
  logger: Logger;
  caller: Caller | null;
  /** Left by the authorization plugin: the fields it removed. Absent: nothing was denied. */
  authorization?: { denied: readonly DeniedField[] };
}

export interface AccessRecordPluginOptions {
  /** The API schema the operations are validated against. */
  schema: GraphQLSchema;
  /** Where records go; it decides durability. A rejection fails the response closed. */
  sink: (record: AccessRecord) => void | Promise<void>;
}

export const AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE';

/** The operation as the executor gets it: with the patient ids, under its own plan cache key. */
interface Rewrite {
  document: DocumentNode;
  source: string;
  queryHash: string;
}

type Reading = Omit<ResponseReading, 'data'>;

type ResponseContext = GraphQLRequestContextWillSendResponse<AccessRecordContext>;

interface ResolvedOperation {
  operation: OperationDefinitionNode;
  document: DocumentNode;
}

function recordOf(context: ResponseContext, { operation, document }: ResolvedOperation, reading: Reading, fieldsDenied: string[]): AccessRecord {
  const { contextValue, request } = context;
  return {
    requestId: contextValue.requestId,
    ...recordedCaller(contextValue.caller),
    operationName: context.operationName ?? undefined,
    operationHash: operationHash(request.query, document),
    operationType: operation.operation,
    patientIds: reading.patientIds,
    fieldsReturned: reading.fieldsReturned,
    fieldsDenied,
    outcome: accessOutcome(context.response.body.kind === 'single' ? context.response.body.singleResult.errors : undefined, fieldsDenied, reading.fieldsReturned),
    at: new Date(),
  };
}

/**
 * The "what was seen" half of the audit trail. Before planning (didResolveOperation) the
 * operation gets a hidden `__patientId` in every Patient selection; when execution ends
 * (executionDidEnd, before any willSendResponse hook) the ids are read and taken out of the
 * response, with the coordinates it returned; in willSendResponse the record goes to the sink
 * when the operation touched patient data, and the response waits for it: a sink that fails
 * turns the response into AUDIT_UNAVAILABLE with no data.
 *
 * Its didResolveOperation must run after the authorization plugin's, so that it rewrites the
 * operation authorization left (list it after authorization).
 */
export function accessRecordPlugin({ schema, sink }: AccessRecordPluginOptions): ApolloServerPlugin<AccessRecordContext> {
  const rewrites = new WeakMap<DocumentNode, Rewrite | null>();
  const rewriteOf = (document: DocumentNode): Rewrite | null => {
    if (rewrites.has(document)) return rewrites.get(document)!;
    const withIds = withPatientIds(document, schema);
    const source = withIds === document ? undefined : print(withIds);
    const rewrite = source === undefined ? null : { document: withIds, source, queryHash: createHash('sha256').update(source).digest('hex') };
    rewrites.set(document, rewrite);
    return rewrite;
  };

  return {
    async requestDidStart() {
      let reading: Reading = { patientIds: [], fieldsReturned: [] };
      return {
        async didResolveOperation(context) {
          const rewrite = rewriteOf(context.document);
          // Typed read-only, but Apollo Server hands this same object to the executor, which plans from `document` and caches plans by `queryHash`.
          if (rewrite) Object.assign(context, rewrite, { operation: getOperationAST(rewrite.document, context.operationName) ?? undefined });
        },
        async executionDidStart({ document, operationName, response }) {
          return {
            async executionDidEnd(error) {
              const shape = responseShape(schema, document, operationName);
              if (error || !shape || response.body?.kind !== 'single') return;
              const result = response.body.singleResult;
              const { data, ...read } = readResponse(shape, result.data);
              result.data = data as typeof result.data;
              reading = read;
            },
          };
        },
        async willSendResponse(context) {
          const { operation, document } = context;
          if (!operation || !document) return;
          const denied = context.contextValue.authorization?.denied ?? [];
          const shape = responseShape(schema, document, context.operationName ?? null);
          if (reading.patientIds.length === 0 && !denied.some((field) => isPatientData(field, shape, schema))) return;
          const record = recordOf(context, { operation, document }, reading, [...new Set(denied.map((field) => field.coordinate))].sort());
          try {
            await sink(record);
          } catch (error) {
            const cause = error as { name?: unknown; code?: unknown };
            context.contextValue.logger.error({ err: { name: cause?.name, code: cause?.code } }, 'audit trail unavailable: response withheld');
            context.response.http.status = 503;
            context.response.body = { kind: 'single', singleResult: { errors: [{ message: 'The audit trail is unavailable', extensions: { code: AUDIT_UNAVAILABLE } }] } };
          }
        },
      };
    },
  };
}
