import { idempotentHttpHandler } from '../../_platform/idempotent-http-handler';
import { requestRefundDeps } from '../adapters/deps';
import { requestOrderRefund } from '../domain/request-refund';
import { requestRefundRoute } from '../routes';

const deps = requestRefundDeps();

/** POST /v1/orders/{orderId}/refunds: 202 with the pending refund; the refund workflow asks the gateway. */
export const handler = idempotentHttpHandler(requestRefundRoute, async ({ params, body }) => {
  const refund = await requestOrderRefund(deps, { orderId: params.orderId, ...body });
  return { status: 202, body: { refundId: refund.refundId, status: 'pending' as const, amount: refund.amount } };
});
