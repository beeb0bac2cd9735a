import { Kind, print, visit, type ASTNode, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo } from 'graphql';
import type { EntityField } from './event-topics.ts';
import { variablesUsedIn } from './shared-selection.ts';

/** The entity's id, under a name no subscriber's variable can take (`__` is reserved). */
export const ENTITY_ID = '__entityId';

function fragmentsUsed(node: ASTNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>, found = new Map<string, FragmentDefinitionNode>()) {
  visit(node, {
    FragmentSpread(spread) {
      const fragment = fragments[spread.name.value];
      if (!fragment || found.has(fragment.name.value)) return;
      found.set(fragment.name.value, fragment);
      fragmentsUsed(fragment, fragments, found);
    },
  });
  return [...found.values()];
}

/** A query for one entity by id with `selection`, the name under which the access record files it. */
export const entityQuery = (field: EntityField, selection: string, variables = '', fragments = '') =>
  `query SubscriptionEvent($${ENTITY_ID}: ID!${variables}) { ${field.query}(id: $${ENTITY_ID}) ${selection} }${fragments}`;

const built = new WeakMap<FieldNode, string>();

/**
 * The subscriber's selection of an entity field, as a query of the supergraph: the same fields,
 * fragments and variables, so the gateway applies to it whatever it applies to a query. Built
 * once per selection (field nodes belong to the shared document).
 */
export function entityQueryFor(field: EntityField, info: GraphQLResolveInfo): string {
  const first = info.fieldNodes[0]!;
  const known = built.get(first);
  if (known) return known;
  const selectionSet = { kind: Kind.SELECTION_SET, selections: info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []) } as const;
  const fragments = fragmentsUsed(selectionSet, info.fragments);
  const used = variablesUsedIn([selectionSet, ...fragments]);
  const definitions = (info.operation.variableDefinitions ?? []).filter((definition) => used.has(definition.variable.name.value));
  const query = entityQuery(
    field,
    print(selectionSet),
    definitions.map((definition) => `, ${print(definition)}`).join(''),
    fragments.map((fragment) => `\n${print(fragment)}`).join(''),
  );
  built.set(first, query);
  return query;
}
