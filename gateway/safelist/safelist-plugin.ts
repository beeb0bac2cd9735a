import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Caller } from '../../platform/caller.ts';
import { ErrorCode } from '../../platform/errors.ts';
import { NOT_IN_LIST_MESSAGE, registeredDocument, type Safelist } from './manifest.ts';

/** What an unregistered request is swapped for: nothing to parse or validate, then refused. */
const REFUSED_DOCUMENT = '{ __typename }';

/**
 * Safelist mode: a client runs only the operations registered for its client id (gateway/safelist/manifest.ts).
 * A request names its operation by the whole document, whose sha256 must be registered, or by the hash alone
 * as Apollo Client's persisted query link sends it (`extensions.persistedQuery.sha256Hash`, no `query`): the
 * manifest supplies the document. An anonymous caller has no list and runs nothing.
 *
 * It decides in requestDidStart, before Apollo Server parses anything, and refuses in didResolveOperation, the
 * first hook whose error Apollo Server answers as a GraphQL response. In between, an unregistered request
 * carries a trivial document instead of its own, so a hostile document is never parsed, and validation errors
 * cannot be used to probe the schema. The persistedQuery extension is removed: Apollo's automatic persisted
 * queries neither answer nor register anything in this mode. List it first, so its refusal is the one answered.
 */
export function safelistPlugin(safelist: Safelist): ApolloServerPlugin<{ caller: Caller | null; eventRead?: true }> {
  return {
    async requestDidStart({ request, contextValue: { caller, eventRead } }) {
      // The gateway's own entity reads for subscribers and webhooks: every other policy still applies.
      if (eventRead) return;
      const document = registeredDocument(safelist, caller?.clientId, request);
      delete request.extensions?.persistedQuery;
      if (document !== undefined) {
        request.query = document;
        return;
      }
      Object.assign(request, { query: REFUSED_DOCUMENT, operationName: undefined, variables: undefined });
      return {
        async didResolveOperation() {
          throw new GraphQLError(NOT_IN_LIST_MESSAGE, {
            extensions: { code: ErrorCode.PERSISTED_QUERY_NOT_IN_LIST, http: { status: 400 } },
          });
        },
      };
    },
  };
}
