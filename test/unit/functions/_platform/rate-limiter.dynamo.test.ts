import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ProviderRetryableError } from '../../../../functions/_platform/errors';
import { bucketTiming, RateLimitedError } from '../../../../functions/_platform/rate-limiter';
import { dynamoRateLimiter } from '../../../../functions/_platform/rate-limiter.dynamo';
import { platformEnv, setEnv } from '../../../support/env';
import { inMemoryAuditLog } from '../../../support/in-memory/audit-log';
import { inMemoryCircuitBreakerStore } from '../../../support/in-memory/circuit-breaker-store';
import { answer, manualClock, sharedStateFixture } from './fake-provider';

// Token buckets shared by two limiter instances (two Lambda instances) in the local runtime's DynamoDB.
setEnv(platformEnv);
const { createHttpClient } =
  require('../../../../functions/_platform/resilient-http-client') as typeof import('../../../../functions/_platform/resilient-http-client');

const TABLE = 'integration-state';
const state = sharedStateFixture(TABLE);

const outcomesOf = (attempts: Array<Promise<void>>) =>
  Promise.all(attempts.map((attempt) => attempt.then(() => 'sent', (error: unknown) => (error instanceof RateLimitedError ? 'limited' : String(error)))));

describe('rate limit per provider in DynamoDB', () => {
  it('lets a burst through, then holds back what exceeds it, across instances sharing the bucket', async () => {
    // A frozen clock: no token comes back during the test.
    const clock = manualClock();
    const limits = { bkash: { perSecond: 1, burst: 3 } };
    const first = dynamoRateLimiter(TABLE, limits, { client: state.client, clock, maxWaitMs: 0 });
    const second = dynamoRateLimiter(TABLE, limits, { client: state.client, clock, maxWaitMs: 0 });

    const outcomes = await outcomesOf([first, second, first, second, first, second].map((limiter) => limiter.acquire('bkash')));

    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === 'limited')).toHaveLength(3);
  });

  it('refills at the configured rate', async () => {
    const clock = manualClock();
    const limiter = dynamoRateLimiter(TABLE, { nagad: { perSecond: 2, burst: 1 } }, { client: state.client, clock, maxWaitMs: 0 });

    await limiter.acquire('nagad');
    await expect(limiter.acquire('nagad')).rejects.toBeInstanceOf(RateLimitedError);
    clock.advance(500);
    await expect(limiter.acquire('nagad')).resolves.toBeUndefined();
  });

  it('waits for a token when it comes within maxWaitMs', async () => {
    const limiter = dynamoRateLimiter(TABLE, { pathao: { perSecond: 50, burst: 1 } }, { client: state.client, maxWaitMs: 500 });

    await expect(outcomesOf([limiter.acquire('pathao'), limiter.acquire('pathao'), limiter.acquire('pathao')])).resolves.toEqual(['sent', 'sent', 'sent']);
  });

  it('does not limit, or touch the table for, a provider without a limit', async () => {
    const limiter = dynamoRateLimiter(TABLE, {}, { client: state.client, maxWaitMs: 0 });

    for (let call = 0; call < 20; call += 1) await limiter.acquire('steadfast');

    const { Item } = await state.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'RATE#steadfast' }, sk: { S: 'BUCKET' } } }));
    expect(Item).toBeUndefined();
  });

  it('makes the state.client throw a retryable error without sending once the bucket is empty', async () => {
    state.provider.behave(answer(200, '{}'));
    const clock = manualClock();
    const audit = inMemoryAuditLog();
    const http = createHttpClient({
      breakers: inMemoryCircuitBreakerStore(),
      audit,
      clock,
      rateLimiter: dynamoRateLimiter(TABLE, { sslcommerz: { perSecond: 1, burst: 2 } }, { client: state.client, clock, maxWaitMs: 0 }),
    });
    const query = { provider: 'sslcommerz', operation: 'query', method: 'GET', url: `${state.provider.url}/query` } as const;

    await http.send(query);
    await http.send(query);
    const failure = await http.send(query).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProviderRetryableError);
    expect(failure).toMatchObject({ details: { provider: 'sslcommerz', rateLimited: true } });
    expect(state.provider.received).toHaveLength(2);
    expect(audit.records.map((record) => record.errorKind)).toEqual([undefined, undefined, 'rate_limited']);
  });

  it('spaces tokens by 1/perSecond and allows burst - 1 intervals of debt', () => {
    expect(bucketTiming({ perSecond: 4, burst: 3 })).toEqual({ intervalMs: 250, toleranceMs: 500 });
  });
});
