import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { IdempotencyKeyReusedError, RequestInProgressError } from './errors';

/** How one kind of idempotent work is keyed and validated. */
export interface IdempotentCallOptions<Result> {
  /** Namespace of the keys in the shared table (`createCheckout`, `shipping.events`); never reuse one for two kinds of work. */
  scope: string;
  /** JMESPath into the payload for the key. */
  keyPath: string;
  /** JMESPath into the payload for the part that must match on a repeat; a mismatch throws IdempotencyKeyReusedError. */
  validationPath?: string;
  /** How long a completed record answers repeats. */
  expiresAfterSeconds: number;
  /** Adjusts a stored result when it is replayed. */
  onReplay?: (stored: Result) => Result;
}

/** Runs `work` at most once per key; see `idempotentCalls`. */
export type IdempotentCall<Payload, Result> = (payload: Payload, context: Context, work: () => Promise<Result>) => Promise<Result>;

/**
 * Wraps Powertools `makeIdempotent` around arbitrary work, keyed on a payload we build (never the raw event).
 * - first call: writes an IN_PROGRESS record (expiring with the Lambda's remaining time), runs `work`, stores its result;
 * - repeat after completion: returns the stored result without running `work`;
 * - repeat while running: RequestInProgressError; repeat with a different validated part: IdempotencyKeyReusedError;
 * - `work` throws: the record is deleted and the error rethrown, so a failed request leaves nothing behind.
 *
 * Why not the Powertools middy middleware: when its `before` throws (already in progress, payload mismatch), its
 * `onError` still deletes the record by key, i.e. the record of the *other* request, and its early return skips
 * the outer middlewares' `after`. Wrapping the work keeps ownership exact.
 */
export const idempotentCalls = <Payload, Result>(
  store: BasePersistenceLayer,
  options: IdempotentCallOptions<Result>,
): IdempotentCall<Payload, Result> => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: options.keyPath,
    payloadValidationJmesPath: options.validationPath,
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: options.expiresAfterSeconds,
    ...(options.onReplay && { responseHook: (stored) => options.onReplay?.(stored as Result) as typeof stored }),
  });
  const once = makeIdempotent(async (_payload: Payload, work: () => Promise<Result>) => work(), {
    persistenceStore: store,
    config,
    keyPrefix: options.scope,
    dataIndexArgument: 0,
  });
  return async (payload, context, work) => {
    config.registerLambdaContext(context);
    try {
      return await once(payload, work);
    } catch (error) {
      if (error instanceof IdempotencyValidationError) {
        throw new IdempotencyKeyReusedError('this idempotency key was already used with a different request', { cause: error });
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new RequestInProgressError('a request with this idempotency key is still in progress', { cause: error });
      }
      throw error;
    }
  };
};
