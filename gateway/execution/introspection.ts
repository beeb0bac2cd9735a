import type { OperationContext } from '@apollo/gateway/dist/operationContext.js';
import { executeSync, Kind, OperationTypeNode, visit, type FieldNode, type SelectionNode } from 'graphql';

/** An introspection field of the client's operation, answered from the gateway's own schema. */
export function executeIntrospection(operationContext: OperationContext, selection: SelectionNode, variables: Record<string, unknown>): unknown {
  const field = selection as FieldNode;
  const used = new Set<string>();
  visit(field, { Variable: ({ name }) => void used.add(name.value) });
  const variableDefinitions = operationContext.operation.variableDefinitions?.filter((definition) => used.has(definition.variable.name.value));
  const { data, errors } = executeSync({
    schema: operationContext.schema,
    document: {
      kind: Kind.DOCUMENT,
      definitions: [{ kind: Kind.OPERATION_DEFINITION, operation: OperationTypeNode.QUERY, variableDefinitions, selectionSet: { kind: Kind.SELECTION_SET, selections: [field] } }],
    },
    rootValue: {},
    variableValues: variables,
  });
  if (errors?.length || !data) throw new Error(`Introspection query for ${field.name.value} should not have failed: ${JSON.stringify(errors)}`);
  return data[field.alias?.value ?? field.name.value];
}
