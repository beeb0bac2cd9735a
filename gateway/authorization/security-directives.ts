import {
  buildASTSchema,
  isInterfaceType,
  isObjectType,
  parse,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type GraphQLSchema,
} from 'graphql';

/** The security features this gateway enforces, by the `@link` url composition gives them. */
export const ENFORCED_SECURITY_FEATURES: ReadonlyMap<string, SecurityRule['kind']> = new Map([
  ['https://specs.apollo.dev/authenticated/v0.1', 'authenticated'],
  ['https://specs.apollo.dev/requiresScopes/v0.1', 'requiresScopes'],
  ['https://specs.apollo.dev/policy/v0.1', 'policy'],
]);

/**
 * One directive application: `authenticated` wants any verified caller; `requiresScopes` and
 * `policy` want every name of at least one of the `anyOf` lists. `on` is the schema coordinate.
 */
export type SecurityRule =
  | { kind: 'authenticated'; on: string }
  | { kind: 'requiresScopes' | 'policy'; anyOf: string[][]; on: string };

export interface SupergraphSecurity {
  schema: GraphQLSchema;
  /** By schema coordinate: `ClinicalNote` for a type, `Patient.nationalIdentifier` for a field. */
  rules: ReadonlyMap<string, readonly SecurityRule[]>;
  policyNames: ReadonlySet<string>;
}

const ARGUMENT = { requiresScopes: 'scopes', policy: 'policies' } as const;

/** Reads the security directives the supergraph kept from its subgraphs, once at startup. */
export function readSupergraphSecurity(supergraphSdl: string): SupergraphSecurity {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  const kindByDirective = linkedDirectiveNames(schema);
  const rules = new Map<string, SecurityRule[]>();
  const read = (on: string, directives: readonly ConstDirectiveNode[] = []) => {
    const found = directives.flatMap((directive): SecurityRule[] => {
      const kind = kindByDirective.get(directive.name.value);
      if (kind === undefined) return [];
      if (kind === 'authenticated') return [{ kind, on }];
      const argument = directive.arguments?.find((arg) => arg.name.value === ARGUMENT[kind]);
      return [{ kind, on, anyOf: argument ? (valueFromASTUntyped(argument.value) as string[][]) : [] }];
    });
    if (found.length > 0) rules.set(on, found);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    read(type.name, type.astNode?.directives);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) read(`${type.name}.${field.name}`, field.astNode?.directives);
    }
  }
  const policyNames = new Set(
    [...rules.values()].flat().flatMap((rule) => (rule.kind === 'policy' ? rule.anyOf.flat() : [])),
  );
  return { schema, rules, policyNames };
}

/** Directive names as the supergraph spells them: the feature's name unless its `@link` says `as:`. */
function linkedDirectiveNames(schema: GraphQLSchema): Map<string, SecurityRule['kind']> {
  const names = new Map<string, SecurityRule['kind']>();
  const links = [schema.astNode, ...schema.extensionASTNodes].flatMap((node) => node?.directives ?? []);
  for (const link of links.filter((directive) => directive.name.value === 'link')) {
    const args = Object.fromEntries(link.arguments?.map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]) ?? []);
    const kind = ENFORCED_SECURITY_FEATURES.get(String(args.url));
    if (kind) names.set(typeof args.as === 'string' ? args.as : kind, kind);
  }
  return names;
}
