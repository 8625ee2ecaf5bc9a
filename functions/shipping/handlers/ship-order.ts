import { httpHandler } from '../../_platform/http-handler';
import { shippingDeps } from '../adapters/deps';
import { shipOrderNow } from '../domain/ship-order';
import { shipmentView, shipOrderRoute } from '../routes';

const deps = shippingDeps();

/** POST /v1/orders/{orderId}/shipments (sellers, operators): safe to repeat through the per-order shipment claims. */
export const handler = httpHandler(shipOrderRoute, async ({ params, body }) => ({
  status: 201,
  body: { shipments: (await shipOrderNow(deps, params.orderId, { carrier: body.carrier })).map(shipmentView) },
}));
