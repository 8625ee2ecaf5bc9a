import type { Clock } from '../../_platform/clock';
import type { DomainEvent, EventPublisher } from '../../_platform/events';
import { NotFoundError, ProviderRetryableError } from '../../_platform/errors';
import type { IdGenerator } from '../../_platform/ids';
import { subtractMoney } from '../../_platform/money';
import { cancelOrder as cancelled, type Order, refundedOf } from '../../checkout/domain/order';
import type { OrderDetails, OrderRepository, StockLedger } from '../../checkout/domain/ports';
import type { PaymentResolutions, RefundWorkflow, SagaCallback } from './ports';
import { requestOrderRefund } from './request-refund';
import { updateOrder } from '../../checkout/domain/update-order';

export interface CancelOrderDeps {
  orders: OrderRepository;
  resolutions: PaymentResolutions;
  saga: SagaCallback;
  stock: StockLedger;
  refunds: RefundWorkflow;
  events: EventPublisher;
  clock: Clock;
  ids: IdGenerator;
}

export interface CancelOrder {
  orderId: string;
  reason: string;
}

const STOCK_SOLD: ReadonlySet<Order['status']> = new Set(['paid', 'fulfilling']);

/** Ends the pending attempt as if the gateway had refused it; whichever verified result came first still wins. */
const stopPendingAttempt = async (deps: CancelOrderDeps, order: Order, at: string): Promise<void> => {
  const ref = { orderId: order.orderId, paymentId: order.currentPaymentId };
  const result = { outcome: 'failed' as const, failureCode: 'ORDER_CANCELLED' as const };
  const { recorded, attempt } = await deps.resolutions.record(ref, { ...result, source: 'cancel', at });
  if (recorded && attempt?.taskToken) await deps.saga.resume(attempt.taskToken, result);
};

/**
 * Cancels an order before shipment (`POST /v1/orders/{orderId}/cancel`); safe to repeat:
 * 1. the order becomes cancelled (`cancelOrder`: 422 ORDER_NOT_CANCELLABLE once shipped; a repeat changes nothing);
 * 2. waiting for payment: the pending attempt is ended with ORDER_CANCELLED through the same first-writer-wins record
 *    as a return or webhook, so the saga compensates (puts the stock back, fails the attempt; no payment.failed). If the
 *    buyer's approval was recorded first, the saga captures, cannot mark a cancelled order paid, and refunds;
 * 3. paid (stock sold): this call's cancel puts the units back (only the call whose write cancelled the order);
 * 4. whatever the order's payment captured and is not refunded yet is refunded (`requestOrderRefund`, pending until
 *    the gateway confirms);
 * 5. `order.cancelled` is published (id derived from the order).
 */
export const cancelOrderAndRefund = async (deps: CancelOrderDeps, cmd: CancelOrder): Promise<OrderDetails> => {
  const at = deps.clock.now().toISOString();
  let before: Order['status'] | undefined;
  const order = await updateOrder(deps.orders, cmd.orderId, (current) => {
    before = current.status;
    return cancelled(current, { at, reason: cmd.reason });
  });
  if (!order) throw new NotFoundError(`order ${cmd.orderId} not found`);
  const changedByUs = before !== undefined && before !== 'cancelled';

  if (changedByUs && before === 'pending_payment') await stopPendingAttempt(deps, order, at);
  if (changedByUs && before !== undefined && STOCK_SOLD.has(before)) {
    for (const { sku, quantity } of order.items) await deps.stock.putBack({ sku, quantity });
  }

  const details = await deps.orders.get(cmd.orderId);
  if (!details) throw new NotFoundError(`order ${cmd.orderId} not found`);
  const paying = details.payments.find((payment) => payment.paymentId === order.currentPaymentId && payment.status === 'succeeded');
  const refunding = paying !== undefined && subtractMoney(paying.amount, refundedOf(details.order, paying.paymentId, paying.amount.currency)).value > 0;
  if (refunding) await requestOrderRefund(deps, { orderId: cmd.orderId, reason: `order cancelled: ${cmd.reason}` });

  const event: DomainEvent = {
    id: `evt_${cmd.orderId}_order_cancelled`,
    type: 'order.cancelled',
    version: 1,
    occurredAt: at,
    orderId: cmd.orderId,
    data: { reason: cmd.reason, refunded: paying !== undefined, items: order.items.map(({ sku, sellerId, quantity }) => ({ sku, sellerId, quantity })) },
  };
  try {
    await deps.events.publish(event);
  } catch (error) {
    throw new ProviderRetryableError('events', `order.cancelled for ${cmd.orderId} not published`, { cause: error });
  }
  // Only a refund changed the order since it was read.
  const final = refunding ? await deps.orders.get(cmd.orderId) : details;
  if (!final) throw new NotFoundError(`order ${cmd.orderId} not found`);
  return final;
};
