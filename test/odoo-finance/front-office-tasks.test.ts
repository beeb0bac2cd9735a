import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeActivity, readActivity } from '../../subgraphs/odoo-finance/odoo/activities.ts';
import { decisionOf, feedbackOf } from '../../subgraphs/odoo-finance/tasks/front-office-tasks.ts';
import { codesOf } from '../support/graphql.ts';
import { callers, newPatientId, outboxEvents, startFinanceService, type FinanceService } from './harness.ts';

const TASK_FIELDS = 'odooActivityId patientId summary deadline choices status decision';
const OPEN = `mutation($input: OpenFrontOfficeTaskInput!, $key: String) { openFrontOfficeTask(input: $input, idempotencyKey: $key) { ${TASK_FIELDS} } }`;
const CANCEL = `mutation($id: Int!) { cancelFrontOfficeTask(odooActivityId: $id) { ${TASK_FIELDS} } }`;
// As the healthgraph_notify addon sends it (odoo-addon/healthgraph_notify/models/healthgraph_gateway.py).
const REPORT_DONE = 'mutation($activity: Int!, $message: Int!) { reportOdooActivityDone(odooActivityId: $activity, odooMessageId: $message) { odooActivityId } }';
const TASK = `query($id: Int!) { frontOfficeTask(odooActivityId: $id) { ${TASK_FIELDS} } }`;
const OPEN_ACCOUNT = 'mutation($patientId: ID!) { openFinancialAccount(patientId: $patientId) { id ref } }';
const WITHDRAW_ACCOUNT = 'mutation($patientId: ID!) { withdrawFinancialAccount(patientId: $patientId) { id ref } }';

const DEADLINE = '2031-01-15';
const taskInput = (patientId: string) => ({
  patientId,
  summary: 'Probable duplicate to resolve',
  deadline: DEADLINE,
  choices: ['REGISTER', 'STOP'],
  link: 'http://127.0.0.1:4000/onboarding/onb-1',
});

describe('front-office tasks in Odoo, on the bundled Odoo 17', () => {
  let service: FinanceService;
  beforeAll(async () => {
    service = await startFinanceService(17, undefined);
  });
  afterAll(() => service?.close());

  const asWorkflow = (query: string, variables: Record<string, unknown>) => service.call(query, variables, callers.onboardingService);

  async function openTask(patientId = newPatientId(), key?: string) {
    const { data, errors } = await asWorkflow(OPEN, { input: taskInput(patientId), key });
    expect(errors).toBeUndefined();
    return data!.openFrontOfficeTask as { odooActivityId: number; patientId: string; status: string };
  }

  it('opens an activity on the patient\'s partner with the deadline, the answers and the link back; a retry opens no second one', async () => {
    const patientId = newPatientId();
    const task = await openTask(patientId, 'onb-1:duplicate');
    expect(task).toMatchObject({ patientId, status: 'OPEN', deadline: DEADLINE, choices: ['REGISTER', 'STOP'], decision: null });
    expect((await openTask(patientId, 'onb-1:duplicate')).odooActivityId).toBe(task.odooActivityId);

    const activity = await readActivity(service.client, task.odooActivityId);
    const [partner] = await service.client.searchRead('res.partner', [['ref', '=', patientId]], { fields: ['id'] });
    expect(activity).toMatchObject({ partnerId: partner!.id, summary: 'Probable duplicate to resolve', deadline: DEADLINE, activityType: 'Healthcare graph task' });
    expect(activity!.note).toContain('<b>REGISTER</b>');
    expect(activity!.note).toContain('href="http://127.0.0.1:4000/onboarding/onb-1"');
    expect(await service.client.searchRead('mail.activity', [['res_id', '=', partner!.id]], { fields: ['id'] })).toHaveLength(1);
  });

  it('takes the decision from the message Odoo posted when the person marked it done, as the addon reports it', async () => {
    const task = await openTask();
    const early = await service.call(REPORT_DONE, { activity: task.odooActivityId, message: 1 }, callers.odooService);
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ACTIVITY_STILL_OPEN' });

    const messageId = await completeActivity(service.client, task.odooActivityId, 'register: not the same person, other birth place');
    const other = await service.call(REPORT_DONE, { activity: task.odooActivityId, message: messageId + 1000 }, callers.odooService);
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'MESSAGE_NOT_OF_TASK' });

    const reported = await service.call(REPORT_DONE, { activity: task.odooActivityId, message: messageId }, callers.odooService);
    expect(reported).toMatchObject({ data: { reportOdooActivityDone: { odooActivityId: task.odooActivityId } } });
    const again = await service.call(REPORT_DONE, { activity: task.odooActivityId, message: messageId }, callers.odooService);
    expect(again.errors).toBeUndefined();
    const { data } = await asWorkflow(TASK, { id: task.odooActivityId });
    expect(data!.frontOfficeTask).toMatchObject({ status: 'DONE', decision: 'REGISTER' });
    // Announced once, with ids only: the decision and the feedback are read through the graph.
    const announced = (await outboxEvents(service.db, 'org.healthgraph.odoo.activity_done.v1')).filter((event) => event.data.odooActivityId === task.odooActivityId);
    expect(announced.map((event) => [event.subject, event.data])).toEqual([[`Task/${task.odooActivityId}`, { odooActivityId: task.odooActivityId, patientId: task.patientId }]]);
  });

  it('keeps no decision when the feedback names none of the choices', async () => {
    const task = await openTask();
    const messageId = await completeActivity(service.client, task.odooActivityId);
    await service.call(REPORT_DONE, { activity: task.odooActivityId, message: messageId }, callers.odooService);
    expect((await asWorkflow(TASK, { id: task.odooActivityId })).data!.frontOfficeTask).toMatchObject({ status: 'DONE', decision: null });
  });

  it('takes a task back: the activity is gone from Odoo, and a report of it is answered as cancelled', async () => {
    const task = await openTask();
    const { data } = await asWorkflow(CANCEL, { id: task.odooActivityId });
    expect(data!.cancelFrontOfficeTask).toMatchObject({ status: 'CANCELLED' });
    expect(await readActivity(service.client, task.odooActivityId)).toBeNull();
    expect((await asWorkflow(CANCEL, { id: task.odooActivityId })).data!.cancelFrontOfficeTask).toMatchObject({ status: 'CANCELLED' });
  });

  it('refuses bad input with a stable reason, and the report to anyone but Odoo\'s connector', async () => {
    const bad = await asWorkflow(OPEN, { input: { ...taskInput(newPatientId()), choices: ['yes please'] } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'choices' });
    const badLink = await asWorkflow(OPEN, { input: { ...taskInput(newPatientId()), link: 'javascript:alert(1)' } });
    expect(badLink.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'link' });
    expect(codesOf(await service.call(REPORT_DONE, { activity: 1, message: 1 }, callers.billingSpecialist))).toContain('FORBIDDEN');
    expect(codesOf(await service.call(OPEN, { input: taskInput(newPatientId()) }, callers.patient('p-1')))).toContain('FORBIDDEN');
  });

  it('opens the patient\'s account once, and withdraws it by archiving the partner', async () => {
    const patientId = newPatientId();
    const opened = (await asWorkflow(OPEN_ACCOUNT, { patientId })).data!.openFinancialAccount;
    expect((await asWorkflow(OPEN_ACCOUNT, { patientId })).data!.openFinancialAccount).toEqual(opened);
    expect((await asWorkflow(WITHDRAW_ACCOUNT, { patientId })).data!.withdrawFinancialAccount).toEqual(opened);
    const [partner] = await service.client.searchRead('res.partner', [['id', '=', opened.id], ['active', '=', false]], { fields: ['active'] });
    expect(partner).toMatchObject({ active: false });
    expect((await asWorkflow(WITHDRAW_ACCOUNT, { patientId })).data!.withdrawFinancialAccount).toBeNull();
  });

  it('reads the feedback out of the message body Odoo 17 renders', () => {
    const body = '\n    <p>\n        <span class="fa fa-heartbeat fa-fw"></span><span>Healthcare graph task</span> done\n        <span>: </span><span>Dup</span>\n    </p>\n    <div>\n            STOP &amp; call back<br>\n            line two\n    </div>\n    \n        <div class="o_mail_note_title"><strong>Original note:</strong></div>\n        <div><p>Mark it done with <b>REGISTER</b></p></div>\n';
    expect(feedbackOf(body)).toBe('STOP & call back\nline two');
    expect(decisionOf(feedbackOf(body), ['REGISTER', 'STOP'])).toBe('STOP');
  });
});
