import type { EventType } from '../../_platform/events';

/**
 * The events notifications reacts to. Its queue subscribes to exactly these (lib/stacks/stateful-stack.ts), so an
 * event nobody is told about (order.created, for one) costs no delivery, invocation or idempotency record.
 */
export const NOTIFICATION_EVENT_TYPES = [
  'order.paid', 'order.cancelled', 'payment.failed', 'refund.succeeded', 'shipment.created', 'shipment.status_changed',
  'shipment.delayed', 'stock.low', 'payout.completed',
] as const satisfies readonly EventType[];
