import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Log lines carry ids, codes and timings only: never variables, results,
 * names, birth dates or identifiers, so a log can leave the building without leaking patient data.
 */
export function createLogger(service: string): Logger {
  return pino({
    name: service,
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'silent' : 'info'),
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
