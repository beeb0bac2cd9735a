import { DBOS } from '@dbos-inc/dbos-sdk';
import type { Logger } from '../platform/logger.ts';
import { GraphCallError } from './graph-client.ts';

/** What a checkpointed step answered: its value, or its failure's stable code; and when. */
export type StepOutcome<T> = { value: T; at: string } | { failure: string; at: string };

/** Attempts of a step whose call failed transiently (backoff 1, 2, 4, 8 s between them). */
const STEP_ATTEMPTS = 5;

/**
 * How long a step waits out the workflows' own cost budget (RATE_LIMITED) before it fails. The
 * budget refills (policies/client-tiers.ts), so a busy moment is waited out rather than failing an
 * onboarding for good: each wait is the gateway's Retry-After, up to twice as long so that the
 * steps of many onboardings refused together do not come back together.
 */
const RATE_LIMIT_PATIENCE_MS = 120_000;

/** A failure's stable code: a workflow's own reason, the graph's operation and reason, or STEP_FAILED. */
export const reasonOf = (error: unknown) =>
  error instanceof WorkflowFailure ? error.reason : error instanceof GraphCallError ? `${error.operation}:${error.reason ?? error.code}` : 'STEP_FAILED';

/** A failure for good, with the stable code the workflow ends with. */
export class WorkflowFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * One checkpointed step of a workflow calling the graph. Transient failures (Odoo or the gateway
 * down) are retried inside it with backoff; the step never throws, it answers its failure, so a
 * replay after a crash takes the same path as the first run did.
 */
export function graphStep<T>(name: string, work: () => Promise<T>, logger: Logger): Promise<StepOutcome<T>> {
  const workflowId = DBOS.workflowID;
  return DBOS.runStep(
    async (): Promise<StepOutcome<T>> => {
      logger.debug({ workflowId, step: name }, 'step run');
      let rateLimitedMs = 0;
      for (let attempt = 1; ; attempt++) {
        try {
          return { value: await work(), at: new Date().toISOString() };
        } catch (error) {
          if (error instanceof GraphCallError && error.code === 'RATE_LIMITED' && rateLimitedMs < RATE_LIMIT_PATIENCE_MS) {
            const waitMs = (error.retryAfterMs ?? 1000) * (1 + Math.random());
            rateLimitedMs += waitMs;
            attempt--;
            await new Promise((resolve) => setTimeout(resolve, waitMs));
            continue;
          }
          if (attempt < STEP_ATTEMPTS && error instanceof GraphCallError && error.transient) {
            await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
            continue;
          }
          logger.warn({ workflowId, step: name, reason: reasonOf(error) }, 'step failed');
          return { failure: reasonOf(error), at: new Date().toISOString() };
        }
      }
    },
    { name },
  );
}
