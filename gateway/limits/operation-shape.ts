import { Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionNode, type SelectionSetNode } from 'graphql';

/** What the operation limits measure, over the operation as it executes: fragments expanded where they are spread. */
export interface OperationShape {
  /** Deepest field nesting; root fields are at depth 1. Fragments and inline fragments add no depth of their own. */
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
}

/** The shape of one selection set: `fields` counts the fields at its own level, the rest include everything below. */
interface SelectionShape {
  depth: number;
  aliases: number;
  fields: number;
  directives: number;
}

const EMPTY: SelectionShape = { depth: 0, aliases: 0, fields: 0, directives: 0 };

/**
 * Measures every operation of the document and keeps the largest of each measure, so the document is judged
 * before anyone picks the operation. Each fragment is measured once and reused at each spread, so fragments
 * spreading fragments cannot make this exponential; a fragment met again while it is being measured counts as
 * empty, which ends circular fragments (validation rejects those).
 */
export function measureDocument(document: DocumentNode): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measured = new Map<string, SelectionShape>();

  const measureFragment = (name: string): SelectionShape => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment) return EMPTY;
    measured.set(name, EMPTY);
    const shape = withDirectives(measureSet(fragment.selectionSet), fragment.directives?.length ?? 0);
    measured.set(name, shape);
    return shape;
  };

  const measureSelection = (selection: SelectionNode): SelectionShape => {
    const own = selection.directives?.length ?? 0;
    switch (selection.kind) {
      case Kind.FIELD: {
        const below = selection.selectionSet ? measureSet(selection.selectionSet) : EMPTY;
        return {
          depth: below.depth + 1,
          aliases: below.aliases + (selection.alias ? 1 : 0),
          fields: 1,
          directives: below.directives + own,
        };
      }
      case Kind.INLINE_FRAGMENT:
        return withDirectives(measureSet(selection.selectionSet), own);
      case Kind.FRAGMENT_SPREAD:
        return withDirectives(measureFragment(selection.name.value), own);
    }
  };

  const measureSet = (set: SelectionSetNode): SelectionShape =>
    set.selections.map(measureSelection).reduce(combine, EMPTY);

  const shape: OperationShape = { depth: 0, aliases: 0, rootFields: 0, directives: 0 };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = measureSet(definition.selectionSet);
    const variableDirectives = (definition.variableDefinitions ?? []).reduce((n, v) => n + (v.directives?.length ?? 0), 0);
    shape.depth = Math.max(shape.depth, root.depth);
    shape.aliases = Math.max(shape.aliases, root.aliases);
    shape.rootFields = Math.max(shape.rootFields, root.fields);
    shape.directives = Math.max(shape.directives, root.directives + (definition.directives?.length ?? 0) + variableDirectives);
  }
  return shape;
}

function combine(a: SelectionShape, b: SelectionShape): SelectionShape {
  return {
    depth: Math.max(a.depth, b.depth),
    aliases: a.aliases + b.aliases,
    fields: a.fields + b.fields,
    directives: a.directives + b.directives,
  };
}

function withDirectives(shape: SelectionShape, directives: number): SelectionShape {
  return directives === 0 ? shape : { ...shape, directives: shape.directives + directives };
}
