import { ProviderIndeterminateError, ProviderTerminalError } from '../../../../../functions/_platform/errors';
import { RefundExceedsCapturedError } from '../../../../../functions/checkout/domain/order';
import { cancelOrderAndRefund } from '../../../../../functions/payments/domain/cancel-order';
import { confirmPayment } from '../../../../../functions/payments/domain/confirm-payment';
import { OrderNotPaidError, requestOrderRefund } from '../../../../../functions/payments/domain/request-refund';
import { RefundNotRecordedError, settleOrderRefund } from '../../../../../functions/payments/domain/settle-refund';
import { sequentialIds } from '../../../../support/in-memory/checkout';
import { AMOUNT, ORDER_ID, PAYMENT_ID, RecordingWorkflow, ref, sagaWorld } from './saga-fakes';

const BDT = (value: number) => ({ value, currency: 'BDT' });

/** The saga world with its order paid by PAYMENT_ID (captured 700.00 BDT), and what refunds need. */
const paidWorld = async () => {
  const world = sagaWorld();
  await confirmPayment(world.deps, { ...ref, capture: { transactionId: 'TRX-1', amount: AMOUNT, capturedAt: '2026-03-01T10:04:00.000Z' } });
  // What GET /orders shows of the attempt (checkout's description), now succeeded.
  world.orders.attempts.set(PAYMENT_ID, {
    ...ref, method: 'bkash', gateway: 'bkash', gatewayReference: 'TR-1', amount: AMOUNT, redirectUrl: 'https://pay.test', storeReturnUrl: 'https://shop.example',
    createdAt: '2026-03-01T10:00:00.000Z', status: 'succeeded', version: 2,
  });
  return { ...world, refundDeps: { ...world.deps, ids: sequentialIds() } };
};

describe('requestOrderRefund', () => {
  it('starts the workflow named after a new refund, then records it pending; the default is what is left', async () => {
    const { refundDeps, workflow, orders } = await paidWorld();

    const partial = await requestOrderRefund(refundDeps, { orderId: ORDER_ID, amount: BDT(20000), reason: 'damaged' });
    const rest = await requestOrderRefund(refundDeps, { orderId: ORDER_ID, reason: 'returned' });

    expect(partial).toMatchObject({ status: 'pending', amount: BDT(20000), paymentId: PAYMENT_ID });
    expect(rest.amount).toEqual(BDT(50000));
    expect(workflow.started).toEqual([{ orderId: ORDER_ID, refundId: partial.refundId }, { orderId: ORDER_ID, refundId: rest.refundId }]);
    expect(orders.orders.get(ORDER_ID)?.refunds.map((r) => r.refundId)).toEqual([partial.refundId, rest.refundId]);
    await expect(requestOrderRefund(refundDeps, { orderId: ORDER_ID, reason: 'more' })).rejects.toThrow(RefundExceedsCapturedError);
  });

  it('refuses an unpaid order with ORDER_NOT_PAID and starts nothing', async () => {
    const world = sagaWorld();
    const workflow = new RecordingWorkflow();

    await expect(requestOrderRefund({ ...world.deps, refunds: workflow, ids: sequentialIds() }, { orderId: ORDER_ID, reason: 'x' })).rejects.toThrow(OrderNotPaidError);
    expect(workflow.started).toEqual([]);
  });
});

describe('settleOrderRefund (the refund workflow step)', () => {
  it('refunds once with the stable key, records it on the order and publishes refund.succeeded; a repeat asks nothing', async () => {
    const { refundDeps, deps, gateway, orders, events } = await paidWorld();
    const { refundId } = await requestOrderRefund(refundDeps, { orderId: ORDER_ID, amount: BDT(20000), reason: 'damaged' });

    await expect(settleOrderRefund(deps, { orderId: ORDER_ID, refundId })).resolves.toEqual({ orderId: ORDER_ID, refundId, status: 'succeeded' });
    await settleOrderRefund(deps, { orderId: ORDER_ID, refundId });

    expect(gateway.calls.filter((c) => c.method.startsWith('refund'))).toEqual([{ method: 'refund', idempotencyKey: `${refundId}:refund` }]);
    const order = orders.orders.get(ORDER_ID)!;
    expect(order.status).toBe('partially_refunded');
    expect(order.refunds[0]).toMatchObject({ status: 'succeeded', submittedAt: expect.any(String), settledAt: expect.any(String) });
    const published = events.published.filter((e) => e.type === 'refund.succeeded');
    expect(new Set(published.map((e) => e.id))).toEqual(new Set([`evt_${refundId}_succeeded`]));
    expect(published[0]).toMatchObject({ orderId: ORDER_ID, data: { refundId, paymentId: PAYMENT_ID, amount: BDT(20000), reason: 'damaged' } });
  });

  it('after an unknown outcome asks the refund status; while pending it says so and asks again next time, never refunding twice', async () => {
    const { refundDeps, deps, gateway, orders } = await paidWorld();
    const { refundId } = await requestOrderRefund(refundDeps, { orderId: ORDER_ID, reason: 'returned' });
    gateway.refundAnswer = async () => { throw new ProviderIndeterminateError('bkash', 'timed out'); };
    gateway.refundStatusAnswer = async () => ({ state: 'pending', amount: AMOUNT, gatewayStatus: 'Processing' });

    await expect(settleOrderRefund(deps, { orderId: ORDER_ID, refundId })).resolves.toMatchObject({ status: 'pending' });
    gateway.refundStatusAnswer = async () => ({ state: 'succeeded', amount: AMOUNT, gatewayStatus: 'Completed', refundReference: 'RF-9' });
    await expect(settleOrderRefund(deps, { orderId: ORDER_ID, refundId })).resolves.toMatchObject({ status: 'succeeded' });

    expect(gateway.calls.map((c) => c.method)).toEqual(['refund', 'refundStatus', 'refundStatus']);
    expect(orders.orders.get(ORDER_ID)).toMatchObject({ status: 'refunded', refunds: [{ status: 'succeeded', gatewayReference: 'RF-9' }] });
  });

  it('records a refusal as failed, gives the amount back and publishes refund.failed', async () => {
    const { refundDeps, deps, gateway, orders, events } = await paidWorld();
    const { refundId } = await requestOrderRefund(refundDeps, { orderId: ORDER_ID, reason: 'returned' });
    gateway.refundAnswer = async () => { throw new ProviderTerminalError('bkash', 'payment', 'refund period is over'); };

    await expect(settleOrderRefund(deps, { orderId: ORDER_ID, refundId })).resolves.toMatchObject({ status: 'failed' });

    expect(orders.orders.get(ORDER_ID)).toMatchObject({ status: 'paid', refunds: [{ status: 'failed', gatewayStatus: 'refund period is over' }] });
    expect(events.published.filter((e) => e.type === 'refund.failed')).toHaveLength(1);
    await expect(requestOrderRefund(refundDeps, { orderId: ORDER_ID, reason: 'again' })).resolves.toMatchObject({ amount: AMOUNT });
  });

  it('publishes again when a settled refund\'s event was lost, and waits for a refund not recorded yet', async () => {
    const { refundDeps, deps, events } = await paidWorld();
    const { refundId } = await requestOrderRefund(refundDeps, { orderId: ORDER_ID, reason: 'returned' });
    events.failure = new Error('SNS is down');
    await expect(settleOrderRefund(deps, { orderId: ORDER_ID, refundId })).rejects.toMatchObject({ name: 'ProviderRetryableError' });
    events.failure = undefined;

    await expect(settleOrderRefund(deps, { orderId: ORDER_ID, refundId })).resolves.toMatchObject({ status: 'succeeded' });
    expect(events.published.map((e) => e.id)).toContain(`evt_${refundId}_succeeded`);
    await expect(settleOrderRefund(deps, { orderId: ORDER_ID, refundId: 'ref_unknown' })).rejects.toThrow(RefundNotRecordedError);
  });
});

describe('cancelOrderAndRefund', () => {
  it('a paid order: cancelled, stock back once, the whole capture refunded once, order.cancelled published; a repeat adds nothing', async () => {
    const { refundDeps, workflow, orders, catalog, events } = await paidWorld();
    const stockBefore = catalog.stockOf('GAMCHA') ?? 0;

    const first = await cancelOrderAndRefund(refundDeps, { orderId: ORDER_ID, reason: 'changed my mind' });
    await cancelOrderAndRefund(refundDeps, { orderId: ORDER_ID, reason: 'changed my mind' });

    expect(first.order.status).toBe('cancelled');
    expect(catalog.stockOf('GAMCHA')).toBe(stockBefore + 2);
    expect(orders.orders.get(ORDER_ID)?.refunds).toEqual([expect.objectContaining({ amount: AMOUNT, status: 'pending', reason: 'order cancelled: changed my mind' })]);
    expect(workflow.started).toHaveLength(1);
    expect(new Set(events.published.filter((e) => e.type === 'order.cancelled').map((e) => e.id))).toEqual(new Set([`evt_${ORDER_ID}_order_cancelled`]));
  });

  it('an order waiting for payment: the pending attempt is ended with ORDER_CANCELLED and its saga resumed', async () => {
    const world = sagaWorld();
    world.attempts.put({ ...(await world.attempts.get(ref))!, taskToken: 'token-1', version: 2 });
    const deps = { ...world.deps, refunds: new RecordingWorkflow(), ids: sequentialIds() };

    await cancelOrderAndRefund(deps, { orderId: ORDER_ID, reason: 'changed my mind' });

    expect(world.saga.resumed).toEqual([{ taskToken: 'token-1', result: { outcome: 'failed', failureCode: 'ORDER_CANCELLED' } }]);
    expect(await world.attempts.get(ref)).toMatchObject({ resolution: { outcome: 'failed', failureCode: 'ORDER_CANCELLED', source: 'cancel' } });
    expect(world.catalog.stockOf('GAMCHA')).toBe(3);
  });
});
