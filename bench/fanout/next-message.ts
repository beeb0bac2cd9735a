/** What the benchmark measures of one `next` message of its selection (`appointmentEvents { id type time ... }`). */
export interface NextEvent {
  id: string;
  time: string;
  withErrors: boolean;
}

// Bytes, not strings: Buffer#indexOf would encode a string needle again at every call.
const EVENT_ID = Buffer.from('"appointmentEvents":{"id":"');
const TIME = Buffer.from('"time":"');
const ERRORS = Buffer.from('"errors":');
const QUOTE = '"'.charCodeAt(0);

const stringAt = (message: Buffer, start: number) => message.toString('latin1', start, message.indexOf(QUOTE, start));

/**
 * Reads the event's id and time where they sit instead of decoding and parsing the whole message:
 * ids and times are ASCII with no quotes, the selection puts them first, and `"errors":` can only
 * be a key (quotes in values are escaped). Anything else (ack, complete, error) is undefined.
 */
export function nextEventOf(message: Buffer): NextEvent | undefined {
  const idAt = message.indexOf(EVENT_ID);
  if (idAt < 0) return undefined;
  const id = stringAt(message, idAt + EVENT_ID.length);
  const timeAt = message.indexOf(TIME, idAt + EVENT_ID.length + id.length);
  return { id, time: stringAt(message, timeAt + TIME.length), withErrors: message.includes(ERRORS) };
}
