import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const addon = fileURLToPath(new URL('../../odoo-addon/healthgraph_notify/', import.meta.url));

it('the healthgraph_notify addon compiles with python3, every file', async () => {
  const files = (await readdir(addon, { recursive: true })).filter((file) => file.endsWith('.py'));
  expect(files.sort()).toEqual(['__init__.py', '__manifest__.py', 'models/__init__.py', 'models/account_move.py', 'models/account_payment.py', 'models/healthgraph_gateway.py', 'models/mail_activity.py']);
  // Bytecode goes to a folder of its own, not into the addon.
  const cache = await mkdtemp(join(tmpdir(), 'healthgraph-notify-'));
  try {
    await run('python3', ['-m', 'py_compile', ...files.map((file) => join(addon, file))], { env: { ...process.env, PYTHONPYCACHEPREFIX: cache } });
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
});
