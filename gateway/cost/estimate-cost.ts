import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type SelectionSetNode,
} from 'graphql';
import { badInput } from '../../platform/errors.ts';
import type { ListSize } from './cost-directives.ts';
import { isSkipped, resolveOperation, type CostSchema, type Variables } from './cost-schema.ts';

/** What a field's @listSize says about the lists directly below it (its sizedFields). */
interface Sizing {
  expectedSize?: number;
  sizedFields: ReadonlySet<string>;
}

/**
 * The static cost of an operation before it runs, by Apollo Router's demand-control model: a field costs its
 * @cost, else its type's @cost, else 1 for an object, interface or union and 0 for a scalar or enum; plus
 * its selections; times the list size when it returns a list (slicing argument, else assumedSize, else the
 * default); plus its arguments. An upper bound: every fragment counts, whatever type it narrows to.
 * Expects a validated document; throws BAD_USER_INPUT when a field needs exactly one slicing argument.
 */
export function estimateCost(cost: CostSchema, document: DocumentNode, variables: Variables = {}, operationName?: string | null): number {
  const { operation, rootType, fragments, baseCost } = resolveOperation(cost.schema, document, operationName);
  // A fragment costs the same wherever it is spread (within one sizing), so it is scored once.
  const scoredFragments = new Map<Sizing | undefined, Map<string, number>>();

  const fragmentCost = (name: string, parent: GraphQLCompositeType, sizing: Sizing | undefined): number => {
    const scored = scoredFragments.get(sizing) ?? new Map<string, number>();
    scoredFragments.set(sizing, scored);
    const known = scored.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment) return 0;
    scored.set(name, 0);
    const total = selectionsCost(fragment.selectionSet, cost.narrowed(fragment.typeCondition, parent), sizing);
    scored.set(name, total);
    return total;
  };

  const selectionsCost = (set: SelectionSetNode | undefined, parent: GraphQLCompositeType, sizing?: Sizing): number => {
    let total = 0;
    for (const selection of set?.selections ?? []) {
      if (isSkipped(selection, variables)) continue;
      // Introspection is answered by the gateway from its schema, never by a subgraph: free, as in Apollo Router.
      if (selection.kind === Kind.FIELD && selection.name.value.startsWith('__')) continue;
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, parent, sizing);
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += selectionsCost(selection.selectionSet, cost.narrowed(selection.typeCondition, parent), sizing);
      else total += fragmentCost(selection.name.value, parent, sizing);
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLCompositeType, upstream?: Sizing): number => {
    const field = cost.field(parent, node.name.value);
    const returned = getNamedType(field.type);
    const listSize = cost.directives.listSizeOf(field);
    const sizing = listSize && sizingOf(listSize, field, parent, node, variables);
    const sizedByUpstream = upstream?.sizedFields.has(node.name.value) ? upstream.expectedSize : undefined;
    const count = isListType(getNullableType(field.type)) ? (sizedByUpstream ?? sizing?.expectedSize ?? cost.defaultListSize) : 1;
    const ownWeight = cost.directives.fieldWeight(field) ?? (isCompositeType(returned) ? 1 : 0);
    const below = isCompositeType(returned) ? selectionsCost(node.selectionSet, returned, sizing) : 0;
    return count * (ownWeight + below) + cost.argumentsCost(field, node, variables);
  };

  return baseCost + selectionsCost(operation.selectionSet, rootType);
}

/** The list size a field's slicing arguments ask for (the largest given, else their default), else assumedSize. */
function sizingOf(
  listSize: ListSize,
  field: GraphQLField<unknown, unknown>,
  parent: GraphQLCompositeType,
  node: FieldNode,
  variables: Variables,
): Sizing {
  const slices: number[] = [];
  for (const name of listSize.slicingArguments ?? []) {
    const given = node.arguments?.find((argument) => argument.name.value === name);
    const value = given ? valueFromASTUntyped(given.value, variables) : undefined;
    const fallback = field.args.find((argument) => argument.name === name)?.defaultValue;
    const size = Number.isInteger(value) ? value : fallback;
    // A negative page size must not buy cost back.
    if (Number.isInteger(size)) slices.push(Math.max(0, size as number));
  }
  if (listSize.slicingArguments && listSize.requireOneSlicingArgument && slices.length !== 1) {
    throw badInput(`${parent.name}.${field.name} needs exactly one of ${listSize.slicingArguments.join(', ')}`, {
      field: `${parent.name}.${field.name}`,
      http: { status: 400 }, // Apollo Server's HTTP status for an error thrown before execution
    });
  }
  return {
    expectedSize: slices.length > 0 ? Math.max(...slices) : (listSize.assumedSize ?? undefined),
    sizedFields: new Set(listSize.sizedFields ?? []),
  };
}
