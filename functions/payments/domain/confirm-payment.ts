import type { DomainEvent } from '../../_platform/events';
import { NotFoundError, ProviderRetryableError } from '../../_platform/errors';
import type { Money } from '../../_platform/money';
import { markPaid } from '../../checkout/domain/order';
import type { PaymentSagaDeps } from './deps';
import { markSucceeded, type PaymentAttemptRef } from './model';
import { updateAttempt } from './update-attempt';
import { updateOrder } from '../../checkout/domain/update-order';

export interface ConfirmPayment extends PaymentAttemptRef {
  /** What CapturePayment returned. */
  capture: { transactionId: string; amount: Money; capturedAt?: string };
}

export interface PaymentConfirmed extends PaymentAttemptRef {
  status: 'succeeded';
  transactionId: string;
}

/**
 * Saga step "ConfirmPayment", after the money moved:
 * 1. the order becomes paid (`markPaid`; a repeat is a no-op; a cancelled order or another current attempt throws,
 *    and the saga's compensation refunds the capture);
 * 2. the attempt becomes succeeded with the transaction id;
 * 3. `order.paid` is published, its id derived from the payment so a retried step publishes the same event.
 * Throws NotFoundError without an order; a failed publish is ProviderRetryableError (the state machine retries).
 */
export const confirmPayment = async (deps: Pick<PaymentSagaDeps, 'attempts' | 'orders' | 'events' | 'clock'>, cmd: ConfirmPayment): Promise<PaymentConfirmed> => {
  const ref = { orderId: cmd.orderId, paymentId: cmd.paymentId };
  const at = deps.clock.now().toISOString();
  const order = await updateOrder(deps.orders, cmd.orderId, (current) => markPaid(current, { paymentId: cmd.paymentId, at }));
  if (!order) throw new NotFoundError(`order ${cmd.orderId} not found`);
  const attempt = await updateAttempt(deps.attempts, ref, (current) => {
    if (!current) throw new NotFoundError(`payment ${cmd.paymentId} of order ${cmd.orderId} not found`);
    return markSucceeded(current, cmd.capture, at);
  });
  const event: DomainEvent = {
    id: `evt_${cmd.paymentId}_order_paid`,
    type: 'order.paid',
    version: 1,
    occurredAt: at,
    orderId: cmd.orderId,
    data: {
      paymentId: cmd.paymentId,
      method: attempt.method ?? order.paymentMethod,
      amount: cmd.capture.amount,
      transactionId: cmd.capture.transactionId,
      items: order.items,
    },
  };
  try {
    await deps.events.publish(event);
  } catch (error) {
    throw new ProviderRetryableError('events', `order.paid for ${cmd.paymentId} not published`, { cause: error });
  }
  return { ...ref, status: 'succeeded', transactionId: cmd.capture.transactionId };
};
