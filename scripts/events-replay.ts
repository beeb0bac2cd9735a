// `npm run events:replay -- --group billing-encounters`: hands a consumer group's dead letters to it
// again, once what made them fail is fixed. Handlers deduplicate, so replaying twice is harmless.
import { onGroup } from './events-group.ts';

await onGroup('events:replay', async (log, group) => {
  console.log(`${await log.replayDeadLetters(group)} dead letters of ${group} replayed`);
});
