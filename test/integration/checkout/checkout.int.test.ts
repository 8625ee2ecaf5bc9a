import { randomUUID } from 'node:crypto';
import { json, storeApi } from '../../support/store-api';

const store = storeApi('seller-it');
const { api, aProduct, stockOf } = store;
const checkout = (body: unknown, key?: string) => store.create('/checkouts', body, key);
const anOrder = (sku: string, quantity = 2, method = 'bkash') => store.order(sku, quantity, method);
const simulatorScenario = (mode: string) => store.control('bkash', '/scenario', { mode });

afterEach(async () => {
  await simulatorScenario('normal');
});

describe('POST /v1/checkouts', () => {
  it('creates the order at catalog prices, reserves stock and sends the buyer to bKash', async () => {
    const sku = await aProduct(5);
    const res = await checkout({ ...anOrder(sku), items: [{ sku, quantity: 2, unitPrice: { value: 1, currency: 'BDT' } }] });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toEqual({
      orderId: expect.stringMatching(/^ord_/),
      status: 'pending_payment',
      amount: { value: 70000, currency: 'BDT' },
      payment: { paymentId: expect.stringMatching(/^pay_/), method: 'bkash', status: 'pending', action: { type: 'redirect', url: expect.stringContaining(store.endpoints.simulators.bkash) } },
    });
    expect(await stockOf(sku)).toBe(3);

    const order = await json(await api(`/orders/${body.orderId}`));
    expect(order).toMatchObject({ orderId: body.orderId, status: 'pending_payment', amount: { value: 70000, currency: 'BDT' } });
    expect(order.payments).toEqual([expect.objectContaining({ paymentId: body.payment.paymentId, method: 'bkash', status: 'pending' })]);
    expect(order.timeline.length).toBeGreaterThanOrEqual(1);
  });

  it('answers a repeated request with the same key with the first answer, and creates one order', async () => {
    const sku = await aProduct(5);
    const key = randomUUID();
    const first = await json(await checkout(anOrder(sku), key));
    const again = await checkout(anOrder(sku), key);
    expect(again.status).toBe(201);
    expect((await json(again)).orderId).toBe(first.orderId);
    expect(await stockOf(sku)).toBe(3);
    const reused = await checkout(anOrder(sku, 1), key);
    expect(reused.status).toBe(422);
    expect((await json(reused)).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses more than the stock with 422 OUT_OF_STOCK and reserves nothing', async () => {
    const sku = await aProduct(1);
    const res = await checkout(anOrder(sku, 2));
    expect(res.status).toBe(422);
    expect((await json(res)).error).toMatchObject({ code: 'OUT_OF_STOCK', details: { sku, requested: 2 } });
    expect(await stockOf(sku)).toBe(1);
  });

  it('answers 404 for an unknown SKU and 400 listing every bad field', async () => {
    const unknown = await checkout(anOrder('NO-SUCH-SKU'));
    expect(unknown.status).toBe(404);
    const invalid = await checkout({ buyer: { name: '' }, items: [], payment: { method: 'bitcoin' } });
    expect(invalid.status).toBe(400);
    const paths = (await json(invalid)).error.details.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.items', 'body.payment.method', 'body.payment.returnUrl', 'body.shipping']));
  });

  it('answers 422 METHOD_NOT_AVAILABLE for a method not configured here', async () => {
    const sku = await aProduct(3);
    const res = await checkout(anOrder(sku, 1, 'vnpay'));
    expect(res.status).toBe(422);
    expect((await json(res)).error.code).toBe('METHOD_NOT_AVAILABLE');
  });

  it('answers 503 PROVIDER_UNAVAILABLE naming the gateway when bKash is down, and gives the stock back', async () => {
    const sku = await aProduct(4);
    await simulatorScenario('down');
    const res = await checkout(anOrder(sku, 1));
    expect(res.status).toBe(503);
    expect((await json(res)).error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'bkash' } });
    expect(await stockOf(sku)).toBe(4);
  });
});
