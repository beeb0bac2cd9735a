import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { Caller } from '../../platform/caller.ts';
import type { MinimizationPolicy } from '../../policies/minimization.ts';
import { boundedCache, cachedOr } from '../../platform/cache.ts';
import { minimizationPlan, type ConditionalTransform, type FieldPlan } from './minimization-plan.ts';
import { responseShape, type Selection } from './response-shape.ts';
import { mapResponse, type FieldMapper, type ResponseObject } from './response-walk.ts';
import { ruleSetFor } from '../../platform/authorization/minimization-rules.ts';
import { applyTransform } from './transforms.ts';

const holds = ({ when }: ConditionalTransform, object: ResponseObject) =>
  !when || when.key === undefined || object[when.key] === undefined || object[when.key] === when.equals;

const minimizeField: FieldMapper<FieldPlan> = (value, field, _key, object) => {
  const below = field.selection ? mapResponse(value, field.selection, minimizeField) : value;
  const transform = field.transforms.find((candidate) => holds(candidate, object));
  return transform ? applyTransform(transform.transform, below) : below;
};

/** Plans are cached per schema, document, operation and rule set; objects are numbered to key them. */
const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
const idOf = (object: object) => objectIds.get(object) ?? objectIds.set(object, nextObjectId++).get(object)!;
/** `false`: nothing in the document is minimized for the rule set. */
const plans = boundedCache<string, Selection<FieldPlan> | false>(2_000);

/**
 * The response data as the caller may see it under the minimization policy, for their roles and
 * purpose of use. Returns `data` itself when nothing changes, otherwise a new tree sharing the
 * unchanged parts: the input is never mutated, so it may come from a cache or be shared by the
 * subscribers of one event.
 */
export function minimize<Data>(
  document: DocumentNode,
  operationName: string | null,
  data: Data,
  caller: Caller | null,
  schema: GraphQLSchema,
  rules: MinimizationPolicy,
): Data {
  const ruleSet = ruleSetFor(caller, rules);
  if (ruleSet.byCoordinate.size === 0 || data === null || data === undefined) return data;
  const key = JSON.stringify([idOf(schema), idOf(document), operationName, ruleSet.key]);
  const plan = cachedOr(plans, key, () => {
    const shape = responseShape(schema, document, operationName);
    return (shape && minimizationPlan(shape, ruleSet)) || false;
  });
  return plan ? (mapResponse(data, plan, minimizeField) as Data) : data;
}
