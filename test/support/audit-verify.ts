import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const projectRoot = new URL('../../', import.meta.url);

/** `npm run audit:verify`, as a child process with the given settings (and none of the test's own). */
export async function auditVerify(env: Record<string, string>): Promise<{ code: number; output: string }> {
  const { DATABASE_URL, PGLITE_DATA_DIR, AUDIT_SCHEMA, DATA_DIR, ...inherited } = process.env;
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], { cwd: projectRoot, env: { ...inherited, ...env } });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}
