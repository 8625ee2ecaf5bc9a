import { Construct } from 'constructs';
import type { CapabilityProps } from './capability';
import { EventConsumer } from './event-consumer';

/** Shipments at carriers, created from `order.paid`; carriers and tracking arrive with the shipping issue. */
export class Shipping extends Construct {
  readonly eventsConsumer: EventConsumer;

  constructor(scope: Construct, id: string, props: CapabilityProps) {
    super(scope, id);
    this.eventsConsumer = new EventConsumer(this, 'ShippingEventsConsumer', {
      config: props.config, capability: 'shipping', handler: 'consume-shipping-events',
      description: 'Consumes order events from the shipping queue',
      events: props.data.shippingEvents, idempotencyTable: props.data.tables.idempotency,
    });
  }
}
