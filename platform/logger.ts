import { pino, type DestinationStream, type Logger } from 'pino';
import { setting } from './config.ts';

export type { Logger };

/** Standard output, unless a command whose output is data moved the logs out of its way. */
let destination: DestinationStream | undefined;

/** For commands that print data (a table) on standard output: their services log to standard error. */
export function logToStandardError(): void {
  destination = pino.destination(2);
}

/**
 * Structured JSON logs at LOG_LEVEL. Log lines carry ids, codes and timings only: never variables,
 * results, names, birth dates or identifiers, so a log can leave the building without leaking patient data.
 */
export function createLogger(service: string): Logger {
  const options = { name: service, level: setting('LOG_LEVEL'), base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}
