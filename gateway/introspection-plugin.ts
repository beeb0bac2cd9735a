import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type SelectionSetNode } from 'graphql';
import { ErrorCode } from '../platform/errors.ts';
import type { GatewayContext } from './context.ts';

function selectsSchema(selectionSet: SelectionSetNode): boolean {
  return selectionSet.selections.some(
    (selection) =>
      (selection.kind === Kind.FIELD && (selection.name.value === '__schema' || selection.name.value === '__type')) ||
      (selection.kind === Kind.INLINE_FRAGMENT && selectsSchema(selection.selectionSet)),
  );
}

/**
 * Introspection only where allowed: everyone in embedded mode, the admin role otherwise.
 * `__typename` is not introspection. Named fragments at the root are rare enough to check by
 * looking them up too.
 */
export function introspectionPlugin({ allowEveryone }: { allowEveryone: boolean }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (allowEveryone || contextValue.caller?.roles.includes('admin') || !operation) return;
          const rootFragments = operation.selectionSet.selections.flatMap((selection) =>
            selection.kind === Kind.FRAGMENT_SPREAD
              ? document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value)
              : [],
          );
          const asked = [operation, ...rootFragments].some((node) => 'selectionSet' in node && selectsSchema(node.selectionSet));
          if (asked) {
            throw new GraphQLError('Introspection is not allowed for this caller', {
              extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } },
            });
          }
        },
      };
    },
  };
}
