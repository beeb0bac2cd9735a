import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../bench/stacks.ts';
import { workloads } from '../bench/workloads.ts';
import { benchCallers } from '../bench/healthcare/callers.ts';
import { graphqlRequest, send } from '../bench/load/graphql-request.ts';
import { patientCard } from '../bench/healthcare/queries.ts';

const workDir = mkdtempSync(join(tmpdir(), 'dbg-'));
const dataDir = join(workDir, 'data');
const callers = await benchCallers(dataDir, 6);
const stack = await startStack('healthcare', workDir, dataDir);
const targets = await workloads[1]!.targets(stack, callers, { callersPerConnection: 3 });
const patientCaller = callers.find((c) => c.persona === 'patient')!;
for (const target of [targets[1]!, targets[3]!]) {
  const running = await target.start();
  console.log('==', target.name, 'as', patientCaller.patient);
  console.log(JSON.stringify((await send(running.url, graphqlRequest('anon', patientCard, { id: 'pat-0001' }))).body).slice(0, 300));
  console.log(JSON.stringify((await send(running.url, graphqlRequest('other', patientCard, { id: 'pat-0001' }, { authorization: patientCaller.authorization }))).body).slice(0, 400));
  console.log(JSON.stringify((await send(running.url, graphqlRequest('other', '{ patient(id: "pat-0001") { appointments { id start } } }', {}, { authorization: patientCaller.authorization }))).body).slice(0, 400));
  await running.stop();
}
await stack.stop();
