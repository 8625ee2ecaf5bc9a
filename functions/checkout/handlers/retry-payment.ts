import type { IdempotencyStore } from '../../_platform/idempotency-store';
import { idempotentHttpHandler } from '../../_platform/idempotent-http-handler';
import { gatewayRegistryFromConfig } from '../../payments/adapters/gateways';
import { paymentAttemptDeps } from '../adapters/deps';
import { toPlacedOrderResponse } from '../order-response';
import type { PaymentAttemptDeps } from '../domain/place-order';
import { retryPayment } from '../domain/retry-payment';
import { retryPaymentRoute } from '../retry-payment-route';

/** POST /v1/orders/{orderId}/payments over the given dependencies and idempotency store (the DynamoDB one unless given). */
export const retryPaymentHandler = (deps: PaymentAttemptDeps, store?: IdempotencyStore) =>
  idempotentHttpHandler(
    retryPaymentRoute,
    async ({ params, body }) => {
      return { status: 201, body: toPlacedOrderResponse(await retryPayment(deps, { orderId: params.orderId, caller: 'store', payment: body })) };
    },
    store,
  );

export const handler = retryPaymentHandler(paymentAttemptDeps(gatewayRegistryFromConfig()));
