/** The consumer group that matches events to endpoints: the gateway's deliverer runs it, once across its replicas; the webhooks service shows and replays it. */
export const WEBHOOKS_GROUP = 'webhooks';

/** A partner's webhook endpoint, as the registry keeps it. Its signing secret is not part of it: only the deliverer reads that. */
export interface WebhookEndpoint {
  id: string;
  /** The organisation the endpoint receives events for: it sees what that organisation may see. */
  organizationId: string;
  url: string;
  eventTypes: string[];
  status: 'active' | 'disabled';
  disabledReason: DisabledReason | null;
  consecutiveFailures: number;
  /** The first failed attempt since the last success; null while attempts succeed. */
  failingSince: Date | null;
  registeredBy: string;
  registeredAt: Date;
  disabledAt: Date | null;
}

/** Asked by the organisation, every attempt failing for the disable window, or the receiver answered 410 Gone. */
export type DisabledReason = 'requested' | 'failing' | 'gone';

export interface NewWebhookEndpoint {
  organizationId: string;
  url: string;
  eventTypes: string[];
  secret: string;
  registeredBy: string;
}

/** One event for one endpoint. */
export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

/** Why an attempt got no HTTP status: no answer in time, no connection, or a target the policy refuses. */
export type AttemptErrorKind = 'timeout' | 'connection_failed' | 'target_refused';

/** What one attempt to deliver gave. */
export interface AttemptResult {
  /** The receiver's HTTP status; absent when it never answered. */
  statusCode?: number;
  errorKind?: AttemptErrorKind;
  durationMs: number;
}

/** An entry of the delivery log. */
export interface DeliveryAttempt {
  seq: string;
  deliveryId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  /** 1 for the first attempt of the delivery; redeliveries keep counting. */
  attempt: number;
  at: Date;
  durationMs: number;
  succeeded: boolean;
  statusCode: number | null;
  errorKind: AttemptErrorKind | null;
  nextRetryAt: Date | null;
}
