import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { DomainError } from './errors';
import { type MiddlewareObj, middy } from './middy';
import { logger, metrics } from './observability';
import { parseOrThrow } from './validation';

/** A Lambda handler that a Step Functions task invokes with its payload. */
export type TaskHandler<Output> = (input: unknown, context: Context) => Promise<Output>;

// Logs a failed task once and lets the error go: Step Functions sees its name (`ConflictError`,
// `ProviderRetryableError`) and the state machine's Retry/Catch decide what happens next.
const logTaskError = (): MiddlewareObj<unknown, unknown> => ({
  onError: ({ error }) => {
    if (error instanceof DomainError) logger.warn('task failed', { errorName: error.name, code: error.code, reason: error.message });
    else logger.error('task failed', { error: error ?? undefined });
  },
});

/**
 * The Step Functions task factory: the input is validated with `schema` (a mismatch throws ValidationError, named
 * so in the execution), `fn` returns the typed output, and errors are thrown, never turned into values.
 * Same logger and metrics middlewares as the HTTP and queue factories. Never log the input: it can carry a task token.
 */
export const taskHandler = <S extends z.core.$ZodType, Output>(
  schema: S,
  fn: (input: z.core.output<S>, context: Context) => Promise<Output>,
): TaskHandler<Output> =>
  middy(async (input: unknown, context: Context): Promise<Output> => fn(parseOrThrow(schema, input, 'input'), context))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(logTaskError());
