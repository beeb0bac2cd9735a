import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../bench/stacks.ts';
import { workloads } from '../bench/workloads.ts';
import { benchCallers } from '../bench/healthcare/callers.ts';
import { send } from '../bench/load/graphql-request.ts';
import { drive } from '../bench/load/drive.ts';

const workDir = mkdtempSync(join(tmpdir(), 'dbg-'));
const dataDir = join(workDir, 'data');
const callers = await benchCallers(dataDir, 8);
const stack = await startStack('federation', workDir, dataDir);
const targets = await workloads[0]!.targets(stack, callers, { callersPerConnection: 4 });
const running = await targets[0]!.start();
const req = targets[0]!.requestsOf(0)[0]!;
for (let i = 0; i < 5; i++) { const t = performance.now(); const r = await send(running.url, req); console.log(r.status, (performance.now() - t).toFixed(1), JSON.stringify(r.body).length); }
console.log(await drive(running.url, { connections: 1, seconds: 2, requestsOf: targets[0]!.requestsOf }));
await running.stop(); await stack.stop();
