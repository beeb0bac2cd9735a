// The console's panels, each drawn from what the graph answered; `act` runs an action and reloads.
import { ACTIONS } from './console-queries.js';
import { badge, button, element, good, panel, since, table, time } from './console-dom.js';

const unavailable = (error) => element('p', { class: 'error' }, [`Not available: ${error}`]);
const upTone = (status) => (status === 'UP' || status === 'READY' || status === 'CLOSED' ? 'good' : status === 'DEGRADED' || status === 'HALF_OPEN' ? 'warn' : 'bad');

export function dependencies({ services, odooHealth }) {
  const rows = services.flatMap(({ name, data, error }) =>
    error
      ? [{ service: name, name: '(the service)', status: 'DOWN', reason: error }]
      : [{ service: name, name: '(the service)', status: data.status }, ...data.dependencies.map((dependency) => ({ service: name, ...dependency }))],
  );
  const odoo = odooHealth.data?.odooHealth;
  const odooLine = odooHealth.error
    ? unavailable(odooHealth.error)
    : element('p', {}, [
        'Odoo: ', badge(odoo.status, upTone(odoo.status)), ' breaker ', badge(odoo.breaker, upTone(odoo.breaker)),
        odoo.version ? ` version ${odoo.version}` : '', odoo.reason ? ` (${odoo.reason})` : '',
      ]);
  return panel('dependencies', 'Dependencies', [
    odooLine,
    table(
      [
        { label: 'service', cell: (row) => row.service },
        { label: 'dependency', cell: (row) => row.name },
        { label: 'status', cell: (row) => badge(row.status, upTone(row.status)) },
        { label: 'why', cell: (row) => row.reason },
      ],
      rows,
      'No service answered.',
    ),
  ]);
}

export function flows({ services }) {
  const rows = services.flatMap(({ data }) => data?.flows ?? []);
  return panel('flows', 'Flows against their objectives', [
    table(
      [
        { label: 'flow', cell: (flow) => flow.description },
        { label: 'objective', cell: (flow) => flow.objective },
        { label: 'now', cell: (flow) => good(flow.met, 'met', 'missed') },
        { label: 'waiting', cell: (flow) => (flow.kind === 'BATCH' ? `last run ${time(flow.lastRunAt) || 'never'} ${flow.lastRunOutcome ?? ''}, next ${time(flow.nextRunAt)}` : `${flow.waiting ?? 0} (oldest ${Math.round(flow.oldestWaitingSeconds ?? 0)} s)`) },
        { label: 'why', cell: (flow) => flow.detail },
      ],
      rows,
      'No flow reported.',
    ),
  ]);
}

export function syncs({ syncIssues }, act) {
  return panel('syncs', 'Failed and delayed syncs to Odoo', [
    syncIssues.error
      ? unavailable(syncIssues.error)
      : table(
          [
            { label: 'invoice', cell: (sync) => `${sync.invoiceNumber} (${sync.invoiceId})` },
            { label: 'appointments', cell: (sync) => sync.appointmentIds.join(', ') },
            { label: 'status', cell: (sync) => badge(sync.status, sync.status === 'FAILING' ? 'bad' : 'warn') },
            { label: 'waiting since', cell: (sync) => since(sync.waitingSince) },
            { label: 'attempts', cell: (sync) => String(sync.attempts) },
            { label: 'last error', cell: (sync) => (sync.lastErrorCode ? `${sync.lastErrorCode} at ${time(sync.lastAttemptAt)}` : '') },
            { label: '', cell: (sync) => button('Retry', () => act(`Retry ${sync.invoiceNumber}`, ACTIONS.retrySync, { invoiceId: sync.invoiceId })) },
          ],
          syncIssues.data.odooSyncIssues,
          'Every invoice and payment is in Odoo, or on its way within its objective.',
        ),
  ]);
}

const WAITING_ON = { FRONT_OFFICE: 'the front office (a task in Odoo)', PATIENT: 'the patient (consent in the portal)' };

export function onboardings({ onboardings: answer }) {
  const title = 'Onboardings waiting on a person or failed';
  if (answer.error) return panel('onboardings', title, [unavailable(answer.error)]);
  const { nodes, hasNextPage } = answer.data.onboardings;
  return panel('onboardings', title, [
    table(
      [
        { label: 'onboarding', cell: (onboarding) => onboarding.id },
        { label: 'status', cell: (onboarding) => badge(onboarding.status, onboarding.status === 'FAILED' ? 'bad' : 'warn') },
        { label: 'on whom', cell: (onboarding) => WAITING_ON[onboarding.waitingOn] ?? '' },
        { label: 'since', cell: (onboarding) => since(onboarding.since) },
        { label: 'step', cell: (onboarding) => onboarding.currentStep },
        { label: 'why', cell: (onboarding) => onboarding.reason },
        { label: 'patient', cell: (onboarding) => onboarding.patientId },
      ],
      nodes,
      'No onboarding waits on a person or has failed.',
    ),
    hasNextPage ? element('p', {}, [`The ${nodes.length} waiting longest are shown.`]) : '',
  ]);
}

export const rejectedPatientUpdates = () =>
  panel('rejected-patient-updates', 'Rejected patient updates', [
    element('p', { class: 'empty' }, [
      'Not recorded: patient changes arrive only as graph mutations, and one refused is answered to its caller and kept nowhere, so there is nothing to list here yet.',
    ]),
  ]);

export function deadLetters({ services }, act) {
  const groups = services.flatMap(({ data, replay }) => (data?.consumerGroups ?? []).map((group) => ({ ...group, service: data.service, replay })));
  return panel('dead-letters', 'Consumer groups and dead letters', [
    table(
      [
        { label: 'group', cell: (group) => `${group.group} (${group.service})` },
        { label: 'lag', cell: (group) => String(group.lag) },
        { label: 'pending', cell: (group) => String(group.pending) },
        { label: 'dead letters', cell: (group) => badge(String(group.deadLetterCount), group.deadLetterCount ? 'bad' : 'good') },
        { label: 'oldest', cell: (group) => group.deadLetters.map((letter) => `${letter.eventType} ${letter.subject ?? ''}: ${letter.errorCode} at ${time(letter.failedAt)}`).join('; ') },
        { label: '', cell: (group) => (group.deadLetterCount && group.replay ? button('Replay', () => act(`Replay ${group.group}`, ACTIONS.replay(group.replay), { group: group.group })) : '') },
      ],
      groups,
      'No consumer group reported.',
    ),
  ]);
}

export function webhooks({ webhooks: answer }, act) {
  if (answer.error) return panel('webhooks', 'Webhook endpoints', [unavailable(answer.error)]);
  const { webhookEndpoints, failingWebhookDeliveries } = answer.data;
  return panel('webhooks', 'Webhook endpoints and failing deliveries', [
    table(
      [
        { label: 'endpoint', cell: (endpoint) => `${endpoint.url} (${endpoint.organizationId})` },
        { label: 'status', cell: (endpoint) => badge(endpoint.status, endpoint.status === 'ACTIVE' ? 'good' : 'bad') },
        { label: 'failing', cell: (endpoint) => (endpoint.failingSince ? `${endpoint.consecutiveFailures} since ${since(endpoint.failingSince)}` : '') },
        { label: '', cell: (endpoint) => (endpoint.status === 'ACTIVE' ? '' : button('Re-enable', () => act(`Re-enable ${endpoint.url}`, ACTIONS.enableEndpoint, { id: endpoint.id }))) },
      ],
      webhookEndpoints,
      'No endpoint registered.',
    ),
    table(
      [
        { label: 'delivery', cell: (delivery) => `${delivery.eventType} to ${delivery.endpointId}` },
        { label: 'status', cell: (delivery) => badge(delivery.status, 'bad') },
        { label: 'attempts', cell: (delivery) => String(delivery.attempts) },
        { label: 'last attempt', cell: (delivery) => (delivery.lastAttempt ? `${delivery.lastAttempt.statusCode ?? delivery.lastAttempt.errorKind} at ${time(delivery.lastAttempt.at)}` : '') },
        { label: 'next', cell: (delivery) => time(delivery.nextAttemptAt) },
        { label: '', cell: (delivery) => button('Redeliver', () => act(`Redeliver ${delivery.id}`, ACTIONS.redeliver, { deliveryId: delivery.id })) },
      ],
      failingWebhookDeliveries,
      'No failing delivery.',
    ),
  ]);
}

export function reconciliation({ reconciliation: answer }, act) {
  const run = button('Run reconciliation now', () => act('Reconciliation', ACTIONS.runReconciliation, {}));
  if (answer.error) return panel('reconciliation', 'Reconciliation', [run, unavailable(answer.error)]);
  const { reconciliation: mismatches, reconciliationRuns } = answer.data;
  return panel('reconciliation', 'Reconciliation', [
    run,
    table(
      [
        { label: 'mismatch', cell: (mismatch) => mismatch.kind },
        { label: 'invoice', cell: (mismatch) => [mismatch.invoiceId, mismatch.odooInvoiceId && `Odoo ${mismatch.odooInvoiceId}`].filter(Boolean).join(', ') },
        { label: 'differs', cell: (mismatch) => (mismatch.field ? `${mismatch.field}: billing ${mismatch.billingValue}, Odoo ${mismatch.odooValue}` : '') },
        { label: 'found', cell: (mismatch) => time(mismatch.foundAt) },
      ],
      mismatches,
      'No open mismatch.',
    ),
    table(
      [
        { label: 'run', cell: (run) => `${run.trigger} ${time(run.slot ?? run.startedAt)}` },
        { label: 'outcome', cell: (run) => badge(run.outcome, run.outcome === 'FAILED' ? 'bad' : 'good') },
        { label: 'mismatches', cell: (run) => String(run.mismatches ?? '') },
        { label: 'error', cell: (run) => run.errorCode },
      ],
      reconciliationRuns,
      'No run yet.',
    ),
  ]);
}

/** The newest traces: the spans each service kept, grouped by trace. */
export function traces({ services }) {
  const byTrace = new Map();
  for (const span of services.flatMap(({ data }) => data?.recentSpans ?? [])) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  const rows = [...byTrace.entries()]
    .map(([traceId, spans]) => ({ traceId, spans, startedAt: spans.map((span) => span.startedAt).sort()[0] }))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, 15);
  return panel('traces', 'Recent traces', [
    table(
      [
        { label: 'trace', cell: (trace) => trace.traceId },
        { label: 'started', cell: (trace) => time(trace.startedAt) },
        { label: 'spans', cell: (trace) => trace.spans.map((span) => `${span.service}: ${span.name}`).join(', ') },
        { label: 'errors', cell: (trace) => good(!trace.spans.some((span) => span.error), 'none', 'error') },
      ],
      rows,
      'No spans kept in memory (TRACES_KEEP_SPANS: 5,000 under npm start, none by default elsewhere).',
    ),
  ]);
}
