import type { IdempotencyStore } from '../../_platform/idempotency-store';
import { idempotentHttpHandler } from '../../_platform/idempotent-http-handler';
import { gatewayRegistryFromConfig } from '../../payments/adapters/gateways';
import { placeOrderDeps } from '../adapters/deps';
import { placeOrder, type PlaceOrderDeps } from '../domain/place-order';
import { createCheckoutRoute } from '../checkout-route';

/** POST /v1/checkouts over the given dependencies and idempotency store (the DynamoDB one unless given). */
export const createCheckoutHandler = (deps: PlaceOrderDeps, store?: IdempotencyStore) =>
  idempotentHttpHandler(
    createCheckoutRoute,
    async ({ body }) => {
      const { order, payment } = await placeOrder(deps, { caller: 'store', ...body });
      return {
        status: 201,
        body: {
          orderId: order.orderId,
          status: order.status,
          amount: order.amount,
          payment: {
            paymentId: payment.paymentId,
            method: payment.method,
            status: payment.status,
            action: { type: 'redirect', url: payment.redirectUrl },
          },
        },
      };
    },
    store,
  );

export const handler = createCheckoutHandler(placeOrderDeps(gatewayRegistryFromConfig()));
