import {
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * What an operation's response looks like at one object position: for each concrete type the
 * object may have, the fields selected on it by response key. Built from the operation with
 * graphql-js's types (fragments, type conditions and aliases resolved), so a walk over the data
 * knows the schema coordinate of every value without reading field names from the data.
 */
export interface Selection<Field> {
  /** Response keys of a selected `__typename`: how the concrete type is told at an abstract position. */
  typenameKeys: readonly string[];
  byType: ReadonlyMap<string, ReadonlyMap<string, Field>>;
}

export interface FieldShape {
  /** The field on its concrete parent type: `Patient.birthDate`. */
  coordinate: string;
  fieldName: string;
  /** The field's named type: `Patient` for `Appointment.patient`. */
  typeName: string;
  selection?: Selection<FieldShape>;
}

/** The field a coordinate names, when the schema has it as an object type's field. */
export function fieldAt(schema: GraphQLSchema, coordinate: string): GraphQLField<unknown, unknown> | undefined {
  const [typeName = '', fieldName = ''] = coordinate.split('.');
  const type = schema.getType(typeName);
  return isObjectType(type) ? type.getFields()[fieldName] : undefined;
}

class ShapeBuilder {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  ) {}

  selection(type: GraphQLCompositeType, selectionSets: readonly SelectionSetNode[]): Selection<FieldShape> {
    const typenameKeys = new Set<string>();
    const byType = new Map<string, Map<string, FieldShape>>();
    const concreteTypes = isAbstractType(type) ? this.schema.getPossibleTypes(type) : [type];
    for (const concrete of concreteTypes) {
      const fields = new Map<string, FieldShape>();
      for (const [key, nodes] of this.collect(concrete, selectionSets.flatMap((set) => set.selections))) {
        const fieldName = nodes[0]!.name.value;
        if (fieldName === '__typename') typenameKeys.add(key);
        const definition = concrete.getFields()[fieldName];
        if (!definition) continue;
        const named = getNamedType(definition.type);
        const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
        fields.set(key, {
          coordinate: `${concrete.name}.${fieldName}`,
          fieldName,
          typeName: named.name,
          selection: isCompositeType(named) ? this.selection(named, subSelections) : undefined,
        });
      }
      if (fields.size > 0) byType.set(concrete.name, fields);
    }
    return { typenameKeys: [...typenameKeys], byType };
  }

  /** The fields selected on an object of `type`, by response key, as graphql-js's collectFields (all @skip/@include kept: the data tells). */
  private collect(type: GraphQLObjectType, selections: readonly SelectionNode[], into = new Map<string, FieldNode[]>()) {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        into.set(key, [...(into.get(key) ?? []), selection]);
        continue;
      }
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? this.fragments.get(selection.name.value) : selection;
      if (fragment && this.applies(fragment.typeCondition?.name.value, type)) this.collect(type, fragment.selectionSet.selections, into);
    }
    return into;
  }

  private applies(condition: string | undefined, type: GraphQLObjectType): boolean {
    if (condition === undefined || condition === type.name) return true;
    const conditionType = this.schema.getType(condition);
    return conditionType !== undefined && isAbstractType(conditionType) && this.schema.isSubType(conditionType, type);
  }
}

type Shapes = WeakMap<DocumentNode, Map<string | null, Selection<FieldShape> | null>>;
const shapesBySchema = new WeakMap<GraphQLSchema, Shapes>();

/** The shape of the operation's `data`; null when the document has no such operation. Cached per schema and document. */
export function responseShape(schema: GraphQLSchema, document: DocumentNode, operationName: string | null): Selection<FieldShape> | null {
  const shapes = shapesBySchema.get(schema) ?? shapesBySchema.set(schema, new WeakMap()).get(schema)!;
  const perDocument = shapes.get(document) ?? shapes.set(document, new Map()).get(document)!;
  if (perDocument.has(operationName)) return perDocument.get(operationName)!;
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  const fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  const shape = operation && root ? new ShapeBuilder(schema, fragments).selection(root, [operation.selectionSet]) : null;
  perDocument.set(operationName, shape);
  return shape;
}
