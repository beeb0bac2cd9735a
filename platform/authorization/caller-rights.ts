import type { Caller } from '../caller.ts';
import type { AccessPolicies } from '../../policies/access-policies.ts';
import type { SecurityRule, SecurityRules } from './security-rules.ts';
import { grantsScope } from './smart-scopes.ts';

/** What one caller may do, as the supergraph's rules see it. */
export interface CallerRights {
  /** Equal for callers no rule can tell apart: sorted roles and scopes, and the policies they meet. */
  key: string;
  /** Why the rules keep this caller out, or undefined when every rule lets them in. */
  denial(rules: readonly SecurityRule[]): string | undefined;
}

const describe = (rule: SecurityRule) =>
  rule.kind === 'authenticated'
    ? 'an authenticated caller'
    : `${rule.kind === 'policy' ? 'policies' : 'scopes'} ${rule.anyOf.map((all) => all.join(' and ')).join(' or ')}`;

/**
 * Checks at startup that every `@policy` name in the supergraph is defined (an undefined one would
 * deny silently forever), and returns how to read a caller's rights.
 */
export function callerRightsFor(
  security: SecurityRules,
  policies: AccessPolicies,
): (caller: Caller | null) => CallerRights {
  const names = [...security.policyNames].sort();
  const undefinedNames = names.filter((name) => !Object.hasOwn(policies, name));
  if (undefinedNames.length > 0) {
    throw new Error(`The schema uses @policy names that no access policy defines: ${undefinedNames.join(', ')}`);
  }
  return (caller) => {
    const met = new Set(caller ? names.filter((name) => policies[name]?.allows(caller)) : []);
    const scopes = caller?.scopes ?? [];
    const holds = (rule: SecurityRule) =>
      rule.kind === 'authenticated'
        ? caller !== null
        : rule.anyOf.some((all) => all.every((name) => (rule.kind === 'policy' ? met.has(name) : grantsScope(scopes, name))));
    return {
      key: JSON.stringify([caller !== null, [...(caller?.roles ?? [])].sort(), [...scopes].sort(), [...met]]),
      denial(rules) {
        const broken = rules.find((rule) => !holds(rule));
        return broken && `${broken.on} requires ${describe(broken)}`;
      },
    };
  };
}
