import type { Clock } from '../../_platform/clock';
import { ConflictError, NotFoundError } from '../../_platform/errors';
import type { IdGenerator } from '../../_platform/ids';
import { type Money, subtractMoney } from '../../_platform/money';
import { type Order, type Refund, RefundExceedsCapturedError, refundedOf, requestRefund as recordRefundRequest } from '../../checkout/domain/order';
import type { OrderRepository } from '../../checkout/domain/ports';
import { type RefundWorkflow, RefundNotStartedError } from './ports';
import { updateOrder } from '../../checkout/domain/update-order';

export interface RequestRefundDeps {
  orders: OrderRepository;
  refunds: RefundWorkflow;
  clock: Clock;
  ids: IdGenerator;
}

export interface RequestRefund {
  orderId: string;
  /** Absent: everything of the payment that is not refunded or pending yet. */
  amount?: Money;
  reason: string;
}

/** The order has no payment that took money (409 ORDER_NOT_PAID). */
export class OrderNotPaidError extends ConflictError {
  override readonly name = 'OrderNotPaidError';
  override readonly code = 'ORDER_NOT_PAID';
  override readonly details: { orderId: string; status: string };

  constructor(order: Pick<Order, 'orderId' | 'status'>) {
    super(`order ${order.orderId} is ${order.status}: no payment took money`);
    this.details = { orderId: order.orderId, status: order.status };
  }
}

/**
 * Requests a refund of the payment that paid the order (`POST /v1/orders/{orderId}/refunds`), full when no amount
 * is given. The refund is `pending` until the gateway confirms it; nothing here calls the gateway:
 * 1. the order must exist (NotFoundError) and have a succeeded payment (OrderNotPaidError);
 * 2. `startRefund` with a new refund id: its workflow first, then the refund on the order in one conditional write,
 *    which enforces that pending and succeeded refunds never exceed the capture, even between concurrent requests
 *    (RefundExceedsCapturedError).
 */
export const requestOrderRefund = async (deps: RequestRefundDeps, cmd: RequestRefund): Promise<Refund> => {
  const details = await deps.orders.get(cmd.orderId);
  if (!details) throw new NotFoundError(`order ${cmd.orderId} not found`);
  const paying = details.payments.find((payment) => payment.paymentId === details.order.currentPaymentId && payment.status === 'succeeded');
  if (!paying) throw new OrderNotPaidError(details.order);
  const captured = paying.amount;
  const remaining = subtractMoney(captured, refundedOf(details.order, paying.paymentId, captured.currency));
  const amount = cmd.amount ?? remaining;
  if (amount.value <= 0 || amount.currency !== captured.currency || amount.value > remaining.value) {
    throw new RefundExceedsCapturedError({ paymentId: paying.paymentId, captured, refunded: subtractMoney(captured, remaining), requested: amount });
  }

  return startRefund(deps, { orderId: cmd.orderId, refundId: deps.ids.next('ref'), paymentId: paying.paymentId, amount, captured, reason: cmd.reason });
};

/**
 * Starts the refund's workflow, then records the refund on its order (`requestRefund`: within `captured`, checked on
 * the version written; a repeat of the same refund id changes nothing). The workflow comes first: it waits for the
 * refund to appear, so a refund that is never recorded leaves a workflow that ends without calling the gateway.
 */
export const startRefund = async (
  deps: Pick<RequestRefundDeps, 'orders' | 'refunds' | 'clock'>,
  refund: { orderId: string; refundId: string; paymentId: string; amount: Money; captured: Money; reason: string },
): Promise<Refund> => {
  const { orderId, refundId } = refund;
  await deps.refunds.start({ orderId, refundId });
  const at = deps.clock.now().toISOString();
  const order = await updateOrder(deps.orders, orderId, (current) => recordRefundRequest(current, { ...refund, at }));
  const recorded = order?.refunds.find((candidate) => candidate.refundId === refundId);
  if (!recorded) throw new RefundNotStartedError(`refund ${refundId} of order ${orderId} was not recorded`);
  return recorded;
};
