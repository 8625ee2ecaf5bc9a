import { eventConsumer } from '../../_platform/event-consumer';
import { shippingDeps } from '../adapters/deps';
import { shippingEventHandlers } from '../domain/event-handlers';

export const handler = eventConsumer({ consumer: 'shipping', handlers: shippingEventHandlers(shippingDeps()) });
