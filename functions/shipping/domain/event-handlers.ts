import type { EventHandlers } from '../../_platform/events';

/** Shipping's reactions to events (order.paid → create the shipment, order.cancelled → cancel it) arrive with the shipping issues. */
export const shippingEventHandlers: EventHandlers = {};
