import type { FieldShape, Selection } from '../minimization/response-shape.ts';
import { mapResponse, type FieldMapper } from '../minimization/response-walk.ts';

/** Schema coordinates with a value (not null) in the data, sorted: `Patient.birthDate`. */
export function fieldsReturnedIn(shape: Selection<FieldShape>, data: unknown): string[] {
  const fieldsReturned = new Set<string>();
  const readField: FieldMapper<FieldShape> = (value, field) => {
    if (value === null || value === undefined) return value;
    fieldsReturned.add(field.coordinate);
    if (field.selection) mapResponse(value, field.selection, readField);
    return value;
  };
  mapResponse(data, shape, readField);
  return [...fieldsReturned].sort();
}
