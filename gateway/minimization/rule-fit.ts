import { getNamedType, isNonNullType, isScalarType, type GraphQLSchema } from 'graphql';
import type { MinimizationPolicy, MinimizationRule } from '../../policies/minimization.ts';
import { fieldAt } from './response-shape.ts';

/** Scalars a transform's string output would make wrong. */
const nonStringScalars = new Set(['Int', 'Float', 'Boolean']);

export const rulesOf = (policy: MinimizationPolicy): MinimizationRule[] => [
  ...Object.values(policy.byRole).flat(),
  ...Object.values(policy.byPurpose).flat(),
  ...policy.withoutKnownRole,
];

function misfit(schema: GraphQLSchema, rule: MinimizationRule): string | undefined {
  const field = fieldAt(schema, rule.coordinate);
  if (!field) return undefined;
  const typeName = rule.coordinate.split('.')[0];
  if (rule.when && !fieldAt(schema, `${typeName}.${rule.when.field}`)) return `${typeName} has no field ${rule.when.field}`;
  if (rule.transform === 'redact') return isNonNullType(field.type) ? 'redact needs a nullable field' : undefined;
  const named = getNamedType(field.type);
  return !isScalarType(named) || nonStringScalars.has(named.name) ? `${rule.transform} needs a string scalar` : undefined;
}

/**
 * Rules whose transform would break the response's types on this schema: `redact` on a non-null
 * field, a string transform on a list of objects or an Int... Coordinates the schema does not
 * have are not checked: the gateway serves any supergraph, and a rule for a field it lacks is moot.
 */
export function rulesNotFitting(schema: GraphQLSchema, policy: MinimizationPolicy): string[] {
  return rulesOf(policy).flatMap((rule) => {
    const problem = misfit(schema, rule);
    return problem ? [`${rule.coordinate} (${rule.transform}): ${problem}`] : [];
  });
}
