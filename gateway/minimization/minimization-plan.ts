import type { Transform } from '../../policies/minimization.ts';
import type { FieldShape, Selection } from './response-shape.ts';
import { strictness, type RuleSet } from '../../platform/authorization/minimization-rules.ts';

export interface ConditionalTransform {
  transform: Transform;
  /** Applies unless the sibling at `key` is present with another value; no `key`: the sibling was not selected. */
  when?: { key?: string; equals: string };
}

/** Where a response key needs work: a transform of its own, objects below it that do, or both. */
export interface FieldPlan {
  /** Strictest first: the first whose condition holds applies. */
  transforms: readonly ConditionalTransform[];
  selection?: Selection<FieldPlan>;
}

function transformsFor(field: FieldShape, siblings: ReadonlyMap<string, FieldShape>, ruleSet: RuleSet, via: string | undefined) {
  const rules = (ruleSet.byCoordinate.get(field.coordinate) ?? []).filter((rule) => rule.via === undefined || rule.via === via);
  return [...rules]
    .sort((a, b) => strictness(b) - strictness(a))
    .map(({ transform, when }): ConditionalTransform => {
      if (!when) return { transform };
      const key = [...siblings].find(([, sibling]) => sibling.fieldName === when.field)?.[0];
      return { transform, when: { key, equals: when.equals } };
    });
}

/**
 * The part of a response shape that the rule set touches, or undefined when it touches nothing:
 * then the response needs no walk at all. `via` is the coordinate of the field the objects at
 * this position were reached through.
 */
export function minimizationPlan(shape: Selection<FieldShape>, ruleSet: RuleSet, via?: string): Selection<FieldPlan> | undefined {
  const byType = new Map<string, Map<string, FieldPlan>>();
  for (const [typeName, fields] of shape.byType) {
    const planned = new Map<string, FieldPlan>();
    for (const [key, field] of fields) {
      const transforms = transformsFor(field, fields, ruleSet, via);
      const selection = field.selection && minimizationPlan(field.selection, ruleSet, field.coordinate);
      if (transforms.length > 0 || selection) planned.set(key, { transforms, selection });
    }
    if (planned.size > 0) byType.set(typeName, planned);
  }
  return byType.size > 0 ? { typenameKeys: shape.typenameKeys, byType } : undefined;
}
