import type { FetchNode } from '@apollo/query-planner';
import {
  Kind,
  parse,
  print,
  stripIgnoredCharacters,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';

/** Sibling entity fetches to one subgraph as one operation: fetch i's `_entities` under an alias of its own. */
export interface MergedEntityOperation {
  query: string;
  operationName: string | undefined;
  document: DocumentNode;
  /** The variable fetch i's representations go in. */
  representationsVariable(i: number): string;
  /** The response field fetch i's entities come back in. */
  entitiesField(i: number): string;
  /** Which fetch a response field (an error's first path element) belongs to; -1 for none. */
  fetchOfField(field: string): number;
}

const entitiesField = (i: number) => `_entities${i}`;
const representationsVariable = (i: number) => `representations${i}`;

// Plans are cached, so are their fetch nodes: each combination is merged and printed once.
const cache = new WeakMap<FetchNode, Map<string, MergedEntityOperation>>();

export function mergedEntityOperation(fetches: FetchNode[]): MergedEntityOperation {
  const [first] = fetches as [FetchNode, ...FetchNode[]];
  const key = fetches.map((fetch) => fetch.id ?? fetch.operation).join('\n');
  let forFirst = cache.get(first);
  if (!forFirst) cache.set(first, (forFirst = new Map()));
  let merged = forFirst.get(key);
  if (!merged) {
    merged = merge(fetches);
    forFirst.set(key, merged);
  }
  return merged;
}

function merge(fetches: FetchNode[]): MergedEntityOperation {
  const variableDefinitions = new Map<string, VariableDefinitionNode>();
  const selections: SelectionNode[] = [];
  const fragments: FragmentDefinitionNode[] = [];
  fetches.forEach((fetch, i) => {
    const renamed = visit(fetch.operationDocumentNode ?? parse(fetch.operation), {
      Variable: (node) => (node.name.value === 'representations' ? { ...node, name: { ...node.name, value: representationsVariable(i) } } : undefined),
      FragmentSpread: (node) => ({ ...node, name: { ...node.name, value: `${node.name.value}_${i}` } }),
      FragmentDefinition: (node) => ({ ...node, name: { ...node.name, value: `${node.name.value}_${i}` } }),
    });
    for (const definition of renamed.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.push(definition);
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      for (const variable of definition.variableDefinitions ?? []) variableDefinitions.set(variable.variable.name.value, variable);
      for (const selection of definition.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD || selection.name.value !== '_entities') throw new Error(`An entity fetch to ${fetch.serviceName} selects more than _entities`);
        selections.push({ ...selection, alias: { kind: Kind.NAME, value: entitiesField(i) } });
      }
    }
  });
  const operationName = fetches[0]!.operationName;
  const operation: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: fetches[0]!.operationKind,
    name: operationName ? { kind: Kind.NAME, value: operationName } : undefined,
    variableDefinitions: [...variableDefinitions.values()],
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
  return {
    query: stripIgnoredCharacters(print(document)),
    operationName,
    document,
    representationsVariable,
    entitiesField,
    fetchOfField: (field) => (field.startsWith('_entities') ? Number(field.slice('_entities'.length)) : -1),
  };
}
