import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { breakerStatuses } from '../../../../functions/_platform/circuit-breaker';
import { dynamoCircuitBreakerStore } from '../../../../functions/_platform/circuit-breaker-store.dynamo';
import type { HttpRequest } from '../../../../functions/_platform/http-client';
import { platformEnv, setEnv } from '../../../support/env';
import { inMemoryAuditLog } from '../../../support/in-memory/audit-log';
import { answer, manualClock, sharedStateFixture } from './fake-provider';

// Two client instances (two Lambda instances) sharing the breaker table of the local runtime's DynamoDB, reached with
// the real SDK: the conditional writes are judged by a DynamoDB implementation.
setEnv(platformEnv);
const { createHttpClient } =
  require('../../../../functions/_platform/resilient-http-client') as typeof import('../../../../functions/_platform/resilient-http-client');

const TABLE = 'integration-state';
const state = sharedStateFixture(TABLE);

/** Two instances of the state.client over the same table and clock, reporting breaker changes to one list. */
const twoInstances = () => {
  const clock = manualClock();
  const changes: Array<{ provider: string; state: string }> = [];
  const make = () =>
    createHttpClient({
      breakers: dynamoCircuitBreakerStore(TABLE, state.client),
      audit: inMemoryAuditLog(),
      baseDelayMs: 1,
      clock,
      onBreakerChange: (change) => void changes.push(change),
    });
  return { clock, changes, first: make(), second: make() };
};

const aPost = (providerId: string): HttpRequest => ({
  provider: providerId, operation: 'execute', method: 'POST', url: `${state.provider.url}/execute`, body: { amount: 1 }, timeoutMs: 2_000,
});

describe('the circuit breaker in DynamoDB, shared by instances', () => {
  it('opens for every instance after 5 consecutive failures; the other instance fails fast without calling', async () => {
    const { first, second, changes } = twoInstances();
    state.provider.behave(answer(503));

    for (let call = 0; call < 5; call += 1) await first.send(aPost('bkash')).catch(() => undefined);
    const failure = await second.send(aPost('bkash')).catch((error: unknown) => error);

    expect(state.provider.received).toHaveLength(5);
    expect(failure).toMatchObject({ name: 'ProviderRetryableError', details: { provider: 'bkash', breaker: 'open' } });
    expect(changes).toEqual([{ provider: 'bkash', state: 'open' }]);
    const { Item } = await state.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'BREAKER#bkash' }, sk: { S: 'STATE' } } }));
    expect(Item).toMatchObject({ state: { S: 'open' }, consecutiveFailures: { N: '5' } });
  });

  it('half-open: exactly one of many concurrent callers on two instances probes; its success closes the breaker', async () => {
    const { first, second, clock, changes } = twoInstances();
    state.provider.behave(answer(500));
    for (let call = 0; call < 5; call += 1) await first.send(aPost('nagad')).catch(() => undefined);
    clock.advance(30_000);

    let releaseProbe: () => void = () => undefined;
    state.provider.behave((_request, response: ServerResponse) => {
      releaseProbe = () => void response.writeHead(200).end('{}');
    });
    let settled = 0;
    const outcomes = [first, second, first, second, first, second].map((instance) =>
      instance.send(aPost('nagad')).then(
        () => {
          settled += 1;
          return 'probed';
        },
        (error: { details: { breaker?: string } }) => {
          settled += 1;
          return error.details.breaker === 'open' ? 'failed fast' : 'other failure';
        },
      ),
    );
    for (let wait = 0; wait < 200 && settled < 5; wait += 1) await sleep(10);
    expect(settled).toBe(5);
    expect(state.provider.received).toHaveLength(1);
    releaseProbe();

    expect((await Promise.all(outcomes)).sort()).toEqual(['failed fast', 'failed fast', 'failed fast', 'failed fast', 'failed fast', 'probed']);
    expect(changes).toEqual([
      { provider: 'nagad', state: 'open' },
      { provider: 'nagad', state: 'closed' },
    ]);
    state.provider.behave(answer(200, '{}'));
    await expect(second.send(aPost('nagad'))).resolves.toMatchObject({ status: 200 });
  });

  it('a failed probe opens the breaker for another cool-down', async () => {
    const { first, second, clock, changes } = twoInstances();
    state.provider.behave(answer(502));
    for (let call = 0; call < 5; call += 1) await first.send(aPost('dhl')).catch(() => undefined);
    clock.advance(30_000);

    await expect(second.send(aPost('dhl'))).rejects.toMatchObject({ name: 'ProviderIndeterminateError' });
    clock.advance(29_000);
    await expect(first.send(aPost('dhl'))).rejects.toMatchObject({ details: { breaker: 'open' } });

    expect(state.provider.received).toHaveLength(6);
    expect(changes).toEqual([{ provider: 'dhl', state: 'open' }]);
  });

  it('lists every breaker for the health endpoint, an open one past its cool-down as half_open', async () => {
    const store = dynamoCircuitBreakerStore(TABLE, state.client);
    const clock = manualClock();
    const at = clock.now().getTime();
    await store.recordFailure('pathao', at);
    for (let failure = 0; failure < 5; failure += 1) await store.recordFailure('redx', at);
    await store.trip('redx', 5, at, at + 30_000);

    const statuses = await breakerStatuses(store, clock);
    clock.advance(30_000);
    const later = await breakerStatuses(store, clock);

    expect(statuses).toEqual(
      expect.arrayContaining([
        { provider: 'pathao', state: 'closed', consecutiveFailures: 1, lastFailureAt: '2025-01-15T10:00:00.000Z' },
        { provider: 'redx', state: 'open', consecutiveFailures: 5, openedAt: '2025-01-15T10:00:00.000Z', lastFailureAt: '2025-01-15T10:00:00.000Z' },
      ]),
    );
    expect(later.find((status) => status.provider === 'redx')?.state).toBe('half_open');
  });

  it('trips a breaker once when instances race, and lets one of them take the probe lease', async () => {
    const store = dynamoCircuitBreakerStore(TABLE, state.client);
    const at = Date.parse('2025-01-15T10:00:00Z');
    await Promise.all(Array.from({ length: 5 }, () => store.recordFailure('ecourier', at)));

    const trips = await Promise.all(Array.from({ length: 8 }, () => store.trip('ecourier', 5, at, at + 1_000)));
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.claimProbe('ecourier', { id: `probe-${i}`, until: at + 5_000 }, at + 1_000)),
    );

    expect(trips.filter(Boolean)).toHaveLength(1);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.get('ecourier')).toMatchObject({ state: 'open', consecutiveFailures: 5, probe: { id: `probe-${claims.indexOf(true)}` } });
  });
});
