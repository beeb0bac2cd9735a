import { startSystem, type RunningSystem, type SystemOptions } from '../../launcher.ts';
import { setting } from '../../platform/config.ts';
import { dropSystemSchemas, postgresUrl, uniqueName } from './databases.ts';

/**
 * The whole-system suites run in `npm test` on the embedded defaults, and again in
 * `npm run test:system-postgres-redis` on PostgreSQL and Redis, as production runs them (the
 * setup file points REDIS_URL at the tests' Redis, under a key prefix of the file's own).
 */
export const onPostgresAndRedis = setting('TEST_SYSTEM_BACKENDS') === 'postgres-redis';

/**
 * startSystem on this run's backends: on PostgreSQL, in schemas of its own (dropped when it closes),
 * unless the suite names a database itself.
 */
export async function startTestSystem(options: SystemOptions): Promise<RunningSystem> {
  if (!onPostgresAndRedis || options.databaseUrl) return startSystem(options);
  const system = await startSystem({ ...options, databaseUrl: postgresUrl, schemaPrefix: `${uniqueName('system')}_` });
  return {
    ...system,
    async close() {
      await system.close();
      await dropSystemSchemas(postgresUrl, system);
    },
  };
}
