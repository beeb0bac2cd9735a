import { isInterfaceType, isObjectType, valueFromASTUntyped, type ConstDirectiveNode, type GraphQLSchema } from 'graphql';

/**
 * One application of @authenticated, @requiresScopes or @policy: `authenticated` wants any
 * verified caller; `requiresScopes` and `policy` want every name of at least one of the `anyOf`
 * lists. `on` is the schema coordinate it was found on.
 */
export type SecurityRule =
  | { kind: 'authenticated'; on: string }
  | { kind: 'requiresScopes' | 'policy'; anyOf: string[][]; on: string };

export type SecurityKind = SecurityRule['kind'];

export interface SecurityRules {
  /** By schema coordinate: `Invoice` for a type, `Patient.nationalIdentifier` for a field. */
  rules: ReadonlyMap<string, readonly SecurityRule[]>;
  policyNames: ReadonlySet<string>;
}

const ARGUMENT = { requiresScopes: 'scopes', policy: 'policies' } as const;

/**
 * Reads the security directives of a schema, the gateway's supergraph or a subgraph's own, given
 * how that schema spells them (a supergraph may rename them through its @link).
 */
export function readSecurityRules(schema: GraphQLSchema, kindByDirective: ReadonlyMap<string, SecurityKind>): SecurityRules {
  const rules = new Map<string, SecurityRule[]>();
  const read = (on: string, directives: readonly ConstDirectiveNode[]) => {
    const found = directives.flatMap((directive): SecurityRule[] => {
      const kind = kindByDirective.get(directive.name.value);
      if (kind === undefined) return [];
      if (kind === 'authenticated') return [{ kind, on }];
      const argument = directive.arguments?.find((arg) => arg.name.value === ARGUMENT[kind]);
      return [{ kind, on, anyOf: argument ? (valueFromASTUntyped(argument.value) as string[][]) : [] }];
    });
    if (found.length > 0) rules.set(on, [...(rules.get(on) ?? []), ...found]);
  };
  const directivesOf = (node: { astNode?: { directives?: readonly ConstDirectiveNode[] } | null; extensionASTNodes?: readonly { directives?: readonly ConstDirectiveNode[] }[] }) =>
    [node.astNode, ...(node.extensionASTNodes ?? [])].flatMap((ast) => ast?.directives ?? []);
  for (const type of Object.values(schema.getTypeMap())) {
    read(type.name, directivesOf(type));
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) read(`${type.name}.${field.name}`, field.astNode?.directives ?? []);
    }
  }
  const policyNames = new Set([...rules.values()].flat().flatMap((rule) => (rule.kind === 'policy' ? rule.anyOf.flat() : [])));
  return { rules, policyNames };
}
