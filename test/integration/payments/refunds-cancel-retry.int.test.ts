import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { eventually } from '../../support/local-stack';
import { json, storeApi } from '../../support/store-api';
import { attemptItem, closePaymentFlow, sfn } from './payment-flow';

const store = storeApi('seller-refunds');
const BDT = (value: number) => ({ value, currency: 'BDT' });

/** A checkout of `quantity` units at 350.00 BDT each, paid through `gateway`'s page; resolves the paid order. */
const aPaidOrder = async (gateway: 'bkash' | 'nagad', quantity = 2) => {
  const sku = await store.aProduct(5);
  const placed = await json(await store.create('/checkouts', store.order(sku, quantity, gateway)));
  await store.buyerActs(gateway, placed.payment.action.url, 'approve');
  return { sku, orderId: placed.orderId as string, paid: await store.orderIn(placed.orderId, 'paid') };
};
const refundsOf = async (gateway: 'bkash' | 'nagad') =>
  ((await store.control(gateway, '/state')).ledger as Array<{ kind: string; amountMinor: number; gatewayReference: string }>).filter((e) => e.kind === 'refund');
const refundSettled = (orderId: string, refundId: string) =>
  eventually(async () => {
    const order = await store.getOrder(orderId);
    const refund = order.refunds.find((r: { refundId: string }) => r.refundId === refundId);
    return refund && refund.status !== 'pending' ? order : undefined;
  }, `refund ${refundId} to settle`);

afterAll(closePaymentFlow);
afterEach(async () => {
  await store.control('bkash', '/scenario', { mode: 'normal' });
  await store.control('nagad', '/scenario', { mode: 'normal' });
});

describe('POST /v1/orders/{orderId}/refunds', () => {
  it.each(['bkash', 'nagad'] as const)('%s: a partial then the rest; each pending until the gateway confirms, then the order says so', async (gateway) => {
    const { orderId } = await aPaidOrder(gateway);
    const before = (await refundsOf(gateway)).length;

    const partial = await store.create(`/orders/${orderId}/refunds`, { amount: BDT(20000), reason: 'one item damaged' });
    expect(partial.status).toBe(202);
    const { refundId } = await json(partial);
    const afterPartial = await refundSettled(orderId, refundId);
    expect(afterPartial.status).toBe('partially_refunded');
    expect(afterPartial.refunds[0]).toMatchObject({ refundId, status: 'succeeded', amount: BDT(20000), reason: 'one item damaged' });
    expect(afterPartial.timeline.map((e: { event: string }) => e.event)).toEqual(expect.arrayContaining(['refund.requested', 'refund.submitted', 'refund.succeeded']));

    const rest = await json(await store.create(`/orders/${orderId}/refunds`, { reason: 'returned' }));
    expect(rest).toMatchObject({ status: 'pending', amount: BDT(50000) });
    const refunded = await refundSettled(orderId, rest.refundId);
    expect(refunded.status).toBe('refunded');
    const moved = (await refundsOf(gateway)).slice(before);
    expect(moved.reduce((sum, e) => sum + e.amountMinor, 0)).toBe(70000);
  });

  it('never refunds more than was captured, even when ten requests race', async () => {
    const { orderId } = await aPaidOrder('bkash');
    const answers = await Promise.all(Array.from({ length: 10 }, () => store.create(`/orders/${orderId}/refunds`, { amount: BDT(30000), reason: 'race' })));
    expect(answers.filter((r) => r.status === 202)).toHaveLength(2);
    const refused = answers.filter((r) => r.status !== 202);
    for (const res of refused) {
      expect(res.status).toBe(422);
      expect((await json(res)).error.code).toBe('REFUND_EXCEEDS_CAPTURED');
    }
    const order = await eventually(async () => {
      const current = await store.getOrder(orderId);
      return current.refunds.every((r: { status: string }) => r.status === 'succeeded') ? current : undefined;
    }, 'both refunds to succeed');
    expect(order.refunds).toHaveLength(2);
    expect(order.status).toBe('partially_refunded');
  });

  it('answers the same refund to a repeated Idempotency-Key, 409 before payment, 404 for no order, 400 listing bad fields', async () => {
    const { orderId } = await aPaidOrder('bkash');
    const key = `refund-${orderId}`;
    const first = await store.create(`/orders/${orderId}/refunds`, { amount: BDT(1000), reason: 'voucher' }, key);
    const again = await store.create(`/orders/${orderId}/refunds`, { amount: BDT(1000), reason: 'voucher' }, key);
    expect((await json(again)).refundId).toBe((await json(first)).refundId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const sku = await store.aProduct(5);
    const unpaid = await json(await store.create('/checkouts', store.order(sku, 1, 'bkash')));
    const notPaid = await store.create(`/orders/${unpaid.orderId}/refunds`, { reason: 'too early' });
    expect(notPaid.status).toBe(409);
    expect((await json(notPaid)).error.code).toBe('ORDER_NOT_PAID');
    expect((await store.create('/orders/ord_00000000000000000000000000/refunds', { reason: 'x' })).status).toBe(404);
    const bad = await store.create(`/orders/${orderId}/refunds`, { amount: { value: -5, currency: 'BDT' }, reason: ' ' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.amount.value', 'body.reason']);
  });
});

describe('POST /v1/orders/{orderId}/cancel', () => {
  it('before payment: the pending attempt is stopped, the stock goes back, the order is cancelled and stays so', async () => {
    const sku = await store.aProduct(5);
    const placed = await json(await store.create('/checkouts', store.order(sku, 2, 'bkash')));
    expect(await store.stockOf(sku)).toBe(3);

    const res = await store.api(`/orders/${placed.orderId}/cancel`, { method: 'POST', body: { reason: 'changed my mind' } });
    expect(res.status).toBe(200);
    expect((await json(res)).status).toBe('cancelled');

    const order = await store.orderIn(placed.orderId, 'cancelled');
    expect(order.payments[0]).toMatchObject({ status: 'failed', failureCode: 'ORDER_CANCELLED' });
    await eventually(async () => ((await store.stockOf(sku)) === 5 ? true : undefined), 'the stock to be back');
    const late = await store.buyerActs('bkash', placed.payment.action.url, 'approve');
    expect(late?.status).toBe(303);
    expect((await store.getOrder(placed.orderId)).status).toBe('cancelled');
  });

  it('after payment: the stock goes back and what was taken is refunded once; a repeat changes nothing', async () => {
    const { sku, orderId } = await aPaidOrder('nagad');
    const stockPaid = await store.stockOf(sku);

    const first = await store.api(`/orders/${orderId}/cancel`, { method: 'POST', body: { reason: 'out of delivery area' } });
    const second = await store.api(`/orders/${orderId}/cancel`, { method: 'POST', body: { reason: 'out of delivery area' } });
    expect([first.status, second.status]).toEqual([200, 200]);

    const order = await eventually(async () => {
      const current = await store.getOrder(orderId);
      return current.refunds.length === 1 && current.refunds[0].status === 'succeeded' ? current : undefined;
    }, 'the cancellation refund to succeed');
    expect(order.status).toBe('cancelled');
    expect(order.refunds[0]).toMatchObject({ amount: BDT(70000), reason: 'order cancelled: out of delivery area' });
    expect(await store.stockOf(sku)).toBe(stockPaid + 2);
  });
});

describe('POST /v1/orders/{orderId}/payments', () => {
  it('after insufficient funds at bKash, a new attempt with Nagad reserves the stock again and pays the order', async () => {
    const sku = await store.aProduct(5);
    const placed = await json(await store.create('/checkouts', store.order(sku, 2, 'bkash')));
    await store.buyerActs('bkash', placed.payment.action.url, 'insufficient-balance');
    const failed = await store.orderIn(placed.orderId, 'payment_failed');
    expect(failed.payments[0]).toMatchObject({ status: 'failed', failureCode: 'INSUFFICIENT_FUNDS' });
    await eventually(async () => ((await store.stockOf(sku)) === 5 ? true : undefined), 'the stock to be back');

    const retry = await store.create(`/orders/${placed.orderId}/payments`, { method: 'nagad', returnUrl: 'https://shop.example/return' });
    expect(retry.status).toBe(201);
    const attempt = await json(retry);
    expect(attempt).toMatchObject({ orderId: placed.orderId, status: 'pending_payment', payment: { paymentId: placed.payment.paymentId.replace(/_1$/, '_2'), method: 'nagad', status: 'pending' } });
    expect(await store.stockOf(sku)).toBe(3);
    const pending = await store.create(`/orders/${placed.orderId}/payments`, { method: 'bkash', returnUrl: 'https://shop.example/return' });
    expect(pending.status).toBe(409);
    expect((await json(pending)).error.code).toBe('PAYMENT_PENDING');

    await store.buyerActs('nagad', attempt.payment.action.url, 'approve');
    const paid = await store.orderIn(placed.orderId, 'paid');
    expect(paid.payments.map((p: { method: string; status: string }) => [p.method, p.status])).toEqual([['bkash', 'failed'], ['nagad', 'succeeded']]);
    const again = await store.create(`/orders/${placed.orderId}/payments`, { method: 'bkash', returnUrl: 'https://shop.example/return' });
    expect(again.status).toBe(409);
  });
});

describe('a payment completed after the saga gave up', () => {
  it('Nagad took the money after the attempt expired: the return reconciles it with a refund, the order stays failed', async () => {
    const sku = await store.aProduct(5);
    const placed = await json(await store.create('/checkouts', store.order(sku, 2, 'nagad')));
    const { orderId, payment: { paymentId } } = placed;
    const waiting = await eventually(async () => (await attemptItem(orderId, paymentId))?.taskToken as string | undefined, 'the saga to wait');
    // The saga gives up as its timeout path does (the timeout itself is covered by the saga's own tests).
    await sfn.send(new SendTaskSuccessCommand({ taskToken: waiting, output: JSON.stringify({ outcome: 'failed', failureCode: 'EXPIRED' }) }));
    await store.orderIn(orderId, 'payment_failed');

    const back = await store.buyerActs('nagad', placed.payment.action.url, 'approve');

    expect(back?.status).toBe(303);
    expect(Object.fromEntries(new URL(back!.headers.get('location')!).searchParams)).toMatchObject({ status: 'failed', reason: 'EXPIRED', refund: 'pending' });
    const order = await eventually(async () => {
      const current = await store.getOrder(orderId);
      return current.refunds[0]?.status === 'succeeded' ? current : undefined;
    }, 'the late payment to be refunded');
    expect(order.status).toBe('payment_failed');
    expect(order.refunds).toEqual([expect.objectContaining({ paymentId, amount: BDT(70000) })]);
    expect(await attemptItem(orderId, paymentId)).toMatchObject({ status: 'failed', lateCapture: true });
    const duplicate = await fetch(back!.url, { redirect: 'manual' });
    expect(duplicate.status).toBe(303);
    expect((await store.getOrder(orderId)).refunds).toHaveLength(1);
    expect((await refundsOf('nagad')).filter((e) => e.gatewayReference === new URL(placed.payment.action.url).pathname.split('/').at(-1))).toHaveLength(1);
  });
});
