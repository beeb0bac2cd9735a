import { buildASTSchema, parse, valueFromASTUntyped, type GraphQLSchema } from 'graphql';
import { readSecurityRules, type SecurityKind, type SecurityRules } from '../../platform/authorization/security-rules.ts';

export type { SecurityRule } from '../../platform/authorization/security-rules.ts';

/** The security features this gateway enforces, by the `@link` url composition gives them. */
export const ENFORCED_SECURITY_FEATURES: ReadonlyMap<string, SecurityKind> = new Map([
  ['https://specs.apollo.dev/authenticated/v0.1', 'authenticated'],
  ['https://specs.apollo.dev/requiresScopes/v0.1', 'requiresScopes'],
  ['https://specs.apollo.dev/policy/v0.1', 'policy'],
]);

export interface SupergraphSecurity extends SecurityRules {
  schema: GraphQLSchema;
}

/** Reads the security directives the supergraph kept from its subgraphs, once at startup. */
export function readSupergraphSecurity(supergraphSdl: string): SupergraphSecurity {
  const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });
  return { schema, ...readSecurityRules(schema, linkedDirectiveNames(schema)) };
}

/** Directive names as the supergraph spells them: the feature's name unless its `@link` says `as:`. */
function linkedDirectiveNames(schema: GraphQLSchema): Map<string, SecurityKind> {
  const names = new Map<string, SecurityKind>();
  const links = [schema.astNode, ...schema.extensionASTNodes].flatMap((node) => node?.directives ?? []);
  for (const link of links.filter((directive) => directive.name.value === 'link')) {
    const args = Object.fromEntries(link.arguments?.map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]) ?? []);
    const kind = ENFORCED_SECURITY_FEATURES.get(String(args.url));
    if (kind) names.set(typeof args.as === 'string' ? args.as : kind, kind);
  }
  return names;
}
