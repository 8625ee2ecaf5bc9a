import { NotFoundError, RuleViolationError } from '../../_platform/errors';
import { updateOrder } from './update-order';
import type { PaymentMethod } from './model';
import { InvalidOrderTransitionError, paymentIdOf, PaymentPendingError, startPaymentAttempt } from './order';
import { announceLowStock, openPaymentAttempt, paymentRouteOf, reserveStock } from './payment-attempt';
import type { PaymentAttemptDeps, PlacedOrder } from './place-order';

export interface RetryPayment {
  orderId: string;
  caller: 'store' | 'staff';
  payment: { method: PaymentMethod; returnUrl: string };
}

/**
 * A new payment attempt for an order whose last one failed (`POST /v1/orders/{orderId}/payments`), with the same or
 * another method:
 * 1. the order must exist (404) and be payment_failed: an attempt still pending → 409 PAYMENT_PENDING, paid or closed
 *    → 409 ORDER_STATE_CONFLICT;
 * 2. the method must be enabled and charge in the order's currency (422 METHOD_NOT_AVAILABLE);
 * 3. the order's stock is reserved again (its failed attempt gave it back): 422 OUT_OF_STOCK, nothing reserved;
 * 4. the attempt is opened like the first (`openPaymentAttempt`: session, saga, description), payment id
 *    `pay_<order>_<n+1>`;
 * 5. the order moves back to pending_payment with the new attempt and method (one conditional write). Two racing
 *    retries compute the same payment id: the saga's name lets only one run, the loser's description is refused.
 */
export const retryPayment = async (deps: PaymentAttemptDeps, cmd: RetryPayment): Promise<PlacedOrder> => {
  const details = await deps.orders.get(cmd.orderId);
  if (!details) throw new NotFoundError(`order ${cmd.orderId} not found`);
  const { order } = details;
  if (order.status === 'pending_payment') throw new PaymentPendingError(order);
  if (order.status !== 'payment_failed') throw new InvalidOrderTransitionError(order, 'pending_payment');
  const { gateway, currency } = paymentRouteOf(deps.gateways, cmd);
  if (currency !== order.amount.currency) {
    throw new RuleViolationError('METHOD_NOT_AVAILABLE', `payment method ${cmd.payment.method} does not take ${order.amount.currency}`, {
      method: cmd.payment.method,
      currency: order.amount.currency,
    });
  }

  const lines = order.items.map(({ sku, quantity }) => ({ sku, quantity }));
  const paymentId = paymentIdOf(order.orderId, order.paymentAttempts + 1);
  const reserved = await reserveStock(deps, lines);
  const session = await openPaymentAttempt(deps, { orderId: order.orderId, paymentId, gateway, amount: order.amount, lines, ...cmd.payment });
  const at = deps.clock.now().toISOString();
  const retried = await updateOrder(deps.orders, order.orderId, (current) =>
    current.currentPaymentId === paymentId ? current : startPaymentAttempt(current, { at, method: cmd.payment.method }),
  );
  if (!retried) throw new NotFoundError(`order ${cmd.orderId} not found`);
  await announceLowStock(deps, order.orderId, reserved, order.items);
  return { order: retried, payment: { paymentId, method: cmd.payment.method, status: 'pending', redirectUrl: session.redirectUrl } };
};
