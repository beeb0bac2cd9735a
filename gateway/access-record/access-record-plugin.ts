import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Disclosures } from '../../platform/audit/disclosures.ts';
import type { Caller } from '../../platform/caller.ts';
import { ErrorCode } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { responseShape } from '../minimization/response-shape.ts';
import { accessOutcome, recordedCaller, type AccessRecord } from './access-record.ts';
import { operationHash } from './operation-hash.ts';
import { isPatientData, type DeniedField } from './patient-data.ts';
import { fieldsReturnedIn } from './read-response.ts';

export interface AccessRecordContext {
  requestId: string;
  logger: Logger;
  caller: Caller | null;
  /** Whose rows the subgraphs released to the request and refused it, from their reports. */
  disclosures: Disclosures;
  /** Left by the authorization plugin: the fields it removed. Absent: nothing was denied. */
  authorization?: { denied: readonly DeniedField[] };
  /**
   * Set on the subscription hub's reads: their records are handed back rather than written, to go in
   * the transaction of the deliveries of what they read, none of which is sent before it is durable.
   */
  holdRecords?: (records: AccessRecord[]) => void;
}

export interface AccessRecordPluginOptions {
  /** The API schema the operations are validated against. */
  schema: GraphQLSchema;
  /**
   * Where a request's records go, together: it resolves once they are durable and rejects when
   * they cannot be; a rejection withholds the response (AUDIT_UNAVAILABLE).
   */
  sink: (records: AccessRecord[]) => Promise<void>;
}

type ResponseContext = GraphQLRequestContextWillSendResponse<AccessRecordContext>;

/** What both of a request's records say alike: who, which operation, when. */
function recordBase(context: ResponseContext): Omit<AccessRecord, 'patientIds' | 'fieldsReturned' | 'fieldsDenied' | 'outcome'> {
  const { contextValue, request, document, operation } = context;
  return {
    requestId: contextValue.requestId,
    ...recordedCaller(contextValue.caller),
    operationName: context.operationName ?? undefined,
    operationHash: operationHash(request.query, document!),
    operationType: operation!.operation,
    at: new Date(),
  };
}

/**
 * The "what was seen" half of the audit trail, by data rather than by query shape: the patients
 * are those whose rows the subgraphs' stores released to the request (each subgraph reports them
 * with its response), whatever field carried them. A request gets up to two records, written
 * together before the response leaves (record, then release):
 * - what it was given: the patients released, the fields returned (coordinates with a value when
 *   execution ended, before minimization) and the patient-data fields authorization removed;
 * - what a row rule kept from it: the patients whose rows were refused, as `denied`;
 * and a third when it took operational actions (a replay, a retry…): who did what to which id.
 * A sink that fails turns the response into AUDIT_UNAVAILABLE with no data.
 */
export function accessRecordPlugin({ schema, sink }: AccessRecordPluginOptions): ApolloServerPlugin<AccessRecordContext> {
  return {
    async requestDidStart() {
      let fieldsReturned: string[] = [];
      return {
        async executionDidStart({ document, operationName, response }) {
          return {
            async executionDidEnd(error) {
              const shape = responseShape(schema, document, operationName);
              if (error || !shape || response.body?.kind !== 'single') return;
              fieldsReturned = fieldsReturnedIn(shape, response.body.singleResult.data);
            },
          };
        },
        async willSendResponse(context) {
          const { operation, document, contextValue } = context;
          if (!operation || !document) return;
          const { released, refused, actions } = contextValue.disclosures;
          const shape = responseShape(schema, document, context.operationName ?? null);
          const deniedPatientData = (contextValue.authorization?.denied ?? []).filter((field) => isPatientData(field, shape, schema));
          const records: AccessRecord[] = [];
          const errors = context.response.body.kind === 'single' ? context.response.body.singleResult.errors : undefined;
          if (released.size > 0 || deniedPatientData.length > 0) {
            const fieldsDenied = [...new Set(deniedPatientData.map((field) => field.coordinate))].sort();
            const outcome = accessOutcome(errors, fieldsDenied, fieldsReturned);
            records.push({ ...recordBase(context), patientIds: [...released].sort(), fieldsReturned, fieldsDenied, outcome });
          }
          if (refused.size > 0) {
            records.push({ ...recordBase(context), patientIds: [...refused].sort(), fieldsReturned: [], fieldsDenied: [], outcome: 'denied' });
          }
          if (actions.length > 0) {
            records.push({ ...recordBase(context), patientIds: [], fieldsReturned: [], fieldsDenied: [], outcome: accessOutcome(errors, [], []), actions });
          }
          if (records.length === 0) return;
          if (contextValue.holdRecords) return contextValue.holdRecords(records);
          try {
            await sink(records);
          } catch (error) {
            const cause = error as { name?: unknown; code?: unknown };
            contextValue.logger.error({ err: { name: cause?.name, code: cause?.code } }, 'audit trail unavailable: response withheld');
            context.response.http.status = 503;
            context.response.body = { kind: 'single', singleResult: { errors: [{ message: 'The audit trail is unavailable', extensions: { code: ErrorCode.AUDIT_UNAVAILABLE } }] } };
          }
        },
      };
    },
  };
}
