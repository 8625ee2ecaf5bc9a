import { httpHandler } from '../../_platform/http-handler';
import { orderQueryDeps } from '../adapters/deps';
import { getOrder } from '../domain/get-order';
import { toOrderResponse } from '../order-response';
import { getOrderRoute } from '../routes';

const deps = orderQueryDeps();

export const handler = httpHandler(getOrderRoute, async ({ params }) => ({
  status: 200,
  body: toOrderResponse(await getOrder(deps, params.orderId)),
}));
