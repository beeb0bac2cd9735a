import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const projectRoot = new URL('../../', import.meta.url);

export interface CommandOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run events:<command> -- <args>` as a child process, on the event log `env` names. */
export async function eventsCommand(command: 'replay' | 'dead-letters', args: string[], env: Record<string, string>): Promise<CommandOutcome> {
  const { REDIS_URL, EVENT_LOG_KEY_PREFIX, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `scripts/events-${command}.ts`, ...args], { cwd: projectRoot, env: { ...inherited, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as CommandOutcome;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
