import { Kind, print, visit, type ASTNode, type DocumentNode, type FieldNode, type OperationDefinitionNode } from 'graphql';

/**
 * What a subscriber asks to see of each event, apart from which events: the operation without its
 * root field's arguments (filter, after), its name or the variables only they use. Subscribers
 * with the same selection, the same variable values and the same rights share one resolution.
 */
export interface SharedSelection {
  document: DocumentNode;
  variables: Record<string, unknown>;
  key: string;
}

export function variablesUsedIn(nodes: readonly ASTNode[]): Set<string> {
  const used = new Set<string>();
  for (const node of nodes) visit(node, { Variable: (variable) => void used.add(variable.name.value) });
  return used;
}

export function sharedSelection(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rootField: FieldNode,
  variables: Record<string, unknown>,
): SharedSelection {
  const stripped = visit(document, { Field: (node) => (node === rootField ? { ...node, arguments: [] } : undefined) });
  const strippedOperation = stripped.definitions[document.definitions.indexOf(operation)] as OperationDefinitionNode;
  const fragments = stripped.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  const used = variablesUsedIn([strippedOperation.selectionSet, ...fragments]);
  const shared: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      { ...strippedOperation, name: undefined, variableDefinitions: strippedOperation.variableDefinitions?.filter((definition) => used.has(definition.variable.name.value)) },
      ...fragments,
    ],
  };
  const values = Object.fromEntries([...used].sort().map((name) => [name, variables[name]]));
  return { document: shared, variables: values, key: JSON.stringify([print(shared), values]) };
}
