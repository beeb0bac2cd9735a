import type { FieldShape, Selection } from '../minimization/response-shape.ts';
import { mapResponse, REMOVED, type FieldMapper } from '../minimization/response-walk.ts';
import { PATIENT_ID_KEY } from './patient-ids.ts';

/** What the access record learns from a response's data. */
export interface ResponseReading {
  /** The data without the hidden patient ids: a new tree where they were, never mutated in place. */
  data: unknown;
  patientIds: string[];
  /** Schema coordinates with a value (not null) in the data: `Patient.birthDate`. */
  fieldsReturned: string[];
}

/** Reads the data alongside the executed operation's shape: whose data, which fields; and takes the hidden ids out. */
export function readResponse(shape: Selection<FieldShape>, data: unknown): ResponseReading {
  const patientIds = new Set<string>();
  const fieldsReturned = new Set<string>();
  const readField: FieldMapper<FieldShape> = (value, field, key) => {
    if (value === null || value === undefined) return value;
    if (key === PATIENT_ID_KEY) {
      patientIds.add(String(value));
      return REMOVED;
    }
    fieldsReturned.add(field.coordinate);
    return field.selection ? mapResponse(value, field.selection, readField) : value;
  };
  return { data: mapResponse(data, shape, readField), patientIds: [...patientIds].sort(), fieldsReturned: [...fieldsReturned].sort() };
}
