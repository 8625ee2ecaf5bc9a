import {
  ConflictError,
  ForbiddenError,
  IdempotencyKeyReusedError,
  NotFoundError,
  ProviderIndeterminateError,
  ProviderRetryableError,
  ProviderTerminalError,
  RequestInProgressError,
  RuleViolationError,
  UnauthorizedError,
  UnverifiedError,
  ValidationError,
} from '../../../../functions/_platform/errors';
import { platformEnv, setEnv } from '../../../support/env';
import { captureLogs } from '../../../support/log-capture';

setEnv(platformEnv);
const { envelopeOf, statusOf, toErrorResponse } =
  require('../../../../functions/_platform/error-envelope') as typeof import('../../../../functions/_platform/error-envelope');

describe('the error → status table', () => {
  it.each([
    ['ValidationError', new ValidationError('bad', [{ path: 'body.sku', message: 'required' }]), 400, 'VALIDATION_FAILED'],
    ['UnauthorizedError', new UnauthorizedError('who are you'), 401, 'UNAUTHORIZED'],
    ['UnverifiedError', new UnverifiedError('bad signature'), 401, 'UNVERIFIED'],
    ['ForbiddenError', new ForbiddenError('not yours'), 403, 'FORBIDDEN'],
    ['NotFoundError', new NotFoundError('no order'), 404, 'NOT_FOUND'],
    ['ConflictError', new ConflictError('already paid'), 409, 'CONFLICT'],
    ['RequestInProgressError', new RequestInProgressError('still running'), 409, 'REQUEST_IN_PROGRESS'],
    ['IdempotencyKeyReusedError', new IdempotencyKeyReusedError('other body'), 422, 'IDEMPOTENCY_KEY_REUSED'],
    ['RuleViolationError', new RuleViolationError('OUT_OF_STOCK', 'sold out'), 422, 'OUT_OF_STOCK'],
    ['ProviderTerminalError (payment)', new ProviderTerminalError('bkash', 'payment', 'declined'), 402, 'PROVIDER_REJECTED'],
    ['ProviderTerminalError (shipping)', new ProviderTerminalError('pathao', 'shipping', 'bad address'), 422, 'PROVIDER_REJECTED'],
    ['ProviderRetryableError', new ProviderRetryableError('nagad', 'nagad 503'), 503, 'PROVIDER_UNAVAILABLE'],
    ['ProviderIndeterminateError', new ProviderIndeterminateError('vnpay', 'timed out after sending'), 202, 'PROVIDER_OUTCOME_UNKNOWN'],
    ['a plain Error', new Error('boom'), 500, 'INTERNAL_ERROR'],
    ['a thrown string', 'boom', 500, 'INTERNAL_ERROR'],
  ])('maps %s to %i %s', (_name, error, status, code) => {
    expect(statusOf(error)).toBe(status);
    expect(envelopeOf(error, status).error.code).toBe(code);
  });
});

describe('the envelope', () => {
  it('shows the message and details of a 4xx', () => {
    const error = new RuleViolationError('PAYMENT_LIMIT_EXCEEDED', 'cash over your limit', { limit: 500000, requested: 750000 });
    expect(envelopeOf(error, 422)).toEqual({
      error: { code: 'PAYMENT_LIMIT_EXCEEDED', message: 'cash over your limit', details: { limit: 500000, requested: 750000 } },
    });
  });

  it('lists the fields of a validation error', () => {
    const error = new ValidationError('bad', [{ path: 'body.items.0.sku', message: 'required' }]);
    expect(envelopeOf(error, 400).error.details).toEqual({ fields: [{ path: 'body.items.0.sku', message: 'required' }] });
  });

  it('says "Internal error" for every 5xx, naming the provider but not repeating its message', () => {
    const error = new ProviderRetryableError('nagad', 'nagad answered 503 with body <html>secret</html>');
    expect(envelopeOf(error, 503)).toEqual({
      error: { code: 'PROVIDER_UNAVAILABLE', message: 'Internal error', details: { provider: 'nagad' } },
    });
  });

  it('never serializes an unknown error', () => {
    const error = Object.assign(new Error('SELECT * FROM users'), { stack: 'at secret.ts:1' });
    expect(JSON.stringify(envelopeOf(error, 500))).not.toMatch(/SELECT|secret/);
  });
});

describe('toErrorResponse', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.stop());

  it('builds the JSON response with x-request-id and logs a 4xx once at warn', () => {
    const response = toErrorResponse(new NotFoundError('no order ord_1'), 'req-1');

    expect(response).toEqual({
      statusCode: 404,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-1' },
      body: JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no order ord_1', details: {} } }),
    });
    expect(logs.logs()).toEqual([expect.objectContaining({ level: 'WARN', message: 'request rejected', status: 404 })]);
  });

  it('logs a 5xx once at error, with the original error', () => {
    toErrorResponse(new Error('disk full'), 'req-2');

    const lines = logs.logs();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'ERROR', message: 'request failed', status: 500 });
    expect(JSON.stringify(lines[0])).toContain('disk full');
  });
});
