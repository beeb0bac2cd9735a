import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { allow, rule, shield } from 'graphql-shield';
import type { IRule, IRules } from 'graphql-shield';
import type { AccessPolicies } from '../../policies/access-policies.ts';
import { callerRightsFor, type CallerRights } from '../authorization/caller-rights.ts';
import { readSecurityRules, type SecurityRule } from '../authorization/security-rules.ts';
import type { Caller } from '../caller.ts';
import { DomainError, ErrorCode } from '../errors.ts';

/** A subgraph imports the directives under their own names (see its @link). */
const SUBGRAPH_DIRECTIVES = new Map([
  ['authenticated', 'authenticated'],
  ['requiresScopes', 'requiresScopes'],
  ['policy', 'policy'],
] as const);

interface CallerScope {
  caller: Caller | null;
}

export interface AccessRules {
  /** The schema with every field guarded. */
  schema: GraphQLSchema;
  /** Whether a caller may read a field (`Patient.nationalIdentifier`), by the same guards: for resolvers that must not reveal it otherwise, e.g. by searching on it. */
  mayRead(caller: Caller | null, coordinate: string): boolean;
}

/**
 * Defence in depth: the subgraph enforces the same @authenticated, @requiresScopes and @policy as
 * the gateway, from its own SDL and the same policies, with graphql-shield. A field guards itself,
 * its parent type and its return type, as at the gateway. A call that reaches a subgraph with a
 * valid internal token but a field its caller may not read gets FORBIDDEN, not data.
 */
export function withAccessRules(schema: GraphQLSchema, policies: AccessPolicies): AccessRules {
  const security = readSecurityRules(schema, SUBGRAPH_DIRECTIVES);
  const rightsFor = callerRightsFor(security, policies);
  const guardsOf = (typeName: string, fieldName: string, returnType: string): SecurityRule[] =>
    [typeName, `${typeName}.${fieldName}`, returnType].flatMap((coordinate) => security.rules.get(coordinate) ?? []);
  const rightsByRequest = new WeakMap<object, CallerRights>();
  const rightsOf = (context: CallerScope) => {
    let rights = rightsByRequest.get(context);
    if (!rights) rightsByRequest.set(context, (rights = rightsFor(context.caller)));
    return rights;
  };
  const ruleTree: Record<string, Record<string, IRule>> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const guards = guardsOf(type.name, field.name, getNamedType(field.type).name);
      if (guards.length === 0) continue;
      ruleTree[type.name] ??= {};
      ruleTree[type.name]![field.name] = rule(`${type.name}.${field.name}`, { cache: 'contextual' })(
        (_parent, _args, context: CallerScope) =>
          rightsOf(context).denial(guards) === undefined ||
          new DomainError(ErrorCode.FORBIDDEN, `Not authorized to read ${type.name}.${field.name}`),
      );
    }
  }
  return {
    schema: applyMiddleware(schema, shield(ruleTree satisfies IRules, { fallbackRule: allow, allowExternalErrors: true })),
    mayRead(caller, coordinate) {
      const [typeName = '', fieldName = ''] = coordinate.split('.');
      const type = schema.getType(typeName);
      const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
      if (!field) throw new Error(`No field ${coordinate} in this subgraph`);
      return rightsFor(caller).denial(guardsOf(typeName, fieldName, getNamedType(field.type).name)) === undefined;
    },
  };
}
