import { httpHandler } from '../../_platform/http-handler';
import { shipmentQueryDeps } from '../adapters/deps';
import { listOrderShipments } from '../domain/list-shipments';
import type { BookedShipment } from '../domain/model';
import { listOrderShipmentsRoute } from '../routes';

const deps = shipmentQueryDeps();

/** The API's view of a shipment: no version, claim or parcel internals. */
const toView = (shipment: BookedShipment) => ({
  shipmentId: shipment.shipmentId,
  sellerId: shipment.sellerId,
  carrier: shipment.carrier,
  trackingNumber: shipment.trackingNumber,
  status: shipment.status,
  serviceLevel: shipment.serviceLevel,
  ...(shipment.estimatedDeliveryDate !== undefined && { estimatedDeliveryDate: shipment.estimatedDeliveryDate }),
  ...(shipment.cost !== undefined && { cost: shipment.cost }),
  events: shipment.events,
});

export const handler = httpHandler(listOrderShipmentsRoute, async ({ params }) => ({
  status: 200,
  body: { shipments: (await listOrderShipments(deps, params.orderId)).map(toView) },
}));
