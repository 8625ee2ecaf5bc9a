import { httpHandler } from '../../_platform/http-handler';
import { shipmentQueryDeps } from '../adapters/deps';
import { listOrderShipments } from '../domain/list-shipments';
import { listOrderShipmentsRoute, shipmentView } from '../routes';

const deps = shipmentQueryDeps();

export const handler = httpHandler(listOrderShipmentsRoute, async ({ params }) => ({
  status: 200,
  body: { shipments: (await listOrderShipments(deps, params.orderId)).map(shipmentView) },
}));
