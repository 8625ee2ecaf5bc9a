import { createHash } from 'node:crypto';
import { IdempotencyKeyReusedError, RequestInProgressError } from '../../../../functions/_platform/errors';
import { platformEnv, setEnv } from '../../../support/env';
import { InMemoryIdempotencyStore } from '../../../support/in-memory/idempotency-store';
import { aLambdaContext } from '../../../support/lambda-context';
import { captureLogs } from '../../../support/log-capture';

setEnv(platformEnv);
const { idempotentCalls } = require('../../../../functions/_platform/idempotency') as typeof import('../../../../functions/_platform/idempotency');

interface Order {
  ref: { store: string; number: number };
  lines: Array<{ sku: string; quantity: number }>;
}
const anOrder = (overrides: Partial<Order> = {}): Order => ({ ref: { store: 's1', number: 1 }, lines: [{ sku: 'A', quantity: 1 }], ...overrides });

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.stop());

const setup = (options: { validate?: boolean; onReplay?: (stored: string) => string } = {}) => {
  const store = new InMemoryIdempotencyStore();
  const once = idempotentCalls<Order, string>(store, {
    scope: 'orders',
    keyOf: (order) => order.ref,
    ...(options.validate !== false && { validationOf: (order: Order) => order.lines }),
    expiresAfterSeconds: 3_600,
    ...(options.onReplay && { onReplay: options.onReplay }),
  });
  let runs = 0;
  const run = (order: Order, work = async () => `result ${(runs += 1)}`) => once(order, aLambdaContext(), work);
  return { store, once, run, runs: () => runs };
};

describe('idempotentCalls', () => {
  it('keys a record `<scope>#<sha256 of the key part as canonical JSON>`, whatever the key order', async () => {
    const { store, run, runs } = setup();

    await run(anOrder({ ref: { store: 's1', number: 1 } }));
    await run({ lines: [{ quantity: 1, sku: 'A' }], ref: { number: 1, store: 's1' } });

    const expected = createHash('sha256').update('{"number":1,"store":"s1"}').digest('hex');
    expect([...store.records.keys()]).toEqual([`orders#${expected}`]);
    expect(runs()).toBe(1);
  });

  it('stores the result for expiresAfterSeconds and replays it through onReplay without running the work again', async () => {
    const { store, run, runs } = setup({ onReplay: (stored) => `${stored} (replayed)` });
    const before = Math.round(Date.now() / 1000);

    const first = await run(anOrder());
    const repeat = await run(anOrder());

    expect([first, repeat, runs()]).toEqual(['result 1', 'result 1 (replayed)', 1]);
    const [record] = store.records.values();
    expect(record).toMatchObject({ status: 'COMPLETED', data: 'result 1' });
    expect(record.expiresAt).toBeGreaterThanOrEqual(before + 3_600);
    expect(record.expiresAt).toBeLessThanOrEqual(Math.round(Date.now() / 1000) + 3_600);
  });

  it('leases the claim for the Lambda\'s remaining time', async () => {
    const { store, once } = setup();
    const before = Date.now();
    let lease: number | undefined;

    await once(anOrder(), aLambdaContext({ getRemainingTimeInMillis: () => 5_000 }), async () => {
      lease = [...store.records.values()][0].inProgressUntil;
      return 'done';
    });

    expect(lease).toBeGreaterThanOrEqual(before + 5_000);
    expect(lease).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it('refuses a repeat whose validated part differs, after completion and while in progress', async () => {
    const { run, runs } = setup();
    const other = anOrder({ lines: [{ sku: 'B', quantity: 1 }] });
    await run(anOrder());

    await expect(run(other)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);

    let finish: () => void = () => undefined;
    const slow = run(anOrder({ ref: { store: 's1', number: 2 } }), () => new Promise<string>((resolve) => (finish = () => resolve('slow'))));
    await expect(run({ ...other, ref: { store: 's1', number: 2 } })).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    finish();
    await slow;
    expect(runs()).toBe(1);
  });

  it('replays for any payload with the same key when nothing is validated', async () => {
    const { run, runs } = setup({ validate: false });

    await run(anOrder());
    const repeat = await run(anOrder({ lines: [] }));

    expect([repeat, runs()]).toEqual(['result 1', 1]);
  });

  it('refuses a repeat while the first call runs, and keeps its claim', async () => {
    const { store, run } = setup();
    let finish: () => void = () => undefined;
    const slow = run(anOrder(), () => new Promise<string>((resolve) => (finish = () => resolve('slow'))));

    await expect(run(anOrder())).rejects.toBeInstanceOf(RequestInProgressError);
    expect(store.statuses()).toEqual(['INPROGRESS']);
    finish();
    expect(await slow).toBe('slow');
    expect(store.statuses()).toEqual(['COMPLETED']);
  });

  it('releases the claim and rethrows when the work throws, so the next call runs', async () => {
    const { store, run, runs } = setup();
    const failure = new Error('provider down');

    await expect(run(anOrder(), async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(store.records.size).toBe(0);
    expect(await run(anOrder())).toBe('result 1');
    expect(runs()).toBe(1);
  });

  it('rethrows the work\'s error, not the store\'s, when the release fails, and logs a warning', async () => {
    const { store, run } = setup();
    store.release = async () => Promise.reject(new Error('table unreachable'));
    const failure = new Error('provider down');

    await expect(run(anOrder(), async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(logs.logs()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'idempotency claim not released', scope: 'orders' }));
  });

  it('replays a call that returned nothing as nothing', async () => {
    const store = new InMemoryIdempotencyStore();
    const once = idempotentCalls<{ id: string }, void>(store, { scope: 'events', keyOf: (event) => event.id, expiresAfterSeconds: 60 });
    let runs = 0;
    const work = async () => {
      runs += 1;
    };

    await once({ id: 'evt_1' }, aLambdaContext(), work);
    const repeat = await once({ id: 'evt_1' }, aLambdaContext(), work);

    expect([repeat, runs]).toEqual([undefined, 1]);
  });

  it('refuses a payload without a key part, before touching the store', async () => {
    const store = new InMemoryIdempotencyStore();
    const once = idempotentCalls<{ id?: string }, string>(store, { scope: 'events', keyOf: (event) => event.id, expiresAfterSeconds: 60 });

    await expect(once({}, aLambdaContext(), async () => 'ran')).rejects.toThrow('no idempotency key in the events payload');
    await expect(once({ id: '' }, aLambdaContext(), async () => 'ran')).rejects.toThrow('no idempotency key');
    expect(store.records.size).toBe(0);
  });
});
