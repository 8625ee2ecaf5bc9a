import type { IdempotencyStore } from '../../_platform/idempotency-store';
import { idempotentHttpHandler } from '../../_platform/idempotent-http-handler';
import { gatewayRegistryFromConfig } from '../../payments/adapters/gateways';
import { placeOrderDeps } from '../adapters/deps';
import { toPlacedOrderResponse } from '../order-response';
import { placeOrder, type PlaceOrderDeps } from '../domain/place-order';
import { createCheckoutRoute } from '../create-checkout-route';

/** POST /v1/checkouts over the given dependencies and idempotency store (the DynamoDB one unless given). */
export const createCheckoutHandler = (deps: PlaceOrderDeps, store?: IdempotencyStore) =>
  idempotentHttpHandler(
    createCheckoutRoute,
    async ({ body }) => {
      return { status: 201, body: toPlacedOrderResponse(await placeOrder(deps, { caller: 'store', ...body })) };
    },
    store,
  );

export const handler = createCheckoutHandler(placeOrderDeps(gatewayRegistryFromConfig()));
