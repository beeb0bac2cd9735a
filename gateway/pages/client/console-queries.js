// What the console asks the graph: each service's own state, and the finance and webhook details.
// One request per service, so a service that is down leaves only its own part empty.

export const SERVICES = [
  { name: 'patients', field: 'patientsOperations' },
  { name: 'appointments', field: 'appointmentsOperations', replay: 'replayAppointmentsDeadLetters' },
  { name: 'billing', field: 'billingOperations', replay: 'replayBillingDeadLetters' },
  { name: 'audit', field: 'auditOperations' },
  { name: 'odoo-finance', field: 'odooFinanceOperations', replay: 'replayOdooFinanceDeadLetters' },
  { name: 'webhooks', field: 'webhooksOperations', replay: 'replayWebhooksDeadLetters' },
  { name: 'workflows', field: 'workflowsOperations', replay: 'replayWorkflowsDeadLetters' },
];

export const serviceQuery = (field) => `query ServiceOperations {
  service: ${field} {
    service status
    dependencies { name status essential reason }
    consumerGroups { group lag pending deadLetterCount deadLetters(first: 5) { eventId eventType subject attempts errorCode failedAt } }
    flows { id description kind objective met detail waiting oldestWaitingSeconds lastRunAt lastRunOutcome nextRunAt }
    recentSpans(first: 30) { traceId spanId parentSpanId name service startedAt durationMs error }
  }
}`;

export const DETAIL_QUERIES = {
  odooHealth: `query OdooHealth { odooHealth { status breaker version reason } }`,
  syncIssues: `query OdooSyncIssues {
  odooSyncIssues(first: 50) { invoiceId invoiceNumber appointmentIds status invoiceSynced paymentsWaiting waitingSince attempts lastErrorCode lastAttemptAt }
}`,
  // Those waiting on a person or failed, the longest first.
  onboardings: `query OnboardingsToFollow {
  onboardings(filter: { statuses: [WAITING, FAILED] }, order: LONGEST_IN_STATUS_FIRST, first: 20) {
    nodes { id status waitingOn since currentStep patientId reason } hasNextPage
  }
}`,
  webhooks: `query Webhooks {
  webhookEndpoints { id organizationId url status disabledReason consecutiveFailures failingSince }
  failingWebhookDeliveries(first: 50) { id endpointId eventType status attempts nextAttemptAt lastAttempt { statusCode errorKind at } }
}`,
  reconciliation: `query Reconciliation {
  reconciliation { id kind invoiceId odooInvoiceId field billingValue odooValue foundAt }
  reconciliationRuns(first: 5) { id trigger slot startedAt finishedAt outcome mismatches errorCode requestedBy }
}`,
};

export const ACTIONS = {
  replay: (mutation) => `mutation Replay($group: String!) { result: ${mutation}(group: $group) { group replayed } }`,
  retrySync: `mutation RetryOdooSync($invoiceId: ID!) { result: retryOdooSync(invoiceId: $invoiceId) { invoiceNumber status lastErrorCode } }`,
  runReconciliation: `mutation RunReconciliation { result: runReconciliation { outcome mismatches errorCode } }`,
  enableEndpoint: `mutation EnableWebhookEndpoint($id: ID!) { result: enableWebhookEndpoint(id: $id) { id status } }`,
  redeliver: `mutation RedeliverWebhook($deliveryId: ID!) { result: redeliverWebhook(deliveryId: $deliveryId) { id status } }`,
};
