import * as z from 'zod/mini';
import { COMMON_ERROR_RESPONSES, defineRoute, errorEnvelopeSchema } from '../_platform/openapi';
import { buyerSchema, checkoutPaymentSchema, checkoutResponseSchema, skuSchema } from './checkout-schemas';
import { SHIPPING_SERVICE_LEVELS } from './domain/model';

/**
 * POST /checkouts. Unknown fields are dropped, not refused (zod's default): a client that sends `price` or
 * `unitPrice` gets the catalog's price, which is all it could ever get.
 */
export const createCheckoutRoute = defineRoute({
  operationId: 'createCheckout',
  method: 'POST',
  path: '/checkouts',
  summary: 'Place an order at catalog prices, reserve its stock and open its first payment attempt',
  auth: 'apiKey',
  idempotent: true,
  body: z.object({
    buyer: buyerSchema,
    items: z
      .array(z.object({ sku: skuSchema, quantity: z.int().check(z.positive(), z.maximum(999)) }))
      .check(z.minLength(1), z.maxLength(50)),
    payment: checkoutPaymentSchema,
    shipping: z.object({ serviceLevel: z.enum(SHIPPING_SERVICE_LEVELS) }),
  }),
  responses: {
    201: {
      description: 'The order waits for payment: send the buyer to `payment.action.url`',
      schema: checkoutResponseSchema,
    },
    400: COMMON_ERROR_RESPONSES.badFields,
    404: { description: 'NOT_FOUND: `details.skus` lists the SKUs the catalog does not have', schema: errorEnvelopeSchema },
    422: { description: 'OUT_OF_STOCK `{ sku, requested }`, METHOD_NOT_AVAILABLE `{ method, currency? }`, PRICE_NOT_AVAILABLE `{ skus, currency }`, IDEMPOTENCY_KEY_REUSED', schema: errorEnvelopeSchema },
    503: { description: 'PROVIDER_UNAVAILABLE `{ provider }`: the gateway is down; nothing was reserved or charged, retry later', schema: errorEnvelopeSchema },
  },
});
