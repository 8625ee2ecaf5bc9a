import { randomUUID } from 'node:crypto';
import { operatorFetch } from '../../../local/runtime/operator-client';
import { eventually, localEndpoints } from '../../support/local-stack';

const endpoints = localEndpoints();
const operator = { accessKeyId: endpoints.aws.accessKeyId, secretAccessKey: endpoints.aws.secretAccessKey };
const storeKey = endpoints.apiKeys[0].value;
const json = async (res: Response): Promise<any> => res.json();
const opsHealth = async () => json(await operatorFetch(`${endpoints.api.url}/ops/health`, { method: 'GET' }, operator));
const nagadOf = async () => (await opsHealth()).providers.find((p: { provider: string }) => p.provider === 'nagad');
const scenario = (mode: string) => fetch(`${endpoints.simulators.nagad}/__control/scenario`, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ mode }),
});
const checkoutWithNagad = async (sku: string) => {
  const started = Date.now();
  const res = await fetch(`${endpoints.api.url}/checkouts`, {
    method: 'POST',
    headers: { 'x-api-key': storeKey, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({
      buyer: { name: 'Karim', email: 'karim@example.com', phone: '+8801812345678', address: { line1: 'Road 1', city: 'Dhaka', postalCode: '1000', country: 'BD' } },
      items: [{ sku, quantity: 1 }], payment: { method: 'nagad', returnUrl: 'https://shop.example/return' }, shipping: { serviceLevel: 'standard' },
    }),
  });
  return { status: res.status, body: await json(res), ms: Date.now() - started };
};

let openedBreakerWith: string | undefined;
// The breaker this file opens is shared by every test file on the stack (and remembered by warm instances): leave it
// closed, or a later nagad checkout meets it still open. After its cool-down the next checkout is the probe that closes it.
afterAll(async () => {
  await scenario('normal');
  const sku = openedBreakerWith;
  if (sku) await eventually(async () => ((await checkoutWithNagad(sku)).status === 201 ? true : undefined), 'the nagad breaker to close', 45_000, 1_000);
});

describe('GET /v1/ops/health (operators)', () => {
  it('refuses an unsigned request', async () => {
    const res = await fetch(`${endpoints.api.url}/ops/health`, { headers: { 'x-api-key': storeKey } });
    expect(res.status).toBe(403);
  });

  it('lists every provider with its breaker', async () => {
    const report = await opsHealth();
    expect(report.providers.map((p: { provider: string }) => p.provider)).toEqual(expect.arrayContaining(['bkash', 'nagad', 'ghn', 'twilio']));
  });

  it('shows a gateway’s breaker opening after 5 failures, after which checkout fails fast with 503 without calling it', async () => {
    const sku = `MANGO-${randomUUID().slice(0, 8)}`;
    await operatorFetch(`${endpoints.api.url}/products/${sku}`, {
      method: 'PUT',
      body: { title: 'Rajshahi mangoes, 5 kg', sellerId: 'seller-it', prices: [{ value: 90000, currency: 'BDT' }], stock: 50, weightGrams: 5000, dimensionsCm: { l: 40, w: 30, h: 20 } },
    }, operator);
    await scenario('down');
    openedBreakerWith = sku;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const failed = await checkoutWithNagad(sku);
      expect(failed.status).toBe(503);
    }
    const nagad = await nagadOf();
    expect(nagad.breaker.state).toBe('open');
    expect(nagad.errorRate).toBeGreaterThan(0);

    const fast = await checkoutWithNagad(sku);
    expect(fast.status).toBe(503);
    expect(fast.body.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'nagad', breaker: 'open' } });
  });
});
