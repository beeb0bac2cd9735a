// `npm run events:dead-letters -- --group billing-encounters`: what a consumer group gave up on, one
// JSON line each: which event, how often it was tried and why it failed. Never the event's data.
import { onGroup } from './events-group.ts';

await onGroup('events:dead-letters', async (log, group) => {
  const letters = await log.deadLetters(group);
  for (const { logId, event, attempts, error, failedAt } of letters) {
    console.log(JSON.stringify({ logId, eventId: event.id, type: event.type, subject: event.subject, attempts, error, failedAt }));
  }
  console.error(`${letters.length} dead letters in ${group}`);
});
