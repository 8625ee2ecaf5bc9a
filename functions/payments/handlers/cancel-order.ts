import { httpHandler } from '../../_platform/http-handler';
import { toOrderResponse } from '../../checkout/order-response';
import { cancelOrderDeps } from '../adapters/deps';
import { cancelOrderAndRefund } from '../domain/cancel-order';
import { cancelOrderRoute } from '../routes';

const deps = cancelOrderDeps();

/** POST /v1/orders/{orderId}/cancel: safe to repeat, so no Idempotency-Key is needed. */
export const handler = httpHandler(cancelOrderRoute, async ({ params, body }) => ({
  status: 200,
  body: toOrderResponse(await cancelOrderAndRefund(deps, { orderId: params.orderId, reason: body.reason })),
}));
