/**
 * Quotas: governance as data. What one patient, organisation or caller may hold at once, so that one of
 * them cannot take what is everyone's: the free slots of a week, a partner's share of the webhook
 * deliverer, a gateway's subscription fan-out, the cost budget.
 *
 * A request over a quota is refused with `extensions.code` QUOTA_EXCEEDED, the quota's reason (the
 * QUOTA_EXCEEDED reasons of platform/errors.ts) and `limit`; nothing is changed. The minimum charge is no
 * refusal: it is what an operation costs at least, whatever its data, so the cost budget's 429 still comes.
 */

export const quotas = {
  /** More than a course of treatment books ahead; one patient booked 40 of 40 free slots in 12 s. */
  openAppointmentsPerPatient: 10,
  /** A payer's systems and environments; one partner registered 100, and one booking made 100 POSTs. */
  webhookEndpointsPerOrganization: 10,
  /** Per host: a receiver, and one to move to when it changes its path. */
  webhookEndpointsPerTarget: 2,
  /** What one screen or integration follows; 3 sockets of 100 each pushed another caller's p50 from 49 to 429 ms. */
  subscriptionsPerCaller: 100,
  /**
   * What an operation is charged at least, in cost points, whatever its result: the greater of `share` of
   * its estimate and `points`, never more than the estimate (introspection, priced 0, stays free). Without
   * it, queries whose results were filtered to nothing were refunded almost all their cost: 200 estimated
   * at 751 each never met a 429.
   */
  minimumCharge: { share: 0.25, points: 1 },
};

/** What an operation estimated at `estimate` is charged at least. */
export const minimumCharge = (estimate: number, { share, points } = quotas.minimumCharge): number =>
  Math.min(estimate, Math.max(Math.ceil(estimate * share), points));
