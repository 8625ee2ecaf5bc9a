import { eventConsumer } from '../../_platform/event-consumer';
import { shippingEventHandlers } from '../domain/event-handlers';

export const handler = eventConsumer({ consumer: 'shipping', handlers: shippingEventHandlers });
