import type { HttpRequest } from '../../../../functions/_platform/http-client';
import { ProviderIndeterminateError, ProviderRetryableError } from '../../../../functions/_platform/errors';
import { RateLimitedError } from '../../../../functions/_platform/rate-limiter';
import { platformEnv, setEnv } from '../../../support/env';
import { inMemoryAuditLog } from '../../../support/in-memory/audit-log';
import { inMemoryCircuitBreakerStore } from '../../../support/in-memory/circuit-breaker-store';
import { captureLogs } from '../../../support/log-capture';
import {
  answer, dropConnection, type FakeProvider, hang, inTurn, manualClock, refusingUrl, startFakeProvider,
} from './fake-provider';

// The client's module loads the Powertools logger, whose config is read at load (a cold start).
setEnv(platformEnv);
const { createHttpClient, retryAfterMs } =
  require('../../../../functions/_platform/resilient-http-client') as typeof import('../../../../functions/_platform/resilient-http-client');
type ClientOptions = import('../../../../functions/_platform/resilient-http-client').ResilientHttpClientOptions;

let provider: FakeProvider;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(() => provider.close());
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.stop());

const clientWith = (overrides: Partial<ClientOptions> = {}) => {
  const audit = inMemoryAuditLog();
  const breakers = inMemoryCircuitBreakerStore();
  const client = createHttpClient({ breakers, audit, baseDelayMs: 1, ...overrides });
  return { client, audit, breakers };
};

const aGet = (overrides: Partial<HttpRequest> = {}): HttpRequest => ({
  provider: 'acmepay', operation: 'query', method: 'GET', url: `${provider.url}/v1/payments/pay_1`, timeoutMs: 1_000, ...overrides,
});
const aPost = (overrides: Partial<HttpRequest> = {}): HttpRequest => ({
  provider: 'acmepay', operation: 'execute', method: 'POST', url: `${provider.url}/v1/payments`, body: { amount: 100 }, timeoutMs: 1_000, ...overrides,
});

describe('what the client returns and throws', () => {
  it('returns a 4xx business answer untouched after one attempt', async () => {
    provider.behave(answer(402, '{"code":"DECLINED"}', { 'x-request-id': 'r-1' }));
    const { client, audit } = clientWith();

    const response = await client.send(aPost());

    expect(response).toEqual({ status: 402, headers: expect.objectContaining({ 'x-request-id': 'r-1' }), body: '{"code":"DECLINED"}' });
    expect(provider.received).toHaveLength(1);
    expect(audit.records[0]).toMatchObject({ outcome: 'answered', status: 402, attempts: 1 });
    expect(audit.records[0].errorKind).toBeUndefined();
  });

  it('sends an object body as JSON and a string body as it is', async () => {
    provider.behave(answer(200, '{}'));
    const { client } = clientWith();

    await client.send(aPost({ body: { amount: 100 } }));
    await client.send(aPost({ body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));

    expect(provider.received.map((request) => [request.headers['content-type'], request.body])).toEqual([
      ['application/json', '{"amount":100}'],
      ['application/x-www-form-urlencoded', 'a=1&b=2'],
    ]);
  });

  it('retries a safe call 3 times on 5xx, then throws ProviderRetryableError naming the provider', async () => {
    provider.behave(answer(503, 'down'));
    const { client, audit } = clientWith();

    const failure = await client.send(aGet()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProviderRetryableError);
    expect(failure).toMatchObject({ name: 'ProviderRetryableError', code: 'PROVIDER_UNAVAILABLE', details: { provider: 'acmepay' } });
    expect(provider.received).toHaveLength(4);
    expect(audit.records[0]).toMatchObject({ outcome: 'retryable', status: 503, errorKind: 'http_status', attempts: 4 });
  });

  it('retries no more than maxRetries (0 for Step Functions tasks)', async () => {
    provider.behave(answer(500));
    const { client } = clientWith({ maxRetries: 0 });

    await expect(client.send(aGet())).rejects.toBeInstanceOf(ProviderRetryableError);
    expect(provider.received).toHaveLength(1);
  });

  it('returns the answer of a retry that succeeds', async () => {
    provider.behave(inTurn(answer(502), answer(429), answer(200, '{"status":"ok"}')));
    const { client, audit } = clientWith();

    const response = await client.send(aGet());

    expect(response.body).toBe('{"status":"ok"}');
    expect(provider.received).toHaveLength(3);
    expect(audit.records[0]).toMatchObject({ outcome: 'answered', status: 200, attempts: 3 });
  });

  it('never repeats a `never` call: a 5xx means the outcome is unknown', async () => {
    provider.behave(answer(503));
    const { client, audit } = clientWith();

    const failure = await client.send(aPost()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProviderIndeterminateError);
    expect(failure).toMatchObject({ code: 'PROVIDER_OUTCOME_UNKNOWN', details: { provider: 'acmepay' } });
    expect(provider.received).toHaveLength(1);
    expect(audit.records[0]).toMatchObject({ outcome: 'indeterminate', status: 503, attempts: 1 });
  });

  it('treats a 429 to a `never` call as not applied (retryable), without repeating it', async () => {
    provider.behave(answer(429));
    const { client } = clientWith();

    await expect(client.send(aPost())).rejects.toBeInstanceOf(ProviderRetryableError);
    expect(provider.received).toHaveLength(1);
  });

  it('aborts a call at its timeout: unknown outcome for `never`, retryable after the retries for `safe`', async () => {
    provider.behave(hang);
    const { client, audit } = clientWith();

    const never = await client.send(aPost({ timeoutMs: 50 })).catch((error: unknown) => error);
    expect(never).toBeInstanceOf(ProviderIndeterminateError);
    expect(provider.received).toHaveLength(1);

    provider.behave(hang);
    const safe = await client.send(aGet({ timeoutMs: 50 })).catch((error: unknown) => error);
    expect(safe).toBeInstanceOf(ProviderRetryableError);
    expect(provider.received).toHaveLength(4);
    expect(audit.records.map((record) => [record.outcome, record.errorKind, record.attempts])).toEqual([
      ['indeterminate', 'timeout', 1],
      ['retryable', 'timeout', 4],
    ]);
  });

  it('treats a connection dropped after sending as unknown outcome for a `never` call', async () => {
    provider.behave(dropConnection);
    const { client, audit } = clientWith();

    await expect(client.send(aPost())).rejects.toBeInstanceOf(ProviderIndeterminateError);
    expect(provider.received).toHaveLength(1);
    expect(audit.records[0]).toMatchObject({ errorKind: 'network', attempts: 1 });
  });

  it('retries even a `never` call when the connection was refused (nothing was sent), then throws retryable', async () => {
    const { client, audit } = clientWith();

    const failure = await client.send(aPost({ url: `${await refusingUrl()}/v1/payments` })).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProviderRetryableError);
    expect(audit.records[0]).toMatchObject({ outcome: 'retryable', errorKind: 'connection_refused', attempts: 4 });
  });

  it('throws a TypeError for a malformed URL, a bug in the adapter, without auditing it as a provider call', async () => {
    const { client, audit } = clientWith();

    await expect(client.send(aGet({ url: 'not a url' }))).rejects.toBeInstanceOf(TypeError);
    expect(audit.records).toEqual([]);
  });

  it('counts every failed call in the ProviderCallFailed metric with a provider dimension', async () => {
    provider.behave(answer(500));
    const { client } = clientWith({ maxRetries: 0 });

    await client.send(aGet()).catch(() => undefined);

    const metric = logs.metrics().find((line) => 'ProviderCallFailed' in line);
    expect(metric).toMatchObject({ provider: 'acmepay', ProviderCallFailed: 1 });
  });
});

describe('Retry-After', () => {
  it('waits at least the seconds a 429 asks for before retrying', async () => {
    provider.behave(inTurn(answer(429, '', { 'retry-after': '1' }), answer(200)));
    const { client } = clientWith();

    await client.send(aGet());

    expect(provider.received).toHaveLength(2);
    // Timers never fire early by more than a rounding millisecond.
    expect(provider.received[1].receivedAt - provider.received[0].receivedAt).toBeGreaterThanOrEqual(990);
  });

  it('gives up at once when the provider asks for longer than maxRetryAfterMs', async () => {
    provider.behave(answer(503, '', { 'retry-after': '120' }));
    const { client } = clientWith({ maxRetryAfterMs: 5_000 });

    await expect(client.send(aGet())).rejects.toBeInstanceOf(ProviderRetryableError);
    expect(provider.received).toHaveLength(1);
  });

  it('reads seconds and HTTP-dates, and ignores what it cannot read', () => {
    const now = new Date('2025-01-15T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Wed, 15 Jan 2025 10:00:02 GMT', now)).toBe(2_000);
    expect(retryAfterMs('Wed, 15 Jan 2025 09:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('circuit breaker', () => {
  it('opens after 5 consecutive failed calls, then fails fast without a request reaching the provider', async () => {
    provider.behave(answer(503));
    const changes: unknown[] = [];
    const { client, audit } = clientWith({ onBreakerChange: (change) => void changes.push(change) });

    for (let call = 0; call < 5; call += 1) await client.send(aPost()).catch(() => undefined);
    const failure = await client.send(aPost()).catch((error: unknown) => error);

    expect(provider.received).toHaveLength(5);
    expect(failure).toBeInstanceOf(ProviderRetryableError);
    expect(failure).toMatchObject({ message: expect.stringContaining('circuit breaker is open'), details: { provider: 'acmepay', breaker: 'open' } });
    expect(changes).toEqual([{ provider: 'acmepay', state: 'open' }]);
    expect(audit.records[5]).toMatchObject({ outcome: 'retryable', errorKind: 'breaker_open', attempts: 0 });
  });

  it('does not count 4xx answers, and a success resets the count', async () => {
    const { client, breakers } = clientWith();
    const failures = async (count: number) => {
      provider.behave(answer(500));
      for (let call = 0; call < count; call += 1) await client.send(aPost()).catch(() => undefined);
    };

    await failures(4);
    provider.behave(answer(404));
    await client.send(aPost());
    await failures(4);

    expect(await breakers.get('acmepay')).toMatchObject({ state: 'closed', consecutiveFailures: 4 });
    provider.behave(answer(200));
    await client.send(aPost());
    expect(await breakers.get('acmepay')).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('after the cool-down lets exactly one caller probe; a failed probe re-opens it, a successful one closes it', async () => {
    const clock = manualClock();
    const changes: unknown[] = [];
    const { client } = clientWith({ clock, breaker: { coolDownMs: 30_000 }, onBreakerChange: (change) => void changes.push(change) });
    provider.behave(answer(503));
    for (let call = 0; call < 5; call += 1) await client.send(aPost()).catch(() => undefined);

    clock.advance(29_999);
    await expect(client.send(aPost())).rejects.toMatchObject({ details: { breaker: 'open' } });
    clock.advance(1);
    provider.behave(answer(503));
    const failedProbe = await Promise.allSettled([1, 2, 3, 4, 5].map(() => client.send(aGet())));
    expect(provider.received).toHaveLength(1);
    expect(failedProbe.filter((result) => result.status === 'rejected' && result.reason.details.breaker === 'open')).toHaveLength(4);
    await expect(client.send(aPost())).rejects.toMatchObject({ details: { breaker: 'open' } });

    clock.advance(30_000);
    provider.behave(answer(200, '{}'));
    const probes = await Promise.allSettled([1, 2, 3, 4, 5].map(() => client.send(aGet())));
    expect(provider.received).toHaveLength(1);
    expect(probes.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    await client.send(aPost());
    expect(provider.received).toHaveLength(2);
    expect(changes).toEqual([
      { provider: 'acmepay', state: 'open' },
      { provider: 'acmepay', state: 'closed' },
    ]);
  });

  it('keeps the happy path at one store read: a closed breaker without failures is never written', async () => {
    provider.behave(answer(200, '{}'));
    const store = inMemoryCircuitBreakerStore();
    const writes = (['recordFailure', 'resetFailures', 'trip', 'claimProbe', 'close', 'reopen'] as const).map((name) => jest.spyOn(store, name));
    const reads = jest.spyOn(store, 'get');
    const { client } = clientWith({ breakers: store });

    for (let call = 0; call < 5; call += 1) await client.send(aGet());

    expect(reads).toHaveBeenCalledTimes(5);
    for (const write of writes) expect(write).not.toHaveBeenCalled();
  });

  it('calls the provider anyway when the breaker store fails, and says so in the log', async () => {
    provider.behave(answer(200, '{}'));
    const broken = { ...inMemoryCircuitBreakerStore(), get: () => Promise.reject(new Error('throttled')) };
    const { client } = clientWith({ breakers: broken });

    await expect(client.send(aGet())).resolves.toMatchObject({ status: 200 });
    expect(logs.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'circuit breaker unreadable, calling anyway' }));
  });
});

describe('rate limit', () => {
  it('sends nothing when the limiter holds the call back, and does not count it against the breaker', async () => {
    provider.behave(answer(200));
    const { client, audit, breakers } = clientWith({ rateLimiter: { acquire: (name) => Promise.reject(new RateLimitedError(name)) } });

    const failure = await client.send(aGet()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProviderRetryableError);
    expect(failure).toMatchObject({ details: { provider: 'acmepay', rateLimited: true } });
    expect(provider.received).toHaveLength(0);
    expect(audit.records[0]).toMatchObject({ errorKind: 'rate_limited', attempts: 0 });
    expect(await breakers.get('acmepay')).toBeUndefined();
  });
});

describe('audit record', () => {
  const SECRETS = ['sk_live_123456', 'hunter2-password', 'app-secret-987', 'tok_abcdef', 'sig_0a1b2c', '4111 1111 1111 1111', '4111111111111111', '01712345678', '+8801712345678', 'rahim@example.com', '492817', '7788'];

  it('keeps every call, masked: no secret, card number, PIN/OTP, phone or e-mail in clear', async () => {
    provider.behave(answer(200, JSON.stringify({ id_token: 'tok_abcdef', customerMsisdn: '01712345678', paymentID: 'TR0011' })));
    const { client, audit } = clientWith();

    await client.send(
      aPost({
        url: `${provider.url}/v1/payments?api_key=sk_live_123456&msisdn=%2B8801712345678&lang=en`,
        headers: { authorization: 'Bearer sk_live_123456', 'x-app-secret': 'app-secret-987' },
        body: {
          app_secret: 'app-secret-987', password: 'hunter2-password', amount: 100,
          card: { number: '4111 1111 1111 1111', cvv: '123' }, cardNumber: '4111111111111111',
          payer: { phone: '+8801712345678', email: 'rahim@example.com', note: 'call 01712345678' },
          otp: '492817', pin: '7788', sensitiveData: 'sig_0a1b2c',
        },
        context: { orderId: 'ord_1', paymentId: 'pay_1' },
      }),
    );

    const [record] = audit.records;
    expect(record).toMatchObject({
      provider: 'acmepay', operation: 'execute', method: 'POST', status: 200, attempts: 1, outcome: 'answered',
      orderId: 'ord_1', paymentId: 'pay_1', latencyMs: expect.any(Number), at: expect.any(String), id: expect.any(String),
    });
    expect(record.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/payments\?api_key=\[redacted\]&msisdn=\+88017•+678&lang=en$/);
    expect(JSON.parse(record.requestBody ?? '')).toMatchObject({ amount: 100, card: { number: '••••••••••••1111' }, cardNumber: '••••••••••••1111' });
    expect(JSON.parse(record.responseBody ?? '')).toMatchObject({ id_token: '[redacted]', paymentID: 'TR0011' });
    const stored = JSON.stringify(record);
    for (const secret of SECRETS) expect(stored).not.toContain(secret);
  });

  it('keeps at most a few KB of each body', async () => {
    provider.behave(answer(200, JSON.stringify({ items: Array.from({ length: 2_000 }, (_, i) => ({ sku: `SKU-${i}` })) })));
    const { client, audit } = clientWith();

    await client.send(aGet());

    expect(audit.records[0].responseBody?.length).toBeLessThan(4_200);
    expect(audit.records[0].responseBody).toMatch(/more chars]$/);
  });

  it('never fails the call when the audit log cannot be written', async () => {
    provider.behave(answer(200, '{}'));
    const { client } = clientWith({ audit: { append: () => Promise.reject(new Error('table gone')) } });

    await expect(client.send(aGet())).resolves.toMatchObject({ status: 200 });
    expect(logs.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'audit record not written', provider: 'acmepay' }));
  });
});
