import type { EventHandlers } from '../../_platform/events';

/** The messages sent per event (order confirmation, payment failed, shipment updates) arrive with the notification issues. */
export const notificationEventHandlers: EventHandlers = {};
