import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export interface WindowProfile {
  start(): Promise<void>;
  /** Writes the window's profile into the folder; resolves once it is written. */
  stop(): Promise<void>;
}

/**
 * A V8 CPU profile of the measured window only, taken through the inspector: `--cpu-prof` covers
 * the whole process, whose start, thousands of subscriptions joining and the warm-up would be most
 * of the profile and hide what one delivery costs.
 */
export function windowProfile(folder: string): WindowProfile {
  const session = new Session();
  session.connect();
  return {
    async start() {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    },
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(join(folder, `gateway-window.${process.pid}.cpuprofile`), JSON.stringify(profile));
    },
  };
}
