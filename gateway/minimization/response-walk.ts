import type { Selection } from './response-shape.ts';

export type ResponseObject = Record<string, unknown>;

/** What a field mapper returns to take the field out of the response. */
export const REMOVED = Symbol('removed');

/**
 * The field maps that apply to one object of the response: its concrete type's, or where the
 * type cannot be told (an abstract position without `__typename`), every possible type's, so
 * that a rule of any of them applies (fail closed).
 */
function fieldsAt<Field>(selection: Selection<Field>, object: ResponseObject): Iterable<ReadonlyMap<string, Field>> {
  for (const key of selection.typenameKeys) {
    const typename = object[key];
    if (typeof typename === 'string') {
      const fields = selection.byType.get(typename);
      return fields ? [fields] : [];
    }
  }
  return selection.byType.values();
}

function mapItems(items: readonly unknown[], map: (item: unknown) => unknown): readonly unknown[] {
  let copy: unknown[] | undefined;
  items.forEach((item, index) => {
    const mapped = map(item);
    if (mapped !== item) (copy ??= [...items])[index] = mapped;
  });
  return copy ?? items;
}

export type FieldMapper<Field> = (value: unknown, field: Field, key: string, object: ResponseObject) => unknown;

/**
 * Walks response data alongside a selection, through lists and nulls, calling `mapField` for
 * each selected field present in an object; the mapper walks further down itself, when it needs
 * to. Returns `value` itself when no field changed, otherwise a new tree sharing the unchanged
 * parts: the data is never mutated, so it may be cached or shared.
 */
export function mapResponse<Field>(value: unknown, selection: Selection<Field>, mapField: FieldMapper<Field>): unknown {
  if (Array.isArray(value)) return mapItems(value, (item) => mapResponse(item, selection, mapField));
  if (value === null || typeof value !== 'object') return value;
  let object = value as ResponseObject;
  for (const fields of fieldsAt(selection, object)) {
    let copy: ResponseObject | undefined;
    for (const [key, field] of fields) {
      if (!(key in object)) continue;
      const mapped = mapField(object[key], field, key, object);
      if (mapped === object[key]) continue;
      copy ??= { ...object };
      if (mapped === REMOVED) delete copy[key];
      else copy[key] = mapped;
    }
    object = copy ?? object;
  }
  return object;
}
