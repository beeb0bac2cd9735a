import type { Caller } from '../caller.ts';
import { transformsByStrictness, type MinimizationPolicy, type MinimizationRule } from '../../policies/minimization.ts';
import { isRoleName, purposesOfUse, type PurposeOfUse } from '../../policies/roles.ts';

/** The rules that apply to one caller, the strictest per field, by coordinate. */
export interface RuleSet {
  /** Equal for callers with equal rules, whatever their roles: plans are cached by it. */
  key: string;
  byCoordinate: ReadonlyMap<string, readonly MinimizationRule[]>;
}

export const strictness = (rule: MinimizationRule) => transformsByStrictness.indexOf(rule.transform);

const scopeOf = ({ coordinate, via, when }: MinimizationRule) => JSON.stringify([coordinate, via, when?.field, when?.equals]);

/** Short keys for rule sets, equal for equal contents. */
const contentKeys = new Map<string, string>();

function ruleSetOf(rules: readonly MinimizationRule[]): RuleSet {
  const strictest = new Map<string, MinimizationRule>();
  for (const rule of rules) {
    const scope = scopeOf(rule);
    const kept = strictest.get(scope);
    if (!kept || strictness(rule) > strictness(kept)) strictest.set(scope, rule);
  }
  const byCoordinate = new Map<string, MinimizationRule[]>();
  for (const rule of strictest.values()) byCoordinate.set(rule.coordinate, [...(byCoordinate.get(rule.coordinate) ?? []), rule]);
  const content = JSON.stringify([...strictest].sort(([a], [b]) => a.localeCompare(b)).map(([scope, rule]) => [scope, rule.transform]));
  const key = contentKeys.get(content) ?? contentKeys.set(content, `rules-${contentKeys.size}`).get(content)!;
  return { key, byCoordinate };
}

const isPurposeOfUse = (name: string): name is PurposeOfUse => Object.hasOwn(purposesOfUse, name);

const cache = new WeakMap<MinimizationPolicy, Map<string, RuleSet>>();

/**
 * The caller's rule set: the union of their roles' rules and their purpose's rules, the
 * strictest transform winning (see policies/minimization.ts). Only known role and purpose names
 * count, so the cache holds at most one entry per combination the policy can tell apart.
 */
export function ruleSetFor(caller: Caller | null, policy: MinimizationPolicy): RuleSet {
  const roles = [...new Set(caller?.roles ?? [])].filter(isRoleName).sort();
  const purpose = caller?.purposeOfUse;
  const purposeRules = purpose && isPurposeOfUse(purpose) ? (policy.byPurpose[purpose] ?? []) : [];
  const cacheKey = `${roles.join(' ')}|${purposeRules.length > 0 ? purpose : ''}`;
  const perPolicy = cache.get(policy) ?? cache.set(policy, new Map()).get(policy)!;
  const cached = perPolicy.get(cacheKey);
  if (cached) return cached;
  const roleRules = roles.length === 0 ? policy.withoutKnownRole : roles.flatMap((role) => policy.byRole[role] ?? []);
  const ruleSet = ruleSetOf([...roleRules, ...purposeRules]);
  perPolicy.set(cacheKey, ruleSet);
  return ruleSet;
}
