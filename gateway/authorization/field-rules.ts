import { getNamedType, type GraphQLInterfaceType, type GraphQLObjectType } from 'graphql';
import type { SecurityRule, SupergraphSecurity } from './security-directives.ts';

/**
 * The rules guarding a field selected on `parentType` when the object can be any of `runtimeTypes`:
 * the field's own rules, its parent type's and its return type's. On an interface they hold for the
 * interface and for every implementation that can come back (all must pass, as in Apollo Router:
 * the plan is made before anyone knows which implementation the subgraph returns).
 */
export function rulesForField(
  security: SupergraphSecurity,
  parentType: GraphQLObjectType | GraphQLInterfaceType,
  fieldName: string,
  runtimeTypes: readonly GraphQLObjectType[],
): SecurityRule[] {
  const coordinates = new Set<string>();
  for (const owner of [parentType, ...runtimeTypes]) {
    const field = owner.getFields()[fieldName];
    coordinates.add(owner.name).add(`${owner.name}.${fieldName}`);
    if (field) coordinates.add(getNamedType(field.type).name);
  }
  return [...coordinates].flatMap((coordinate) => security.rules.get(coordinate) ?? []);
}
