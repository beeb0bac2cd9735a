import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../bench/stacks.ts';
import { workloads } from '../bench/workloads.ts';
import { benchCallers } from '../bench/healthcare/callers.ts';
import { graphqlRequest, send } from '../bench/load/graphql-request.ts';
import { patientCard, billingStatement } from '../bench/healthcare/queries.ts';

const workDir = mkdtempSync(join(tmpdir(), 'dbg-'));
const dataDir = join(workDir, 'data');
const callers = await benchCallers(dataDir, 6);
const stack = await startStack('healthcare', workDir, dataDir);
const targets = await workloads[1]!.targets(stack, callers, { callersPerConnection: 3 });
for (const target of [targets[1]!, targets[3]!]) {
  const running = await target.start();
  console.log('==', target.name);
  console.log(JSON.stringify((await send(running.url, graphqlRequest('anon', patientCard, { id: 'pat-0001' }))).body).slice(0, 300));
  console.log(JSON.stringify((await send(running.url, graphqlRequest('forged', patientCard, { id: 'pat-0001' }, { authorization: callers[0]!.authorization.slice(0, -4) + 'AAAA' }))).body).slice(0, 300));
  // a patient caller asking for another patient's statement
  const patientCaller = callers.find((c) => c.persona === 'patient')!;
  console.log(patientCaller.patient, JSON.stringify((await send(running.url, graphqlRequest('other', billingStatement, { id: 'pat-0001' }, { authorization: patientCaller.authorization }))).body).slice(0, 300));
  // front desk: national identifier (policy staff) and consents
  console.log(JSON.stringify((await send(running.url, graphqlRequest('ni', '{ patient(id: "pat-0001") { nationalIdentifier } }', {}, { authorization: callers[0]!.authorization }))).body).slice(0, 300));
  // billing specialist: appointment reason (policy purposes) 
  console.log(JSON.stringify((await send(running.url, graphqlRequest('reason', '{ patient(id: "pat-0001") { appointments { reason } } }', {}, { authorization: callers[1]!.authorization }))).body).slice(0, 300));
  await running.stop();
}
await stack.stop();
