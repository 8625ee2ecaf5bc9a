import type { EventType } from '../../_platform/events';

/** The events shipping reacts to; its queue subscribes to exactly these (lib/stacks/stateful-stack.ts). */
export const SHIPPING_EVENT_TYPES = ['order.paid', 'order.cancelled'] as const satisfies readonly EventType[];
