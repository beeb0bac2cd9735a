import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type NamedTypeNode,
  type SelectionSetNode,
} from 'graphql';
import { isSkipped, resolveOperation, type CostSchema, type Variables } from './cost-schema.ts';

type ResponseObject = Record<string, unknown>;
type CollectedField = { parent: GraphQLCompositeType; nodes: FieldNode[] };

/** One response key of an object of one type, with what pricing its values takes. */
interface PricedField {
  key: string;
  /** The field's @cost, else its type's. */
  weight: number | undefined;
  /** What its arguments cost, paid once per occurrence. */
  argumentsCost: number;
  /** The type of the objects it returns; undefined for a scalar or an enum. */
  returned: GraphQLCompositeType | undefined;
  /** The selections of every node merged under this key: what each returned object is priced by. */
  below: SelectionSetNode[];
}

/** What an operation's responses cost, given each response's data. */
export type ResponsePricing = (data: ResponseObject | null | undefined) => number;

/**
 * The cost of what an operation returned, with the estimate's weights and the real list lengths (as Apollo
 * Router's actual cost): each returned object costs its field's @cost (else 1) plus its own fields, each scalar
 * or null its field's @cost (else 0), and a field's arguments are paid once per occurrence. Unlike the Router,
 * a mutation that ran also pays its operation cost of 10, so the refund never makes a write cheaper than
 * the estimate said. Fields are merged
 * by response key as execution merges them; a fragment counts for an object when the object's `__typename`
 * (or, without one, its static type) matches the fragment's type.
 *
 * The fields of a selection are collected and priced once per type, on the first object of that type,
 * and reused for every later object: of the same list, and of later responses priced by the same pricing.
 */
export function responsePricing(
  cost: CostSchema,
  document: DocumentNode,
  variables: Variables = {},
  operationName?: string | null,
): ResponsePricing {
  const { operation, rootType, fragments, baseCost } = resolveOperation(cost.schema, document, operationName);
  const rootSets = [operation.selectionSet];
  const pricedFields = new Map<SelectionSetNode[], Map<GraphQLCompositeType, PricedField[]>>();

  const fieldsOf = (sets: SelectionSetNode[], type: GraphQLCompositeType): PricedField[] => {
    const byType = pricedFields.get(sets) ?? new Map<GraphQLCompositeType, PricedField[]>();
    pricedFields.set(sets, byType);
    const known = byType.get(type);
    if (known) return known;
    const priced = [...collectFields(sets, type)].map(([key, { parent, nodes }]): PricedField => {
      const field = cost.field(parent, nodes[0]!.name.value);
      const returned = getNamedType(field.type);
      return {
        key,
        weight: cost.directives.fieldWeight(field),
        argumentsCost: cost.argumentsCost(field, nodes[0]!, variables),
        returned: isCompositeType(returned) ? returned : undefined,
        below: nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])),
      };
    });
    byType.set(type, priced);
    return priced;
  };

  const objectCost = (sets: SelectionSetNode[], staticType: GraphQLCompositeType, value: ResponseObject): number => {
    const named = typeof value.__typename === 'string' ? cost.schema.getType(value.__typename) : undefined;
    let total = 0;
    for (const field of fieldsOf(sets, isObjectType(named) ? named : staticType)) {
      if (field.key in value) total += valueCost(field, value[field.key]) + field.argumentsCost;
    }
    return total;
  };

  const valueCost = (field: PricedField, value: unknown): number => {
    if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + valueCost(field, item), 0);
    if (value === null || typeof value !== 'object' || !field.returned) return field.weight ?? 0;
    return (field.weight ?? 1) + objectCost(field.below, field.returned, value as ResponseObject);
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

  return (data) => baseCost + (data ? objectCost(rootSets, rootType, data) : 0);
}
