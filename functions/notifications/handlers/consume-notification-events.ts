import { eventConsumer } from '../../_platform/event-consumer';
import { eventHandlerDeps } from '../adapters/deps';
import { notificationEventHandlers } from '../domain/event-handlers';

export const handler = eventConsumer({ consumer: 'notifications', handlers: notificationEventHandlers(eventHandlerDeps()) });
