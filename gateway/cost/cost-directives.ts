import {
  getDirectiveValues,
  getNamedType,
  type GraphQLArgument,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** `@listSize` as the IBM cost spec and Federation 2.9 define it. */
export interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
  requireOneSlicingArgument: boolean;
}

type DirectiveHolder = Parameters<typeof getDirectiveValues>[1];

const COST_SPEC = /^https:\/\/specs\.apollo\.dev\/cost\/v0\.\d+$/;

/**
 * The @cost and @listSize applications of a schema. Composition writes them into the supergraph under the
 * cost spec's @link: `@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])` with @cost
 * as the spec's own directive; a subgraph that renames them (`{ name: "@cost", as: "@weight" }`, or
 * `@federation__listSize` without import) shows up as an `{ name, as }` import. A schema without that
 * link (written by hand with the directive definitions) uses the plain names.
 */
export class CostDirectives {
  private readonly cost?: GraphQLDirective;
  private readonly listSize?: GraphQLDirective;
  // The actual cost asks again for every returned object; schema elements never change, so ask once.
  private readonly weights = new Map<object, number | undefined>();

  constructor(schema: GraphQLSchema) {
    const names = costDirectiveNames(schema);
    this.cost = schema.getDirective(names.cost) ?? undefined;
    this.listSize = schema.getDirective(names.listSize) ?? undefined;
  }

  /** The field's @cost, else the @cost of the type it returns. */
  fieldWeight(field: GraphQLField<unknown, unknown>): number | undefined {
    return this.remembered(field, () => this.weightOn(field.astNode) ?? this.typeWeight(getNamedType(field.type)));
  }

  /** The argument's or input field's @cost, else the @cost of its type. */
  inputWeight(input: GraphQLArgument | GraphQLInputField): number | undefined {
    return this.remembered(input, () => this.weightOn(input.astNode) ?? this.typeWeight(getNamedType(input.type)));
  }

  listSizeOf(field: GraphQLField<unknown, unknown>): ListSize | undefined {
    if (!this.listSize || !field.astNode) return undefined;
    return getDirectiveValues(this.listSize, field.astNode) as ListSize | undefined;
  }

  private remembered(element: object, weigh: () => number | undefined): number | undefined {
    if (!this.weights.has(element)) this.weights.set(element, weigh());
    return this.weights.get(element);
  }

  private typeWeight(type: GraphQLNamedType): number | undefined {
    for (const node of [type.astNode, ...type.extensionASTNodes]) {
      const weight = this.weightOn(node);
      if (weight !== undefined) return weight;
    }
    return undefined;
  }

  private weightOn(node: DirectiveHolder | null | undefined): number | undefined {
    if (!this.cost || !node) return undefined;
    return getDirectiveValues(this.cost, node)?.weight as number | undefined;
  }
}

function costDirectiveNames(schema: GraphQLSchema): { cost: string; listSize: string } {
  const link = costLink(schema);
  if (!link) return { cost: 'cost', listSize: 'listSize' };
  const prefix = typeof link.as === 'string' ? link.as : 'cost';
  const imports = new Map<string, string>();
  for (const entry of (link.import ?? []) as Array<string | { name: string; as?: string }>) {
    const [name, as] = typeof entry === 'string' ? [entry, entry] : [entry.name, entry.as ?? entry.name];
    imports.set(name.replace(/^@/, ''), as.replace(/^@/, ''));
  }
  return { cost: imports.get('cost') ?? prefix, listSize: imports.get('listSize') ?? `${prefix}__listSize` };
}

/** The arguments of the schema's @link to the cost spec, if it has one. */
function costLink(schema: GraphQLSchema): Record<string, unknown> | undefined {
  const link = schema.getDirective('link');
  if (!link) return undefined;
  for (const node of [schema.astNode, ...schema.extensionASTNodes]) {
    for (const directive of node?.directives ?? []) {
      // getDirectiveValues reads the first application only; @link is repeatable.
      const args = directive.name.value === link.name ? getDirectiveValues(link, { directives: [directive] }) : undefined;
      if (typeof args?.url === 'string' && COST_SPEC.test(args.url)) return args;
    }
  }
  return undefined;
}
