import type { ConsumerHandlers } from '../../_platform/events';
import { ValidationError } from '../../_platform/errors';
import { bookShipments } from './book-shipments';
import { cancelShipments } from './cancel-shipments';
import type { SHIPPING_EVENT_TYPES } from './consumed-events';
import type { ShippingDeps } from './deps';

const orderIdOf = (event: { type: string; orderId?: string }): string => {
  if (!event.orderId) throw new ValidationError(`${event.type} without orderId`, [{ path: 'orderId', message: 'required' }]);
  return event.orderId;
};

/**
 * Shipping's reactions to events, each idempotent per order: `order.paid` books the order's shipments,
 * `order.cancelled` cancels them at their carriers.
 */
export const shippingEventHandlers = (deps: Parameters<typeof bookShipments>[0]): ConsumerHandlers<(typeof SHIPPING_EVENT_TYPES)[number]> => ({
  'order.paid': async (event) => {
    await bookShipments(deps, orderIdOf(event));
  },
  'order.cancelled': async (event) => {
    await cancelShipments(deps, orderIdOf(event));
  },
});

export type { ShippingDeps };
