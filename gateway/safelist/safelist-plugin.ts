import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Caller } from '../../platform/caller.ts';
import { operationHash, type Safelist } from './manifest.ts';

/** Apollo Router's and GraphQL Hive's code for an operation outside the persisted query list. */
const PERSISTED_QUERY_NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';

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
export function safelistPlugin(safelist: Safelist): ApolloServerPlugin<{ caller: Caller | null }> {
  return {
    async requestDidStart({ request, contextValue: { caller } }) {
      const document = registeredDocument(request, caller ? safelist.get(caller.clientId) : undefined);
      delete request.extensions?.persistedQuery;
      if (document !== undefined) {
        request.query = document;
        return;
      }
      Object.assign(request, { query: REFUSED_DOCUMENT, operationName: undefined, variables: undefined });
      return {
        async didResolveOperation() {
          throw new GraphQLError('This operation is not in the persisted query list of this client', {
            extensions: { code: PERSISTED_QUERY_NOT_IN_LIST, http: { status: 400 } },
          });
        },
      };
    },
  };
}

function registeredDocument(request: GraphQLRequest, registered: ReadonlyMap<string, string> | undefined): string | undefined {
  const hash: unknown = request.query !== undefined ? operationHash(request.query) : request.extensions?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? registered?.get(hash) : undefined;
}
