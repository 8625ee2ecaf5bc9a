import type { EventHandlers } from '../../_platform/events';
import { ValidationError } from '../../_platform/errors';
import { bookShipments } from './book-shipments';
import type { ShippingDeps } from './deps';

/**
 * Shipping's reactions to events: `order.paid` books the order's shipments (idempotent per order). `order.cancelled`
 * is acknowledged unhandled: an order can only be cancelled before it ships (cancelling a booking at the carrier is
 * not built yet).
 */
export const shippingEventHandlers = (deps: Parameters<typeof bookShipments>[0]): EventHandlers => ({
  'order.paid': async (event) => {
    if (!event.orderId) throw new ValidationError('order.paid without orderId', [{ path: 'orderId', message: 'required' }]);
    await bookShipments(deps, event.orderId);
  },
});

export type { ShippingDeps };
