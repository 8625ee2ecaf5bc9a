import { Construct } from 'constructs';
import type { CapabilityProps } from './capability';
import { EventConsumer } from './event-consumer';

/** Messages to buyers, sellers and staff; channels and templates arrive with the notifications issue. */
export class Notifications extends Construct {
  readonly eventsConsumer: EventConsumer;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id);
    this.eventsConsumer = new EventConsumer(this, 'NotificationEventsConsumer', {
      config: props.config, capability: 'notifications', handler: 'consume-notification-events',
      description: 'Consumes events from the notifications queue',
      events: props.data.notificationEvents, idempotencyTable: props.data.tables.idempotency,
    });
  }
}
