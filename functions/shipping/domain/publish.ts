import { createEvent, type EventPublisher, type EventType } from '../../_platform/events';
import { ProviderRetryableError } from '../../_platform/errors';
import type { BookedShipment } from './model';

/**
 * Publishes a shipment event with a deterministic id (`key`), so a retried step publishes the same event and
 * consumers drop the repeat. The data is small on purpose: what notifications and checkout read.
 */
export const publishShipmentEvent = async (
  events: EventPublisher,
  at: Date,
  type: Extract<EventType, 'shipment.created' | 'shipment.status_changed' | 'shipment.delayed'>,
  key: string,
  shipment: BookedShipment,
  extra: Record<string, unknown> = {},
): Promise<void> => {
  const event = createEvent(
    { ids: { next: () => `evt_${key}` }, clock: { now: () => at } },
    {
      type,
      orderId: shipment.orderId,
      sellerId: shipment.sellerId,
      data: {
        orderId: shipment.orderId,
        sellerId: shipment.sellerId,
        shipmentId: shipment.shipmentId,
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
        status: shipment.status,
        ...(shipment.estimatedDeliveryDate !== undefined && { estimatedDeliveryDate: shipment.estimatedDeliveryDate }),
        ...extra,
      },
    },
  );
  try {
    await events.publish(event);
  } catch (error) {
    throw new ProviderRetryableError('events', `${type} for ${shipment.shipmentId} not published`, { cause: error });
  }
};
