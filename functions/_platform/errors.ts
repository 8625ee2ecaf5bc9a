/** One field that failed validation: a dotted path (`body.items.0.sku`) and a readable reason. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** The kind of outside system a provider error came from; a rejected payment maps to 402, anything else to 422. */
export type ProviderKind = 'payment' | 'shipping' | 'messaging' | 'billing';

/**
 * Base of every error the API contract knows. `code` is stable SCREAMING_SNAKE and part of the contract;
 * `details` is what the error envelope shows next to it. The HTTP status lives in one table
 * (`error-envelope.ts`), not here, so Step Functions and queue consumers can throw the same errors.
 *
 * Every subclass spells out its `name`: Lambda reports it as the error type, which Step Functions matches in
 * Retry/Catch (`ProviderRetryableError`), and a minified bundle renames classes, so `new.target.name` would not do.
 */
export abstract class DomainError extends Error {
  abstract override readonly name: string;
  abstract readonly code: string;
  readonly details: Record<string, unknown> = {};
}

/** Input that does not satisfy a schema. `details.fields` lists every bad field. */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly code = 'VALIDATION_FAILED';
  override readonly details: { fields: FieldIssue[] };

  constructor(message: string, readonly fields: FieldIssue[] = [], options?: ErrorOptions) {
    super(message, options);
    this.details = { fields };
  }
}

/** The caller is not authenticated. */
export class UnauthorizedError extends DomainError {
  override readonly name: string = 'UnauthorizedError';
  readonly code: string = 'UNAUTHORIZED';
}

/**
 * A provider's call (a webhook, a buyer's return) that cannot be verified as genuine and ours: a bad signature, an
 * untrusted certificate, a payment we do not know. 401 UNVERIFIED (API.md); nothing is written.
 */
export class UnverifiedError extends UnauthorizedError {
  override readonly name = 'UnverifiedError';
  override readonly code = 'UNVERIFIED';
}

/** The caller is authenticated but may not do this. */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly code = 'FORBIDDEN';
}

/** The addressed resource does not exist. */
export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly code = 'NOT_FOUND';
}

/** The request conflicts with the current state (a state transition that is no longer possible). */
export class ConflictError extends DomainError {
  override readonly name: string = 'ConflictError';
  readonly code: string = 'CONFLICT';
}

/**
 * Another writer changed the item between our read and our conditional write (409 CONCURRENT_UPDATE); reading again
 * and retrying is safe (`optimisticUpdate`). Step Functions retries it by this name.
 */
export class ConcurrentUpdateError extends ConflictError {
  override readonly name = 'ConcurrentUpdateError';
  override readonly code = 'CONCURRENT_UPDATE';
}

/** A business rule forbids the request (`OUT_OF_STOCK`, `PAYMENT_LIMIT_EXCEEDED` with `{ limit, requested }`). */
export class RuleViolationError extends DomainError {
  override readonly name = 'RuleViolationError';
  override readonly details: Record<string, unknown>;

  constructor(readonly code: string, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.details = details;
  }
}

/** An `Idempotency-Key` was reused with a different request body. */
export class IdempotencyKeyReusedError extends DomainError {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}

/** The first request with this `Idempotency-Key` is still running. */
export class RequestInProgressError extends ConflictError {
  override readonly name = 'RequestInProgressError';
  override readonly code = 'REQUEST_IN_PROGRESS';
}

abstract class ProviderError extends DomainError {
  override readonly details: { provider: string };

  constructor(readonly provider: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.details = { provider };
  }
}

/** The provider failed in a way that is safe to retry (429, 5xx, connection refused before sending). */
export class ProviderRetryableError extends ProviderError {
  override readonly name = 'ProviderRetryableError';
  readonly code = 'PROVIDER_UNAVAILABLE';
}

/** The provider refused the request for good (a decline, an invalid account); retrying cannot help. */
export class ProviderTerminalError extends ProviderError {
  override readonly name = 'ProviderTerminalError';
  readonly code = 'PROVIDER_REJECTED';

  constructor(provider: string, readonly kind: ProviderKind, message: string, options?: ErrorOptions) {
    super(provider, message, options);
  }
}

/** The request may have been applied (timeout after sending): reconcile with the provider, never blind-retry. */
export class ProviderIndeterminateError extends ProviderError {
  override readonly name = 'ProviderIndeterminateError';
  readonly code = 'PROVIDER_OUTCOME_UNKNOWN';
}
