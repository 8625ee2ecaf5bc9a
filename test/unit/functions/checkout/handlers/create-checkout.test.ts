import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ProviderRetryableError } from '../../../../../functions/_platform/errors';
import { anApiGatewayEvent } from '../../../../support/api-gateway';
import { platformEnv, setEnv } from '../../../../support/env';
import { InMemoryIdempotencyStore } from '../../../../support/in-memory/idempotency-store';
import { aCheckoutBody, aProduct, inMemoryCheckout } from '../../../../support/in-memory/checkout';
import { aLambdaContext } from '../../../../support/lambda-context';
import { captureLogs } from '../../../../support/log-capture';
import { sampleEvent } from '../../../../support/sample-event';

const CHECKOUT_ENV = {
  ORDERS_TABLE: 'orders-table',
  CATALOG_TABLE: 'catalog-table',
  IDEMPOTENCY_TABLE: 'idempotency-table',
  EVENTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:events',
  PAYMENT_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:payment-saga',
  PUBLIC_API_URL: 'https://api.shop.test/v1',
  PAYMENT_GATEWAYS: 'bkash,nagad',
  PAYMENT_GATEWAY_SECRETS: JSON.stringify({ bkash: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bkash-AbCdEf' }),
  INTEGRATION_STATE_TABLE: 'integration-state-table',
  AUDIT_TABLE: 'audit-table',
};
setEnv({ ...platformEnv, POWERTOOLS_SERVICE_NAME: 'checkout', AWS_REGION: 'us-east-1', ...CHECKOUT_ENV });
const { createCheckoutHandler } = require('../../../../../functions/checkout/handlers/create-checkout') as typeof import('../../../../../functions/checkout/handlers/create-checkout');

const ORDER_ID = `ord_${'1'.padStart(26, '0')}`;
const PAYMENT_ID = `pay_${'1'.padStart(26, '0')}_1`;

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.stop());

/** The handler over in-memory ports and an in-memory idempotency store. */
const aCheckoutApi = (products = [aProduct()]) => {
  const checkout = inMemoryCheckout(products);
  const store = new InMemoryIdempotencyStore();
  const handler = createCheckoutHandler(checkout.deps, store);
  const post = async (body: unknown, headers: Record<string, string> = { 'Idempotency-Key': 'key-1' }) => {
    const result = await handler(anApiGatewayEvent({ method: 'POST', path: '/checkouts', headers, body }), aLambdaContext());
    return { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body) };
  };
  return { ...checkout, store, handler, post };
};

describe('POST /checkouts', () => {
  it('answers the sample request in events/checkout/create-checkout.apigw.json with 201 in the shape of API.md', async () => {
    const { handler } = aCheckoutApi();

    const result = await handler(sampleEvent<APIGatewayProxyEvent>('checkout/create-checkout.apigw.json'), aLambdaContext());

    expect(result.statusCode).toBe(201);
    expect(JSON.parse(result.body)).toEqual({
      orderId: ORDER_ID,
      status: 'pending_payment',
      amount: { value: 240000, currency: 'BDT' },
      payment: {
        paymentId: PAYMENT_ID,
        method: 'bkash',
        status: 'pending',
        action: { type: 'redirect', url: 'https://bkash.gateway.test/pay/BKASH-1' },
      },
    });
  });

  it('charges the catalog price and ignores prices the client sends (unknown fields are dropped)', async () => {
    const { post, orders } = aCheckoutApi();
    const body = { ...aCheckoutBody(), amount: { value: 1, currency: 'BDT' }, items: [{ sku: 'TSHIRT-RED-M', quantity: 2, unitPrice: { value: 1, currency: 'BDT' }, price: 1 }] };

    const { status, body: answer } = await post(body);

    expect(status).toBe(201);
    expect(answer.amount).toEqual({ value: 240000, currency: 'BDT' });
    expect(orders.orders.get(ORDER_ID)?.items[0].unitPrice).toEqual({ value: 120000, currency: 'BDT' });
  });

  it('answers a repeat with the same key and body with the first answer, placing the order once', async () => {
    const { post, orders, gateway, catalog } = aCheckoutApi();

    const first = await post(aCheckoutBody());
    const repeat = await post(aCheckoutBody());

    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers).toMatchObject({ 'idempotent-replayed': 'true' });
    expect([orders.orders.size, gateway.sessions.length, catalog.stockOf('TSHIRT-RED-M')]).toEqual([1, 1, 8]);
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED, nothing placed twice', async () => {
    const { post, orders } = aCheckoutApi();
    await post(aCheckoutBody());

    const reused = await post({ ...aCheckoutBody(), items: [{ sku: 'TSHIRT-RED-M', quantity: 3 }] });

    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(orders.orders.size).toBe(1);
  });

  it('answers 400 VALIDATION_FAILED listing every bad field, the Idempotency-Key included', async () => {
    const { post, stock } = aCheckoutApi();
    const body = {
      buyer: { name: '', email: 'not-an-email', phone: '01712345678', address: { line1: 'House 12', city: 'Dhaka', postalCode: '1207', country: 'Bangladesh' } },
      items: [{ sku: 'TSHIRT-RED-M', quantity: 0 }, { sku: 'BAG', quantity: 1.5 }],
      payment: { method: 'paypal', returnUrl: 'javascript:alert(1)' },
    };

    const { status, body: answer } = await post(body, {});

    expect(status).toBe(400);
    expect(answer.error.code).toBe('VALIDATION_FAILED');
    expect(answer.error.details.fields.map((field: { path: string }) => field.path).sort()).toEqual([
      'body.buyer.address.country',
      'body.buyer.email',
      'body.buyer.name',
      'body.buyer.phone',
      'body.items.0.quantity',
      'body.items.1.quantity',
      'body.payment.method',
      'body.payment.returnUrl',
      'body.shipping',
      'headers.Idempotency-Key',
    ]);
    expect(stock.taken).toEqual([]);
  });

  it('answers 400 for an empty basket', async () => {
    const { post } = aCheckoutApi();

    const { status, body } = await post({ ...aCheckoutBody(), items: [] });

    expect(status).toBe(400);
    expect(body.error.details.fields.map((field: { path: string }) => field.path)).toEqual(['body.items']);
  });

  it('answers 404 NOT_FOUND with the unknown SKUs', async () => {
    const { post } = aCheckoutApi();

    const { status, body } = await post({ ...aCheckoutBody(), items: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] });

    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code: 'NOT_FOUND', details: { skus: ['NO-SUCH-SKU'] } });
  });

  it('answers 422 OUT_OF_STOCK with { sku, requested } and leaves the stock as it was', async () => {
    const { post, catalog } = aCheckoutApi([aProduct({ stock: 1 })]);

    const { status, body } = await post(aCheckoutBody());

    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'OUT_OF_STOCK', details: { sku: 'TSHIRT-RED-M', requested: 2 } });
    expect(catalog.stockOf('TSHIRT-RED-M')).toBe(1);
  });

  it('answers 422 METHOD_NOT_AVAILABLE for a method this deployment does not take', async () => {
    const { post } = aCheckoutApi();

    const { status, body } = await post({ ...aCheckoutBody(), payment: { method: 'vnpay', returnUrl: 'https://shop.example/return' } });

    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'METHOD_NOT_AVAILABLE', details: { method: 'vnpay', currency: 'VND' } });
  });

  it('answers 503 PROVIDER_UNAVAILABLE naming the gateway when it is down, with the stock released and no order', async () => {
    const { post, gateway, catalog, orders } = aCheckoutApi();
    gateway.createFailure = new ProviderRetryableError('bkash', 'circuit open');

    const { status, body } = await post(aCheckoutBody());

    expect(status).toBe(503);
    expect(body.error).toEqual({ code: 'PROVIDER_UNAVAILABLE', message: 'Internal error', details: { provider: 'bkash' } });
    expect(catalog.stockOf('TSHIRT-RED-M')).toBe(10);
    expect(orders.orders.size).toBe(0);
  });

  it('lets the same key try again after a failure (no idempotency record is left)', async () => {
    const { post, gateway, store } = aCheckoutApi();
    gateway.createFailure = new ProviderRetryableError('bkash', 'circuit open');
    await post(aCheckoutBody());
    gateway.createFailure = undefined;

    const retried = await post(aCheckoutBody());

    expect(retried.status).toBe(201);
    expect(store.statuses()).toEqual(['COMPLETED']);
  });

  it("never logs the buyer's personal data", async () => {
    const { post, gateway } = aCheckoutApi();
    gateway.createFailure = new ProviderRetryableError('bkash', 'circuit open');

    await post(aCheckoutBody());

    const logged = JSON.stringify(logs.logs());
    expect(logged).toContain('request failed');
    for (const personal of ['rahim@example.com', '+8801712345678', 'Rahim Uddin', 'House 12']) expect(logged).not.toContain(personal);
  });
});

describe('create-checkout at cold start', () => {
  it('fails naming every missing variable', () => {
    const saved = { ...process.env };
    delete process.env.PUBLIC_API_URL;
    delete process.env.PAYMENT_STATE_MACHINE_ARN;
    try {
      jest.isolateModules(() => {
        expect(() => require('../../../../../functions/checkout/handlers/create-checkout')).toThrow(/PAYMENT_STATE_MACHINE_ARN: missing.*PUBLIC_API_URL: missing/);
      });
    } finally {
      process.env = saved;
    }
  });

  it('refuses a PUBLIC_API_URL that is not the /v1 base, and an unknown gateway', () => {
    const saved = { ...process.env };
    process.env.PUBLIC_API_URL = 'https://api.shop.test';
    process.env.PAYMENT_GATEWAYS = 'bkash,paypal';
    try {
      jest.isolateModules(() => {
        expect(() => require('../../../../../functions/checkout/handlers/create-checkout')).toThrow(/PUBLIC_API_URL: must end in \/v1.*PAYMENT_GATEWAYS: unknown gateways: paypal/);
      });
    } finally {
      process.env = saved;
    }
  });
});
