import { Kind, print, visit, type ASTNode, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo } from 'graphql';
import type { EntityField } from '../../platform/events/topics.ts';
import { variablesUsedIn } from './shared-selection.ts';

/** A selection of one entity type, as a query of the supergraph for one or several ids at once. */
export interface EntityQuery {
  field: EntityField;
  /** Equal for equal selections: what reads are batched by. */
  key: string;
  /** `e0: appointment(id: $__entityId0) {…} e1: …`: the aliases name the ids' places. */
  forIds(count: number): string;
}

/** The answer for the id at `index` of a batch. `__` keeps the names clear of any subscriber's variables. */
export const entityAlias = (index: number) => `e${index}`;
export const entityIdVariable = (index: number) => `__entityId${index}`;

const times = (count: number, part: (index: number) => string, separator: string) => Array.from({ length: count }, (_, index) => part(index)).join(separator);

/** `variableDefinitions` and `fragments` are the selection's own, printed. The operation name is what the access record files it under. */
export function entityQuery(field: EntityField, selection: string, variableDefinitions: readonly string[] = [], fragments = ''): EntityQuery {
  const byCount = new Map<number, string>();
  return {
    field,
    key: JSON.stringify([field.query, selection, variableDefinitions, fragments]),
    forIds(count) {
      let query = byCount.get(count);
      if (!query) {
        const ids = times(count, (index) => `$${entityIdVariable(index)}: ID!`, ', ');
        const fields = times(count, (index) => `${entityAlias(index)}: ${field.query}(id: $${entityIdVariable(index)}) ${selection}`, ' ');
        byCount.set(count, (query = `query SubscriptionEvents(${[ids, ...variableDefinitions].join(', ')}) { ${fields} }${fragments}`));
      }
      return query;
    },
  };
}

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

const built = new WeakMap<FieldNode, EntityQuery>();

/**
 * The subscriber's selection of an entity field, as a query of the supergraph: the same fields,
 * fragments and variables, so the gateway applies to it whatever it applies to a query. Built
 * once per selection (field nodes belong to the shared document).
 */
export function entityQueryFor(field: EntityField, info: GraphQLResolveInfo): EntityQuery {
  const first = info.fieldNodes[0]!;
  const known = built.get(first);
  if (known) return known;
  const selectionSet = { kind: Kind.SELECTION_SET, selections: info.fieldNodes.flatMap((node) => node.selectionSet?.selections ?? []) } as const;
  const fragments = fragmentsUsed(selectionSet, info.fragments);
  const used = variablesUsedIn([selectionSet, ...fragments]);
  const query = entityQuery(
    field,
    print(selectionSet),
    (info.operation.variableDefinitions ?? []).filter((definition) => used.has(definition.variable.name.value)).map((definition) => print(definition)),
    fragments.map((fragment) => `\n${print(fragment)}`).join(''),
  );
  built.set(first, query);
  return query;
}
