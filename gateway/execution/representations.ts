import { isObjectOfType } from '@apollo/gateway/dist/dataRewrites.js';
import { deepMerge } from '@apollo/gateway/dist/utilities/deepMerge.js';
import { getResponseName, type QueryPlanSelectionNode } from '@apollo/query-planner';
import { Kind, type GraphQLSchema } from 'graphql';

/**
 * What an entity fetch sends for one entity: the fields its `requires` selects, from the data
 * merged so far; null when one of them is missing (as @apollo/gateway's executor decides).
 */
export function representationOf(schema: GraphQLSchema, source: any, selections: readonly QueryPlanSelectionNode[]): Record<string, any> | null {
  if (source === null) return null;
  const result: Record<string, any> = Object.create(null);
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      const name = getResponseName(selection);
      const value = Object.hasOwn(source, name) ? source[name] : undefined;
      if (value === undefined) return null;
      const inner = selection.selections;
      if (Array.isArray(value)) result[name] = value.map((item) => (inner ? representationOf(schema, item, inner) : item));
      else result[name] = inner ? representationOf(schema, value, inner) : value;
    } else if (selection.typeCondition && source && isObjectOfType(schema, source, selection.typeCondition)) {
      deepMerge(result, representationOf(schema, source, selection.selections));
    }
  }
  return result;
}
