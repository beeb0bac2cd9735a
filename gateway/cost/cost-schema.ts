import {
  getNamedType,
  getOperationAST,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type NamedTypeNode,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { badInput } from '../../platform/errors.ts';
import { CostDirectives } from './cost-directives.ts';

export type Variables = Record<string, unknown>;

/** Apollo's demand control: a mutation costs 10 before its fields; queries and subscriptions nothing. */
const MUTATION_COST = 10;

/**
 * The supergraph as demand control sees it. It must be the supergraph (or a schema carrying the directives),
 * not the API schema the gateway validates against: the API schema drops @cost and @listSize.
 */
export class CostSchema {
  readonly directives: CostDirectives;

  /** @param defaultListSize the size assumed for a list with neither slicing argument nor assumedSize. */
  constructor(
    readonly schema: GraphQLSchema,
    readonly defaultListSize = 10,
  ) {
    this.directives = new CostDirectives(schema);
  }

  field(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> {
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    if (parent === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    // Only a validated document reaches here; a miss means the cost schema is not the schema being served.
    if (!field) throw new Error(`${parent.name}.${name} is not in the cost schema`);
    return field;
  }

  /** The type a fragment narrows to; an inline fragment without condition stays on the enclosing type. */
  narrowed(condition: NamedTypeNode | undefined, enclosing: GraphQLCompositeType): GraphQLCompositeType {
    return condition ? (this.schema.getType(condition.name.value) as GraphQLCompositeType) : enclosing;
  }

  /** What the arguments given to one field cost: input objects 1 each, everything else 0, unless @cost says. */
  argumentsCost(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Variables): number {
    let total = 0;
    for (const argument of node.arguments ?? []) {
      const definition = field.args.find((arg) => arg.name === argument.name.value);
      if (definition) total += this.inputCost(definition, valueFromASTUntyped(argument.value, variables));
    }
    return total;
  }

  private inputCost(input: GraphQLArgument | GraphQLInputField, value: unknown): number {
    if (value === null || value === undefined) return 0;
    const weight = this.directives.inputWeight(input);
    // As Apollo Router: a list pays its own weight and then each item pays the same weight again.
    if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + this.inputCost(input, item), weight ?? 0);
    const type = getNamedType(input.type);
    if (!isInputObjectType(type) || typeof value !== 'object') return weight ?? 0;
    const fields = type.getFields();
    return Object.entries(value).reduce(
      (sum, [name, inner]) => sum + (fields[name] ? this.inputCost(fields[name], inner) : 0),
      weight ?? 1,
    );
  }
}

export interface ResolvedOperation {
  operation: OperationDefinitionNode;
  rootType: GraphQLObjectType;
  fragments: Map<string, FragmentDefinitionNode>;
  /** What the operation type costs before any field. */
  baseCost: number;
}

export function resolveOperation(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): ResolvedOperation {
  const operation = getOperationAST(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType) {
    throw badInput(`Operation ${operationName ?? '(anonymous)'} is not in the document or the schema`, { http: { status: 400 } });
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return { operation, rootType, fragments, baseCost: operation.operation === 'mutation' ? MUTATION_COST : 0 };
}

/**
 * @skip and @include with their variables resolved: a skipped selection costs nothing. Read leniently
 * (a missing variable skips nothing): variables are checked at execution, which answers that error itself.
 */
export function isSkipped(selection: SelectionNode, variables: Variables): boolean {
  const condition = (directive: string) => {
    const argument = selection.directives?.find((d) => d.name.value === directive)?.arguments?.find((a) => a.name.value === 'if');
    return argument && valueFromASTUntyped(argument.value, variables);
  };
  return condition('skip') === true || condition('include') === false;
}
