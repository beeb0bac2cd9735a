/** What a visit preparation starts from: kept in the instance, so a change of settings does not move a running one. */
export interface VisitRequest {
  appointmentId: string;
  /** The fee schedule code the pre-visit estimate is made of. */
  serviceCode: string;
  /** How often the wait looks at the appointment by itself (its cancellation's event wakes it sooner). */
  pollSeconds: number;
}
