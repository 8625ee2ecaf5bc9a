import type { PlacedOrder } from './domain/place-order';
import type { OrderDetails } from './domain/ports';

/**
 * The API's view of an order (`orderResponseSchema`): no version, reservation or attempt counter, no gateway
 * internals of refunds, shipments with their tracking events (GET /orders/{id}/shipments has the details).
 */
export const toOrderResponse = ({ order, payments, shipments }: OrderDetails) => ({
  orderId: order.orderId,
  status: order.status,
  buyer: order.buyer,
  items: order.items.map(({ sku, title, sellerId, quantity, unitPrice }) => ({ sku, title, sellerId, quantity, unitPrice })),
  amount: order.amount,
  shipping: order.shipping,
  payments,
  refunds: order.refunds.map(({ refundId, paymentId, status, amount, reason, requestedAt, settledAt }) => ({
    refundId, paymentId, status, amount, reason, requestedAt, ...(settledAt !== undefined && { settledAt }),
  })),
  shipments,
  timeline: order.timeline,
  createdAt: order.createdAt,
  updatedAt: order.updatedAt,
});

/** The answer to a checkout or a new payment attempt (`checkoutResponseSchema`): where the buyer pays now. */
export const toPlacedOrderResponse = ({ order, payment }: PlacedOrder) => ({
  orderId: order.orderId,
  status: order.status,
  amount: order.amount,
  payment: { paymentId: payment.paymentId, method: payment.method, status: payment.status, action: { type: 'redirect' as const, url: payment.redirectUrl } },
});
