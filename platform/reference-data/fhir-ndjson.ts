import { isReferenceType, malformed, rejectionOf, unknownType, type ReferenceFile, type ReferenceRow, type ReferenceType } from './rows.ts';

/* FHIR R4/R5 resources as they come, loosely typed: the checks after reading name what is missing. */
type Resource = Record<string, any>;

const first = (list: unknown) => (Array.isArray(list) ? list[0] : undefined);
const codeOf = (concept: Resource | undefined) => first(concept?.coding)?.code ?? concept?.text;
/** `Practitioner/prac-01` → `prac-01`, for the actor of the given type. */
const actorId = (schedule: Resource, type: string) =>
  (Array.isArray(schedule.actor) ? schedule.actor : [])
    .map((actor: Resource) => actor?.reference)
    .find((reference: unknown) => typeof reference === 'string' && reference.startsWith(`${type}/`))
    ?.slice(type.length + 1);
/** HH:MM of FHIR's `time` (HH:MM:SS). */
const minuteOf = (time: unknown) => (typeof time === 'string' ? time.slice(0, 5) : time);
/** A ChargeItemDefinition's price: the amount of its first price component (R5's propertyGroup.priceComponent). */
const priceOf = (definition: Resource) => first(first(definition.propertyGroup)?.priceComponent)?.amount?.value;

const inputOf: Record<ReferenceType, (resource: Resource) => Record<string, unknown>> = {
  Practitioner: (practitioner) => {
    const name = first(practitioner.name);
    return { id: practitioner.id, family: name?.family, given: name?.given ?? [], specialty: codeOf(first(practitioner.qualification)?.code) };
  },
  Location: (location) => ({ id: location.id, name: location.name, city: location.address?.city }),
  Schedule: (schedule) => ({
    id: schedule.id,
    practitionerId: actorId(schedule, 'Practitioner'),
    locationId: actorId(schedule, 'Location'),
    // R4: a CodeableConcept; R5: a CodeableReference holding one.
    serviceType: codeOf(first(schedule.serviceType)?.concept ?? first(schedule.serviceType)),
    slotMinutes: schedule.minutesDuration,
    availableTime: (Array.isArray(schedule.availableTime) ? schedule.availableTime : []).map((time: Resource) => ({
      daysOfWeek: (time?.daysOfWeek ?? []).map((day: unknown) => String(day).toUpperCase()),
      start: minuteOf(time?.availableStartTime),
      end: minuteOf(time?.availableEndTime),
    })),
    planningHorizon: schedule.planningHorizon ?? null,
  }),
  ChargeItemDefinition: (definition) => ({
    code: codeOf(definition.code),
    description: definition.title ?? definition.description,
    amount: priceOf(definition),
  }),
  Organization: (organization) => ({ id: organization.id, name: organization.name, identifier: first(organization.identifier)?.value ?? null }),
};

const keyOf = (resource: Resource) => (resource.resourceType === 'ChargeItemDefinition' ? codeOf(resource.code) : resource.id);

/**
 * FHIR NDJSON (one resource a line, as FHIR Bulk Data exports it). Schedules carry two fields FHIR's
 * Schedule lacks: `availableTime` (as FHIR's Availability) and `minutesDuration` (each slot's length).
 */
export function readNdjson(text: string): ReferenceFile {
  const rows: ReferenceRow[] = [];
  const rejected: ReferenceFile['rejected'] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    const line = index + 1;
    if (content.trim() === '') return;
    let resource: Resource | undefined;
    try {
      resource = JSON.parse(content) as Resource;
      if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) throw malformed('the line is not a FHIR resource (a JSON object)');
      const { resourceType } = resource;
      if (!isReferenceType(resourceType)) throw unknownType();
      rows.push({ line, resourceType, input: inputOf[resourceType](resource) });
    } catch (error) {
      const reason = error instanceof SyntaxError ? malformed('the line is not JSON') : error;
      rejected.push(rejectionOf(line, typeof resource?.resourceType === 'string' ? resource.resourceType : null, resource && keyOf(resource), reason));
    }
  });
  return { rows, rejected };
}
