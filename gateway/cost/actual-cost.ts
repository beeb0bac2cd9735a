import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type NamedTypeNode,
  type SelectionSetNode,
} from 'graphql';
import { isSkipped, resolveOperation, type CostSchema, type Variables } from './cost-schema.ts';

type ResponseObject = Record<string, unknown>;
type CollectedField = { parent: GraphQLCompositeType; nodes: FieldNode[] };

/**
 * The cost of what an operation returned, with the estimate's weights and the real list lengths (as Apollo
 * Router's actual cost): each returned object costs its field's @cost (else 1) plus its own fields, each scalar
 * or null its field's @cost (else 0), and a field's arguments are paid once per occurrence. Unlike the Router,
 * a mutation that ran also pays its operation cost of 10, so the refund never makes a write cheaper than
 * the estimate said. Fields are merged
 * by response key as execution merges them; a fragment counts for an object when the object's `__typename`
 * (or, without one, its static type) matches the fragment's type.
 */
export function actualCost(
  cost: CostSchema,
  document: DocumentNode,
  variables: Variables = {},
  data: ResponseObject | null | undefined,
  operationName?: string | null,
): number {
  const { operation, rootType, fragments, baseCost } = resolveOperation(cost.schema, document, operationName);

  const objectCost = (sets: SelectionSetNode[], staticType: GraphQLCompositeType, value: ResponseObject): number => {
    const named = typeof value.__typename === 'string' ? cost.schema.getType(value.__typename) : undefined;
    const type = isObjectType(named) ? named : staticType;
    let total = 0;
    for (const [key, { parent, nodes }] of collectFields(sets, type)) {
      const [first] = nodes;
      if (!first || !(key in value)) continue;
      const field = cost.field(parent, first.name.value);
      total += valueCost(field, nodes, value[key]) + cost.argumentsCost(field, first, variables);
    }
    return total;
  };

  const valueCost = (field: GraphQLField<unknown, unknown>, nodes: FieldNode[], value: unknown): number => {
    if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + valueCost(field, nodes, item), 0);
    const returned = getNamedType(field.type);
    if (value === null || typeof value !== 'object' || !isCompositeType(returned)) return cost.directives.fieldWeight(field) ?? 0;
    const sets = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
    return (cost.directives.fieldWeight(field) ?? 1) + objectCost(sets, returned, value as ResponseObject);
  };

  /** graphql's CollectFields, also for an abstract type when the data does not say the concrete one. */
  const collectFields = (sets: SelectionSetNode[], type: GraphQLCompositeType): Map<string, CollectedField> => {
    const fields = new Map<string, CollectedField>();
    const visitedFragments = new Set<string>();
    const applies = (condition: NamedTypeNode | undefined): boolean => {
      const narrowed = cost.narrowed(condition, type);
      if (!isObjectType(type) || narrowed === type) return true;
      return isAbstractType(narrowed) && cost.schema.isSubType(narrowed, type);
    };
    const collect = (set: SelectionSetNode, parent: GraphQLCompositeType): void => {
      for (const selection of set.selections) {
        if (isSkipped(selection, variables)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const entry = fields.get(key) ?? { parent, nodes: [] };
          entry.nodes.push(selection);
          fields.set(key, entry);
          continue;
        }
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          if (visitedFragments.has(selection.name.value)) continue;
          visitedFragments.add(selection.name.value);
        }
        // A known concrete type is where fields live; otherwise the fragment's narrower type is.
        if (fragment && applies(fragment.typeCondition)) collect(fragment.selectionSet, isObjectType(type) ? type : cost.narrowed(fragment.typeCondition, parent));
      }
    };
    for (const set of sets) collect(set, type);
    return fields;
  };

  return baseCost + (data ? objectCost([operation.selectionSet], rootType, data) : 0);
}
