import type { EventType } from './catalog.ts';
import type { DomainEvent } from './envelope.ts';

/** An entity an event type exposes: the root query that fetches it and the payload key with its id. */
export interface EntityField {
  query: string;
  idKey: string;
}

/** A Subscription field of schema/subscriptions.graphql and the GraphQL type of its events. */
export interface EventTopic {
  field: string;
  typeName: string;
  /** By field name on the event type. */
  entities: Readonly<Record<string, EntityField>>;
  /**
   * Fields of the event type answered from the event's payload key of the same name, as announced
   * (the entity is read as it is when delivered): states, never patient data.
   */
  states?: readonly string[];
}

const entity = (query: string, idKey: string): EntityField => ({ query, idKey });

export const topics = {
  appointmentEvents: { field: 'appointmentEvents', typeName: 'AppointmentEvent', entities: { appointment: entity('appointment', 'appointmentId') } },
  billingEvents: {
    field: 'billingEvents',
    typeName: 'BillingEvent',
    entities: {
      charge: entity('charge', 'chargeId'),
      claim: entity('claim', 'claimId'),
      invoice: entity('invoice', 'invoiceId'),
      payment: entity('payment', 'paymentId'),
    },
  },
  patientEvents: { field: 'patientEvents', typeName: 'PatientEvent', entities: { patient: entity('patient', 'patientId') } },
  onboardingEvents: {
    field: 'onboardingEvents',
    typeName: 'OnboardingEvent',
    entities: { onboarding: entity('onboarding', 'onboardingId') },
    states: ['status', 'waitingOn'],
  },
} as const satisfies Record<string, EventTopic>;

/**
 * Where an event type is published: its topic, its value of the topic's type enum, and the entity
 * field whose visibility decides whether a subscriber learns of the event at all.
 */
export interface EventPlacement {
  topic: EventTopic;
  name: string;
  entity: string;
}

const on = <T extends keyof typeof topics>(topic: T, name: string, entity: keyof (typeof topics)[T]['entities'] & string): EventPlacement => ({
  topic: topics[topic],
  name,
  entity,
});

/**
 * The events subscribers hear of. One left out is not published (the Odoo sync's operational
 * events are for operations staff, not partners): publishing is a decision, not a default.
 */
const placements: Partial<Record<EventType, EventPlacement>> = {
  'org.healthgraph.patient.registered.v1': on('patientEvents', 'REGISTERED', 'patient'),
  'org.healthgraph.patient.updated.v1': on('patientEvents', 'UPDATED', 'patient'),
  'org.healthgraph.coverage.added.v1': on('patientEvents', 'COVERAGE_ADDED', 'patient'),
  'org.healthgraph.consent.recorded.v1': on('patientEvents', 'CONSENT_RECORDED', 'patient'),
  'org.healthgraph.appointment.booked.v1': on('appointmentEvents', 'BOOKED', 'appointment'),
  'org.healthgraph.appointment.confirmed.v1': on('appointmentEvents', 'CONFIRMED', 'appointment'),
  'org.healthgraph.appointment.cancelled.v1': on('appointmentEvents', 'CANCELLED', 'appointment'),
  'org.healthgraph.appointment.rescheduled.v1': on('appointmentEvents', 'RESCHEDULED', 'appointment'),
  'org.healthgraph.appointment.checked_in.v1': on('appointmentEvents', 'CHECKED_IN', 'appointment'),
  'org.healthgraph.encounter.completed.v1': on('appointmentEvents', 'ENCOUNTER_COMPLETED', 'appointment'),
  'org.healthgraph.appointment.no_show.v1': on('appointmentEvents', 'NO_SHOW', 'appointment'),
  'org.healthgraph.charge.captured.v1': on('billingEvents', 'CHARGE_CAPTURED', 'charge'),
  'org.healthgraph.charge.voided.v1': on('billingEvents', 'CHARGE_VOIDED', 'charge'),
  'org.healthgraph.claim.submitted.v1': on('billingEvents', 'CLAIM_SUBMITTED', 'claim'),
  'org.healthgraph.claim.adjudicated.v1': on('billingEvents', 'CLAIM_ADJUDICATED', 'claim'),
  'org.healthgraph.invoice.issued.v1': on('billingEvents', 'INVOICE_ISSUED', 'invoice'),
  'org.healthgraph.payment.posted.v1': on('billingEvents', 'PAYMENT_POSTED', 'payment'),
  'org.healthgraph.invoice.updated.v1': on('billingEvents', 'INVOICE_UPDATED', 'invoice'),
  'org.healthgraph.onboarding.changed.v1': on('onboardingEvents', 'CHANGED', 'onboarding'),
};

/** The topic an event is published on; undefined for one not published, or of a type newer than this gateway. */
export function placementOf(event: DomainEvent): EventPlacement | undefined {
  return Object.hasOwn(placements, event.type) ? placements[event.type as EventType] : undefined;
}

/** The id an entity field resolves by, when the event's payload has one. */
export function entityIdOf(event: DomainEvent, field: EntityField): string | undefined {
  const id = (event.data as Partial<Record<string, unknown>>)[field.idKey];
  return typeof id === 'string' ? id : undefined;
}

/** Every enum value the placements use, by topic: checked against the schema at start. */
export function eventTypeNames(topic: EventTopic): string[] {
  return Object.values(placements).flatMap((placement) => (placement?.topic === topic ? [placement.name] : []));
}
