import { ConflictError, RuleViolationError } from '../../../../../functions/_platform/errors';
import {
  cancelOrder,
  canTransition,
  createOrder,
  InvalidOrderTransitionError,
  markDelivered,
  markPaid,
  markPaymentFailed,
  markShipped,
  type Order,
  ORDER_STATUSES,
  orderIdOfPayment,
  type OrderStatus,
  paymentIdOf,
  PaymentPendingError,
  refundedOf,
  requestRefund,
  settleRefund,
  startFulfilment,
  startPaymentAttempt,
} from '../../../../../functions/checkout/domain/order';

const ORDER_ID = 'ord_01jd5q7y2x3w4v5u6t7s8r9q0p';
const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:05:00.000Z';

const aNewOrder = (): Order =>
  createOrder(
    {
      orderId: ORDER_ID,
      buyer: { name: 'Rahim Uddin', email: 'rahim@example.com', phone: '+8801712345678', address: { line1: 'House 12', city: 'Dhaka', postalCode: '1207', country: 'BD' } },
      items: [{ sku: 'TSHIRT-RED-M', title: 'T-shirt', sellerId: 'seller-1', quantity: 2, unitPrice: { value: 120000, currency: 'BDT' }, weightGrams: 250, dimensionsCm: { l: 30, w: 20, h: 3 } }],
      amount: { value: 240000, currency: 'BDT' },
      shipping: { serviceLevel: 'standard' },
      paymentMethod: 'bkash',
    },
    T0,
  );

/** An order in `status`, as the stored state machine would leave it (only status and version matter here). */
const anOrderIn = (status: OrderStatus): Order => ({ ...aNewOrder(), status, version: 3 });

describe('payment ids', () => {
  it('derive from the order id and the attempt number, and lead back to the order', () => {
    const paymentId = paymentIdOf(ORDER_ID, 2);

    expect(paymentId).toBe('pay_01jd5q7y2x3w4v5u6t7s8r9q0p_2');
    expect(orderIdOfPayment(paymentId)).toBe(ORDER_ID);
  });

  it.each(['pay_01jd5q7y2x3w4v5u6t7s8r9q0p', 'pay_short_1', 'ord_01jd5q7y2x3w4v5u6t7s8r9q0p_1', 'pay_01jd5q7y2x3w4v5u6t7s8r9q0p_0'])(
    'give no order for %s, which paymentIdOf never makes',
    (paymentId) => {
      expect(orderIdOfPayment(paymentId)).toBeUndefined();
    },
  );
});

describe('a new order', () => {
  it('waits for its first payment attempt with its stock held, at version 1 with one timeline entry', () => {
    const order = aNewOrder();

    expect(order).toMatchObject({
      status: 'pending_payment',
      currentPaymentId: 'pay_01jd5q7y2x3w4v5u6t7s8r9q0p_1',
      paymentAttempts: 1,
      reservation: 'held',
      version: 1,
      createdAt: T0,
      updatedAt: T0,
      timeline: [{ at: T0, status: 'pending_payment', event: 'order.created' }],
    });
  });
});

describe('order transitions', () => {
  it('markPaid: the order is paid, its stock committed, one entry appended and the version bumped', () => {
    const order = aNewOrder();

    const paid = markPaid(order, { paymentId: order.currentPaymentId, at: T1 });

    expect(paid).toMatchObject({ status: 'paid', reservation: 'committed', version: 2, updatedAt: T1 });
    expect(paid.timeline).toEqual([...order.timeline, { at: T1, status: 'paid', event: 'payment.succeeded' }]);
    expect(order.status).toBe('pending_payment');
  });

  it('markPaid twice for the same payment changes nothing the second time', () => {
    const paid = markPaid(aNewOrder(), { paymentId: paymentIdOf(ORDER_ID, 1), at: T1 });

    expect(markPaid(paid, { paymentId: paymentIdOf(ORDER_ID, 1), at: T1 })).toBe(paid);
  });

  it('markPaid refuses money on an attempt the order no longer waits for (409)', () => {
    expect(() => markPaid(aNewOrder(), { paymentId: paymentIdOf(ORDER_ID, 2), at: T1 })).toThrow(ConflictError);
  });

  it('markPaymentFailed: the order can be paid again, its stock released, the failure code as the cause', () => {
    const failed = markPaymentFailed(aNewOrder(), { paymentId: paymentIdOf(ORDER_ID, 1), failureCode: 'INSUFFICIENT_FUNDS', at: T1 });

    expect(failed).toMatchObject({ status: 'payment_failed', reservation: 'released', version: 2 });
    expect(failed.timeline.at(-1)).toEqual({ at: T1, status: 'payment_failed', event: 'payment.failed', cause: 'INSUFFICIENT_FUNDS' });
  });

  it('markPaymentFailed ignores the late failure of an older attempt', () => {
    const retried = startPaymentAttempt(markPaymentFailed(aNewOrder(), { paymentId: paymentIdOf(ORDER_ID, 1), failureCode: 'EXPIRED', at: T1 }), { at: T1, method: 'nagad' });

    expect(markPaymentFailed(retried, { paymentId: paymentIdOf(ORDER_ID, 1), failureCode: 'EXPIRED', at: T1 })).toBe(retried);
  });

  it('markPaymentFailed refuses to fail a paid order', () => {
    const paid = markPaid(aNewOrder(), { paymentId: paymentIdOf(ORDER_ID, 1), at: T1 });

    expect(() => markPaymentFailed(paid, { paymentId: paymentIdOf(ORDER_ID, 1), failureCode: 'DECLINED', at: T1 })).toThrow(InvalidOrderTransitionError);
  });

  it('startPaymentAttempt after a failure: pending again with the next payment id and the stock held', () => {
    const failed = markPaymentFailed(aNewOrder(), { paymentId: paymentIdOf(ORDER_ID, 1), failureCode: 'CANCELLED_BY_BUYER', at: T1 });

    const retried = startPaymentAttempt(failed, { at: T1, method: 'nagad' });

    expect(retried).toMatchObject({ status: 'pending_payment', paymentAttempts: 2, currentPaymentId: paymentIdOf(ORDER_ID, 2), reservation: 'held', paymentMethod: 'nagad', version: 3 });
    expect(retried.timeline.at(-1)).toEqual({ at: T1, status: 'pending_payment', event: 'payment.retried', cause: 'nagad' });
  });

  it('startPaymentAttempt while an attempt is pending is a 409 PAYMENT_PENDING naming the attempt', () => {
    expect(() => startPaymentAttempt(aNewOrder(), { at: T1, method: 'bkash' })).toThrow(
      expect.objectContaining({ constructor: PaymentPendingError, code: 'PAYMENT_PENDING', details: { orderId: ORDER_ID, paymentId: paymentIdOf(ORDER_ID, 1) } }),
    );
    expect(() => startPaymentAttempt(aNewOrder(), { at: T1, method: 'bkash' })).toThrow(ConflictError);
  });

  it('startPaymentAttempt once paid is refused', () => {
    expect(() => startPaymentAttempt(anOrderIn('paid'), { at: T1, method: 'bkash' })).toThrow(InvalidOrderTransitionError);
  });

  it('markPaymentFailed leaves a cancelled order cancelled (its pending attempt is compensated after the cancel)', () => {
    const cancelled = cancelOrder(aNewOrder(), { at: T1, reason: 'changed my mind' });

    expect(markPaymentFailed(cancelled, { paymentId: paymentIdOf(ORDER_ID, 1), failureCode: 'ORDER_CANCELLED', at: T1 })).toBe(cancelled);
  });

  it('follows the happy path paid → fulfilling → shipped → delivered, one entry per step', () => {
    const paid = markPaid(aNewOrder(), { paymentId: paymentIdOf(ORDER_ID, 1), at: T1 });

    const delivered = markDelivered(markShipped(startFulfilment(paid, { at: T1 }), { at: T1 }), { at: T1 });

    expect(delivered.status).toBe('delivered');
    expect(delivered.version).toBe(5);
    expect(delivered.timeline.map((entry) => entry.event)).toEqual([
      'order.created',
      'payment.succeeded',
      'fulfilment.started',
      'shipment.shipped',
      'shipment.delivered',
    ]);
  });

  it('ignores a late "shipped" after delivery (a step backwards)', () => {
    const delivered = anOrderIn('delivered');

    expect(markShipped(delivered, { at: T1 })).toBe(delivered);
  });

  it('cancelOrder before shipment releases the stock and records the reason', () => {
    const cancelled = cancelOrder(anOrderIn('paid'), { at: T1, reason: 'buyer changed their mind' });

    expect(cancelled).toMatchObject({ status: 'cancelled', reservation: 'released', version: 4 });
    expect(cancelled.timeline.at(-1)).toEqual({ at: T1, status: 'cancelled', event: 'order.cancelled', cause: 'buyer changed their mind' });
  });

  it('cancelOrder after shipment is refused with 422 ORDER_NOT_CANCELLABLE', () => {
    expect(() => cancelOrder(anOrderIn('shipped'), { at: T1, reason: 'too late' })).toThrow(
      expect.objectContaining({ constructor: RuleViolationError, code: 'ORDER_NOT_CANCELLABLE' }),
    );
  });

  describe('refunds', () => {
    const BDT = (value: number) => ({ value, currency: 'BDT' });
    const PAYMENT = paymentIdOf(ORDER_ID, 1);
    const paid = () => markPaid(aNewOrder(), { paymentId: PAYMENT, at: T1 });
    const refund = (order: Order, refundId: string, value: number) =>
      requestRefund(order, { refundId, paymentId: PAYMENT, amount: BDT(value), captured: BDT(240000), reason: 'damaged', at: T1 });

    it('a request is pending, noted on the timeline without changing the status, and counts against the capture', () => {
      const requested = refund(paid(), 'ref_1', 100000);

      expect(requested).toMatchObject({ status: 'paid', version: 3, refunds: [{ refundId: 'ref_1', status: 'pending', amount: BDT(100000), paymentId: PAYMENT }] });
      expect(requested.timeline.at(-1)).toEqual({ at: T1, status: 'paid', event: 'refund.requested', cause: 'damaged' });
      expect(refundedOf(requested, PAYMENT, 'BDT')).toEqual(BDT(100000));
      expect(refund(requested, 'ref_1', 100000)).toBe(requested);
    });

    it('never more than captured, pending refunds included; a failed refund gives its amount back', () => {
      const first = refund(paid(), 'ref_1', 200000);

      expect(() => refund(first, 'ref_2', 40001)).toThrow(
        expect.objectContaining({ code: 'REFUND_EXCEEDS_CAPTURED', details: { paymentId: PAYMENT, captured: BDT(240000), refunded: BDT(200000), requested: BDT(40001) } }),
      );
      const failed = settleRefund(first, { refundId: 'ref_1', outcome: 'failed', at: T1, gatewayStatus: 'declined' });
      expect(failed.status).toBe('paid');
      expect(failed.timeline.at(-1)).toMatchObject({ event: 'refund.failed', status: 'paid' });
      expect(refund(failed, 'ref_2', 240000).refunds.map((r) => r.status)).toEqual(['failed', 'pending']);
      expect(() => refund(paid(), 'ref_3', 0)).toThrow(expect.objectContaining({ code: 'REFUND_EXCEEDS_CAPTURED' }));
      expect(() => requestRefund(paid(), { refundId: 'ref_4', paymentId: PAYMENT, amount: { value: 1, currency: 'USD' }, captured: BDT(240000), reason: 'x', at: T1 })).toThrow(
        expect.objectContaining({ code: 'REFUND_EXCEEDS_CAPTURED' }),
      );
    });

    it('partial refunds leave the order partially_refunded; the one that completes the capture makes it refunded', () => {
      const partly = settleRefund(refund(paid(), 'ref_1', 40000), { refundId: 'ref_1', outcome: 'succeeded', at: T1, gatewayStatus: 'Completed', gatewayReference: 'R1' });
      const full = settleRefund(refund(partly, 'ref_2', 200000), { refundId: 'ref_2', outcome: 'succeeded', at: T1, gatewayStatus: 'Completed' });

      expect(partly.status).toBe('partially_refunded');
      expect(partly.refunds[0]).toMatchObject({ status: 'succeeded', settledAt: T1, gatewayReference: 'R1', gatewayStatus: 'Completed' });
      expect(full.status).toBe('refunded');
      expect(full.timeline.at(-1)).toEqual({ at: T1, status: 'refunded', event: 'refund.succeeded', cause: 'damaged (200000 BDT)' });
      expect(settleRefund(full, { refundId: 'ref_2', outcome: 'succeeded', at: T1, gatewayStatus: 'Completed' })).toBe(full);
      expect(() => settleRefund(full, { refundId: 'ref_9', outcome: 'succeeded', at: T1, gatewayStatus: 'Completed' })).toThrow(ConflictError);
    });

    it('a partially refunded order still ships and is delivered, its refunds kept; a partial refund after shipping stays put', () => {
      const partly = settleRefund(refund(paid(), 'ref_1', 40000), { refundId: 'ref_1', outcome: 'succeeded', at: T1, gatewayStatus: 'Completed' });

      const shipped = markShipped(partly, { at: T1 });
      const delivered = markDelivered(shipped, { at: T1 });

      expect(shipped).toMatchObject({ status: 'shipped', refunds: partly.refunds });
      expect(delivered).toMatchObject({ status: 'delivered', refunds: partly.refunds });
      expect(delivered.timeline.map((entry) => entry.event).slice(-3)).toEqual(['refund.succeeded', 'shipment.shipped', 'shipment.delivered']);
      const refundedAfterShipping = settleRefund(refund(shipped, 'ref_2', 10000), { refundId: 'ref_2', outcome: 'succeeded', at: T1, gatewayStatus: 'Completed' });
      expect(refundedAfterShipping.status).toBe('partially_refunded');
      expect(markShipped(refundedAfterShipping, { at: T1 })).toBe(refundedAfterShipping);
      expect(markDelivered(markShipped(refundedAfterShipping, { at: T1 }), { at: T1 }).status).toBe('delivered');
      const refundedAfterDelivery = settleRefund(refund(delivered, 'ref_3', 10000), { refundId: 'ref_3', outcome: 'succeeded', at: T1, gatewayStatus: 'Completed' });
      expect(markShipped(refundedAfterDelivery, { at: T1 })).toBe(refundedAfterDelivery);
      expect(markDelivered(refundedAfterDelivery, { at: T1 })).toBe(refundedAfterDelivery);
    });

    it('a cancelled order stays cancelled when its refund succeeds', () => {
      const cancelled = cancelOrder(refund(paid(), 'ref_1', 240000), { at: T1, reason: 'changed my mind' });

      const settled = settleRefund(cancelled, { refundId: 'ref_1', outcome: 'succeeded', at: T1, gatewayStatus: 'Completed' });

      expect(settled.status).toBe('cancelled');
      expect(settled.refunds[0].status).toBe('succeeded');
    });
  });

  it('refuses a forbidden move with 409 ORDER_STATE_CONFLICT naming both statuses', () => {
    const cancelled = anOrderIn('cancelled');

    expect(() => markPaid(cancelled, { paymentId: cancelled.currentPaymentId, at: T1 })).toThrow(
      expect.objectContaining({ code: 'ORDER_STATE_CONFLICT', details: { orderId: ORDER_ID, status: 'cancelled', requested: 'paid' } }),
    );
  });

  it('allows nothing out of cancelled and refunded, and never a way back to a new order', () => {
    for (const to of ORDER_STATUSES) {
      expect(canTransition('cancelled', to)).toBe(false);
      expect(canTransition('refunded', to)).toBe(false);
    }
    expect(ORDER_STATUSES.filter((from) => canTransition(from, 'pending_payment'))).toEqual(['payment_failed']);
  });
});
