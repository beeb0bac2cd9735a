import {
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isObjectType,
  isUnionType,
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Caller } from '../../platform/caller.ts';
import type { AccessPolicies } from '../../policies/access-policies.ts';
import { callerRightsFor, type CallerRights } from '../../platform/authorization/caller-rights.ts';
import { rulesForField } from './field-rules.ts';
import { conditionValues, isIncluded, type ConditionValues } from './include-conditions.ts';
import type { SupergraphSecurity } from './security-directives.ts';

export interface DeniedField {
  /** Response keys (aliases where given) from the root, without list indexes. */
  path: string[];
  /** Schema coordinate as selected, e.g. `Patient.nationalIdentifier`. */
  coordinate: string;
  reason: string;
  /** Object types the field was denied on, and the type of each field on the path: where its null goes back. */
  onTypes: string[];
  pathTypes: GraphQLOutputType[];
}

export interface AuthorizedOperation {
  /** What to plan: the input document itself when nothing was removed, null when nothing is left to fetch. */
  document: DocumentNode | null;
  denied: DeniedField[];
  /** Response paths whose objects carry the `__typename` the rewrite added, to be stripped from the result. */
  typenamePaths: string[][];
}

/**
 * `__typename` under an alias of ours. Added where a field lost part of its selection: it keeps the
 * selection set non-empty (so the parent is still fetched, and a denied child comes back as null
 * inside an existing object rather than as a missing parent), and it tells which object type each
 * response object is, so a null goes back only where the denied field was selected.
 */
export const ADDED_TYPENAME = '_authorizationTypename';

const addedTypename: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: ADDED_TYPENAME },
  name: { kind: Kind.NAME, value: '__typename' },
};

/** Where a selection set sits: its type, the object types it can be at run time, and its response path. */
interface Position {
  parentType: GraphQLCompositeType;
  runtimeTypes: readonly GraphQLObjectType[];
  path: string[];
  pathTypes: GraphQLOutputType[];
}

/**
 * Removes from the operation every field the caller may not read. Named fragments are followed at
 * each place they are spread: a fragment left whole stays a spread, one that lost fields is inlined
 * there, so its other spreads are unaffected.
 */
class OperationPruner {
  readonly denied: DeniedField[] = [];
  readonly typenamePaths: string[][] = [];

  constructor(
    private readonly security: SupergraphSecurity,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly conditions: ConditionValues,
    private readonly rights: CallerRights,
  ) {}

  /** The pruned selection set, the same object when unchanged, null when nothing is left. */
  selectionSet(selectionSet: SelectionSetNode, at: Position): SelectionSetNode | null {
    const pruned = selectionSet.selections.map((selection) =>
      isIncluded(selection, this.conditions)
        ? this.selection(selection, at)
        : this.unseen(selection, () => this.selection(selection, at)),
    );
    if (pruned.every((selection, index) => selection === selectionSet.selections[index])) return selectionSet;
    const selections = pruned.filter((selection) => selection !== null);
    return selections.length > 0 ? { ...selectionSet, selections } : null;
  }

  /**
   * A selection that cannot show in this response (skipped, or on a type that cannot occur here)
   * reports nothing: it stays as it is when it holds nothing denied, and is dropped otherwise.
   */
  private unseen<T extends SelectionNode>(selection: T, prune: () => SelectionNode | null): T | null {
    const marks = [this.denied.length, this.typenamePaths.length] as const;
    if (prune() === selection) return selection;
    [this.denied.length, this.typenamePaths.length] = marks;
    return null;
  }

  private selection(selection: SelectionNode, at: Position): SelectionNode | null {
    if (selection.kind === Kind.FIELD) return this.field(selection, at);
    if (selection.kind === Kind.INLINE_FRAGMENT) return this.fragment(selection, at);
    const definition = this.fragments.get(selection.name.value);
    if (!definition) throw new Error(`Unknown fragment ${selection.name.value}`);
    const inlined: InlineFragmentNode = {
      kind: Kind.INLINE_FRAGMENT,
      typeCondition: definition.typeCondition,
      directives: selection.directives,
      selectionSet: definition.selectionSet,
    };
    const pruned = this.fragment(inlined, at);
    return pruned === inlined ? selection : pruned;
  }

  private fragment(fragment: InlineFragmentNode, at: Position): InlineFragmentNode | null {
    const { schema } = this.security;
    const type = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : at.parentType;
    if (!isCompositeType(type)) throw new Error(`Unknown type ${fragment.typeCondition?.name.value}`);
    const runtimeTypes = at.runtimeTypes.filter((candidate) =>
      isAbstractType(type) ? schema.isSubType(type, candidate) : type === candidate,
    );
    const prune = () => {
      const selectionSet = this.selectionSet(fragment.selectionSet, { ...at, parentType: type, runtimeTypes });
      if (selectionSet === fragment.selectionSet) return fragment;
      return selectionSet && { ...fragment, selectionSet };
    };
    return runtimeTypes.length > 0 ? prune() : this.unseen(fragment, prune);
  }

  private field(field: FieldNode, at: Position): FieldNode | null {
    const name = field.name.value;
    // Meta fields (__typename, introspection), the only ones a union has, carry no security directives.
    if (name.startsWith('__') || isUnionType(at.parentType)) return field;
    const definition = at.parentType.getFields()[name];
    if (!definition) throw new Error(`Unknown field ${at.parentType.name}.${name}`);
    const path = [...at.path, field.alias?.value ?? name];
    const pathTypes = [...at.pathTypes, definition.type];
    const reason = this.rights.denial(rulesForField(this.security, at.parentType, name, at.runtimeTypes));
    if (reason) {
      const onTypes = at.runtimeTypes.map((type) => type.name);
      this.denied.push({ path, pathTypes, reason, coordinate: `${at.parentType.name}.${name}`, onTypes });
      return null;
    }
    if (!field.selectionSet) return field;
    const returnType = getNamedType(definition.type) as GraphQLCompositeType;
    const runtimeTypes = isObjectType(returnType) ? [returnType] : this.security.schema.getPossibleTypes(returnType);
    const selectionSet = this.selectionSet(field.selectionSet, { parentType: returnType, runtimeTypes, path, pathTypes });
    if (selectionSet === field.selectionSet) return field;
    this.typenamePaths.push(path);
    const selections = [...(selectionSet?.selections ?? []), addedTypename];
    return { ...field, selectionSet: { kind: Kind.SELECTION_SET, selections } };
  }
}

/** The fragments the pruned operation still spreads, directly or through one another. */
function spreadFragments(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>) {
  const reached = new Set<string>();
  const follow = (node: ASTNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !reached.has(fragment.name.value)) {
          reached.add(fragment.name.value);
          follow(fragment);
        }
      },
    });
  follow(operation);
  return [...fragments.values()].filter((fragment) => reached.has(fragment.name.value));
}

/** The rewrite for one caller whose rights are already read; the plugin caches its result. */
export function pruneOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  conditions: ConditionValues,
  rights: CallerRights,
  security: SupergraphSecurity,
): AuthorizedOperation {
  const operation = getOperationAST(document, operationName);
  const root = operation && security.schema.getRootType(operation.operation);
  // Without an operation nothing can execute; the executor reports it.
  if (!operation || !root) return { document, denied: [], typenamePaths: [] };
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const pruner = new OperationPruner(security, fragments, conditions, rights);
  const top: Position = { parentType: root, runtimeTypes: [root], path: [], pathTypes: [] };
  const selectionSet = pruner.selectionSet(operation.selectionSet, top);
  const { typenamePaths } = pruner;
  // A field selected twice at one place (directly and through a fragment) is reported once.
  const byPlace = new Map(pruner.denied.map((field) => [`${field.path.join('.')} ${field.coordinate}`, field]));
  const denied = [...byPlace.values()];
  if (selectionSet === operation.selectionSet) return { document, denied, typenamePaths };
  if (!selectionSet) return { document: null, denied, typenamePaths };
  const pruned = { ...operation, selectionSet };
  const definitions = [pruned, ...spreadFragments(pruned, fragments)];
  return { document: { kind: Kind.DOCUMENT, definitions }, denied, typenamePaths };
}

/** Removes what `caller` may not read from the operation, before it is planned. */
export function authorizeOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | undefined,
  caller: Caller | null,
  security: SupergraphSecurity,
  policies: AccessPolicies,
): AuthorizedOperation {
  const operation = getOperationAST(document, operationName);
  const conditions = operation ? conditionValues(operation, variables) : {};
  return pruneOperation(document, operationName, conditions, callerRightsFor(security, policies)(caller), security);
}
