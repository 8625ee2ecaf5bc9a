import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  IdempotencyKeyReusedError,
  NotFoundError,
  ProviderIndeterminateError,
  ProviderRetryableError,
  ProviderTerminalError,
  RuleViolationError,
  UnauthorizedError,
  ValidationError,
} from './errors';
import type { MiddlewareObj } from './middy';
import type { errorEnvelopeSchema } from './openapi';
import { logger } from './observability';

/** The error body of API.md, the same for every route. */
export type ErrorEnvelope = z.output<typeof errorEnvelopeSchema>;

type ErrorClass<E> = abstract new (...args: never[]) => E;
interface StatusRule {
  matches: (error: unknown) => boolean;
  status: (error: never) => number;
}
const rule = <E>(type: ErrorClass<E>, status: number | ((error: E) => number)): StatusRule => ({
  matches: (error) => error instanceof type,
  status: typeof status === 'number' ? () => status : status,
});

// The one mapping from error to HTTP status. First match wins, so subclasses come before their parents
// (RequestInProgressError is a ConflictError and lands on 409 with its own code).
const STATUS_TABLE: readonly StatusRule[] = [
  rule(ValidationError, 400),
  rule(UnauthorizedError, 401),
  rule(ForbiddenError, 403),
  rule(NotFoundError, 404),
  rule(ConflictError, 409),
  rule(IdempotencyKeyReusedError, 422),
  rule(RuleViolationError, 422),
  rule(ProviderTerminalError, (error) => (error.kind === 'payment' ? 402 : 422)),
  rule(ProviderRetryableError, 503),
  rule(ProviderIndeterminateError, 202),
];

const INTERNAL_MESSAGE = 'Internal error';

/** HTTP status for any thrown value; 500 for everything the table does not know. */
export const statusOf = (error: unknown): number => {
  const match = STATUS_TABLE.find((candidate) => candidate.matches(error));
  return match ? match.status(error as never) : 500;
};

/**
 * The envelope for `error` at `status`. Messages are shown only below 500; a 5xx always says
 * "Internal error" (its code and details, e.g. `{ provider }`, stay). The error object is never serialized.
 */
export const envelopeOf = (error: unknown, status: number): ErrorEnvelope => {
  if (!(error instanceof DomainError)) {
    return { error: { code: 'INTERNAL_ERROR', message: INTERNAL_MESSAGE, details: {} } };
  }
  const message = status >= 500 ? INTERNAL_MESSAGE : error.message;
  return { error: { code: error.code, message, details: error.details } };
};

/** The id callers quote to support: API Gateway's request id, else the Lambda request id. */
export const requestIdOf = (event: Pick<APIGatewayProxyEvent, 'requestContext'> | undefined, context: Context): string =>
  event?.requestContext?.requestId ?? context.awsRequestId;

/** Adds `x-request-id` to a response. */
export const withRequestId = (response: APIGatewayProxyResult, requestId: string): APIGatewayProxyResult => ({
  ...response,
  headers: { ...response.headers, 'x-request-id': requestId },
});

/**
 * Turns a thrown error into the API response and logs it, once: `error` for 5xx (with the stack and cause),
 * `warn` for the rest (code and message only, since 4xx are the caller's business).
 */
export const toErrorResponse = (error: unknown, requestId: string): APIGatewayProxyResult => {
  const status = statusOf(error);
  const envelope = envelopeOf(error, status);
  if (status >= 500) {
    logger.error('request failed', {
      status,
      code: envelope.error.code,
      error: error instanceof Error ? error : new Error(String(error)),
    });
  } else {
    logger.warn('request rejected', {
      status,
      code: envelope.error.code,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  return withRequestId(
    { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelope) },
    requestId,
  );
};

/**
 * Middy middleware: `x-request-id` on every response, and every error turned into the envelope.
 * Its onError sets the response without returning it, so the Powertools middlewares attached before it still
 * run their own onError (flush metrics, reset logger keys).
 */
export const errorEnvelope = (): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  after: (request) => {
    if (request.response) request.response = withRequestId(request.response, requestIdOf(request.event, request.context));
  },
  onError: (request) => {
    request.response = toErrorResponse(request.error, requestIdOf(request.event, request.context));
  },
});
