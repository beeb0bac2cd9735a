import { Kind, type DirectiveNode, type OperationDefinitionNode, type SelectionNode, type TypeNode } from 'graphql';

/** The values of @skip/@include conditions come only from Boolean variables. */
export type ConditionValues = Readonly<Record<string, boolean>>;

const isBoolean = (type: TypeNode): boolean =>
  type.kind === Kind.NON_NULL_TYPE ? isBoolean(type.type) : type.kind === Kind.NAMED_TYPE && type.name.value === 'Boolean';

/** The operation's Boolean variables with defaults applied: all a rewrite can depend on besides the caller. */
export function conditionValues(
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): ConditionValues {
  const values: Record<string, boolean> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (!isBoolean(definition.type)) continue;
    const name = definition.variable.name.value;
    const given = variables?.[name];
    const fallback = definition.defaultValue?.kind === Kind.BOOLEAN && definition.defaultValue.value;
    values[name] = given === undefined ? fallback : given === true;
  }
  return values;
}

function holds(directive: DirectiveNode, values: ConditionValues): boolean {
  const condition = directive.arguments?.find((arg) => arg.name.value === 'if')?.value;
  if (condition?.kind === Kind.BOOLEAN) return condition.value;
  return condition?.kind === Kind.VARIABLE && values[condition.name.value] === true;
}

/** False when @skip or @include leaves the selection out of this request's response. */
export function isIncluded(selection: SelectionNode, values: ConditionValues): boolean {
  return (selection.directives ?? []).every((directive) => {
    if (directive.name.value === 'skip') return !holds(directive, values);
    if (directive.name.value === 'include') return holds(directive, values);
    return true;
  });
}
