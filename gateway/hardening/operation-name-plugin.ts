import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode, type InputReason } from '../../platform/errors.ts';

/**
 * An operationName the document does not hold is the caller's mistake: HTTP 400, BAD_USER_INPUT, reason
 * UNKNOWN_OPERATION. Left to the other plugins and @apollo/gateway, whichever met the missing operation first
 * answered, some with a 500. First in the pipeline, and throwing before it awaits anything, so its refusal is
 * the one answered (Apollo Server runs every didResolveOperation together and answers the first failure).
 */
export function operationNamePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const message = request.operationName ? 'The operationName names no operation of the document' : 'The document has several operations: name the one to run';
          throw new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, reason: 'UNKNOWN_OPERATION' satisfies InputReason, http: { status: 400 } } });
        },
      };
    },
  };
}
